#!/usr/bin/env bash
# Issue 11's comparison in one command: Keycloak (start-dev), node-oidc-provider 9 (in memory) and Gatehouse
# (prod jar on PostgreSQL and Redis) on this machine, one after the other, with the same wrk cases: requests/s,
# p50/p99 latency, the server's CPU per request and the CPU everything else took. Writes the table and issue
# 11's target ratios (met or not) into docs/benchmarks.md, and every raw output to bench/results/compare.txt.
# See bench/README.md.
#
#   bash bench/compare.sh                  # full run: warm-up 10 s, then 15 s per case (about 15 minutes)
#   BENCH_QUICK=1 bash bench/compare.sh    # smoke run: 3 s per case, 2 s warm-up; docs/benchmarks.md untouched
#   BENCH_SYSTEMS="gatehouse" bash bench/compare.sh    # some of the three only (targets needing the others: not judged)
#
# The cases (wrk -t2 -c32, keep-alive), on each system where it exists:
#   discovery GET, JWKS GET, client_credentials -> JWT, introspection of an access token, refresh_token with
#   rotation, authorization_code exchange; Gatehouse also introspection of an API key and GET /v1/me (API key)
#   against GET /v1/ping (no-op).
# Codes and refresh tokens are single use: before each run a pool is made (bench/compare/pool.mjs, untimed) and
# wrk sends one per request (bench/compare/pool.lua). A pool is sized from the rate of its warm-up; a run that
# used its pool up is made again with a larger one. Refresh tokens each come from their own code (Gatehouse,
# node-oidc-provider) or password grant (Keycloak: tokens of one session would be stale after the first
# rotation), never from a chain.
#
# CPU: /proc/<pid>/stat of the server's process tree (Keycloak: kc.sh and its JVM; node; Gatehouse's JVM), of
# PostgreSQL and Redis for Gatehouse (reported apart), of this script's tree (wrk, curl), and /proc/stat for the
# machine, read before and after each measured run. "Other" is the machine's busy time minus those, as a share of
# the machine: over BENCH_NOISE_LIMIT % the run is noisy and is made again (BENCH_NOISY_RETRIES times at most;
# the quietest is kept, and marked noisy if still over).
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1             BENCH_DURATION=3s, BENCH_WARMUP=2s, and docs/benchmarks.md is not written
#   BENCH_DURATION [15s]      each measured wrk run;  BENCH_WARMUP [10s]  the unrecorded warm-up of each case
#   BENCH_POOL_WARMUP [5s]    warm-up of the cases with pools (at most BENCH_WARMUP): the server is warm by then
#   BENCH_THREADS [2], BENCH_CONNECTIONS [32]   wrk -t and -c
#   BENCH_SYSTEMS ["keycloak node-oidc-provider gatehouse"]   which systems, in this order
#   BENCH_NOISE_LIMIT [10]    "other" CPU, % of the machine, above which a run is noisy
#   BENCH_NOISY_RETRIES [2]   how often a noisy run is made again
#   BENCH_INTROSPECT_TOKENS [1000]  distinct access tokens the introspection case cycles through
#   BENCH_POOL_CONCURRENCY [16]     requests in flight while making pools
#   BENCH_KEYCLOAK_SESSIONS [32]    Keycloak sessions (sign-ins) the codes come from, in turn
#   BENCH_DOCS [1; 0 when quick]    1: write the table into docs/benchmarks.md
#   BENCH_CACHE_DIR [bench/.cache]  Keycloak's distribution and node-oidc-provider's node_modules (kept between runs)
#   BENCH_KEYCLOAK_VERSION    a 26.x version (default: the newest 26.x the Maven repositories have, else the
#                             newest already in the cache, else 26.7.3)
#   BENCH_KEYCLOAK_JAVA_HOME  the JDK Keycloak runs on (default: the one Gatehouse runs on)
#   BENCH_REDIS [on]          Gatehouse's hot counters in a redis-server of this script's own; BENCH_RATE_LIMITS,
#                             BENCH_CREDITS, BENCH_SERVER_ENV: Gatehouse's metering modes, as for bench/run-load.sh
#   BENCH_DB [system], BENCH_SKIP_BUILD, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: Gatehouse, see bench/server.sh
#   JAVA_HOME                 a JDK 21+ (else Temurin 25)
#
# Downloads (once, into the cache): Keycloak's zip with ./mvnw dependency:copy (the repositories Maven is set
# up with) and oidc-provider@9 with npm install. Every secret (admin passwords, client secrets, the user's
# password, tokens, codes, the API key, cookies) is random or issued during the run, lives in a private
# temporary directory deleted at the end, and is passed to curl, node and wrk through files or stdin.
# Exits 0 when every target is met, 3 when some are not, 4 when a run had failed requests, else 1.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    : "${BENCH_DURATION:=3s}" "${BENCH_WARMUP:=2s}" "${BENCH_POOL_WARMUP:=2s}" "${BENCH_DOCS:=0}"
else
    : "${BENCH_DURATION:=15s}" "${BENCH_WARMUP:=10s}" "${BENCH_POOL_WARMUP:=5s}" "${BENCH_DOCS:=1}"
fi
: "${BENCH_DB:=system}" "${BENCH_REDIS:=on}"
export BENCH_DURATION BENCH_WARMUP BENCH_DB BENCH_REDIS
source "$BENCH_DIR/server.sh"
source "$BENCH_DIR/redis.sh"
source "$BENCH_DIR/load.sh"
pick_java
load_settings

SYSTEMS="${BENCH_SYSTEMS:-keycloak node-oidc-provider gatehouse}"
NOISE_LIMIT="${BENCH_NOISE_LIMIT:-10}"
NOISY_RETRIES="${BENCH_NOISY_RETRIES:-2}"
INTROSPECT_TOKENS="${BENCH_INTROSPECT_TOKENS:-1000}"
POOL_CONCURRENCY="${BENCH_POOL_CONCURRENCY:-16}"
KC_SESSIONS="${BENCH_KEYCLOAK_SESSIONS:-32}"
POOL_WARMUP="$BENCH_POOL_WARMUP"
CACHE_DIR="${BENCH_CACHE_DIR:-$BENCH_DIR/.cache}"
KC_JAVA_HOME="${BENCH_KEYCLOAK_JAVA_HOME:-$JAVA_HOME}"
RESULTS="$RESULTS_DIR/compare.txt"
DOCS="$REPO_ROOT/docs/benchmarks.md"
COMPARE_DIR="$BENCH_DIR/compare"
REDIRECT=http://127.0.0.1/callback
REDIRECT_ENC=http%3A%2F%2F127.0.0.1%2Fcallback
CLK_TCK="$(getconf CLK_TCK)"
RUN_STARTED=$SECONDS

for system in $SYSTEMS; do
    case "$system" in keycloak | node-oidc-provider | gatehouse) ;; *) die "BENCH_SYSTEMS lists keycloak, node-oidc-provider and gatehouse, not '$system'" ;; esac
done
[[ "$POOL_WARMUP" =~ ^[0-9]+s$ ]] || die "BENCH_POOL_WARMUP is whole seconds like 5s, not '$POOL_WARMUP'"
[ "$(seconds "$POOL_WARMUP")" -le "$(seconds "$WARMUP")" ] || POOL_WARMUP="$WARMUP"
for setting in "NOISE_LIMIT=$NOISE_LIMIT" "NOISY_RETRIES=$NOISY_RETRIES" "INTROSPECT_TOKENS=$INTROSPECT_TOKENS" "POOL_CONCURRENCY=$POOL_CONCURRENCY" "KEYCLOAK_SESSIONS=$KC_SESSIONS"; do
    [[ "${setting#*=}" =~ ^[0-9]+$ ]] || die "BENCH_${setting%%=*} is a whole number, not '${setting#*=}'"
done
wants() { [[ " $SYSTEMS " == *" $1 "* ]]; }

server_setup compare
require_wrk
command -v node >/dev/null 2>&1 || die "node (20 or later) is required: apt-get install nodejs npm"
[ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ] || die "node 20 or later is required, not $(node --version)"
mkdir -p "$CACHE_DIR" "$RESULTS_DIR"
: >"$WORK/results.tsv"
: >"$WORK/raw.txt"
: >"$WORK/systems.txt"

# --- Measuring: CPU around each wrk run ------------------------------------------------------------

# The ticks (1/CLK_TCK s) of: the machine busy, the machine in all (both from /proc/stat, all CPUs), the
# process tree of $1 (the server), of the roots in $2 (PostgreSQL, Redis), and of this script's tree without
# those (wrk, curl, this shell). A tree's ticks are each process's own and its reaped children's
# (utime + stime + cutime + cstime), plus its living children's trees.
cpu_snapshot() {
    { head -1 /proc/stat; cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v server="$1" -v stores="$2" -v tool="$$" '
        function tree(p, skip,    s, n, i, kids) {
            if (p in skip) return 0
            s = own[p]
            n = split(children[p], kids, " ")
            for (i = 1; i <= n; i++) s += tree(kids[i], skip)
            return s
        }
        NR == 1 { busy = $2 + $3 + $4 + $7 + $8 + $9; total = busy + $5 + $6; next }
        {
            pid = $1; rest = $0
            sub(/^.*\) /, "", rest)        # after "pid (comm) ": state ppid ... utime(12) stime cutime cstime
            split(rest, f, " ")
            own[pid] = f[12] + f[13] + f[14] + f[15]
            children[f[2]] = children[f[2]] " " pid
        }
        END {
            n = split(stores, roots, " ")
            none[""] = 1
            st = 0
            for (i = 1; i <= n; i++) st += tree(roots[i], none)
            sv = server == "" ? 0 : tree(server, none)
            excluded[server] = 1
            for (i = 1; i <= n; i++) excluded[roots[i]] = 1
            printf "%d %d %d %d %d\n", busy, total, sv, st, tree(tool, excluded)
        }'
}

# VmRSS in MiB of the process tree of $1.
tree_rss_mib() {
    local pids=("$1") all=() p
    while [ "${#pids[@]}" -gt 0 ]; do
        p="${pids[0]}"
        pids=("${pids[@]:1}")
        all+=("$p")
        # shellcheck disable=SC2207
        pids+=($(pgrep -P "$p" || true))
    done
    for p in "${all[@]}"; do awk '/^VmRSS:/ { print $2 }' "/proc/$p/status" 2>/dev/null || true; done \
        | awk '{ s += $1 } END { printf "%.0f", s / 1024 }'
}

# wrk's latency "1.23ms" / "850.00us" / "1.02s" in ms.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else printf "nan" }'
}

# measure NAME URL SCRIPT: one measured wrk run with CPU around it; writes $WORK/NAME.metrics (KEY=VALUE lines).
measure() {
    local name="$1" url="$2" script="$3" before after f="$WORK/$1.wrk"
    before="$(cpu_snapshot "$SERVER_ROOT" "$STORE_ROOTS")"
    run_wrk "$name" "$url" "$script" "$DURATION"
    after="$(cpu_snapshot "$SERVER_ROOT" "$STORE_ROOTS")"
    local requests rps p50 p99 errors pool
    requests="$(wrk_requests "$f")"
    rps="$(wrk_rps "$f")"
    p50="$(to_ms "$(wrk_pct "$f" 50%)")"
    p99="$(to_ms "$(wrk_pct "$f" 99%)")"
    errors="$(wrk_errors "$f")"
    pool="$(grep '^pool: ' "$f" || true)"
    read -r -a b <<<"$before"
    read -r -a a <<<"$after"
    awk -v req="$requests" -v tck="$CLK_TCK" -v busy=$((a[0] - b[0])) -v total=$((a[1] - b[1])) -v sv=$((a[2] - b[2])) \
        -v st=$((a[3] - b[3])) -v tool=$((a[4] - b[4])) -v rps="$rps" -v p50="$p50" -v p99="$p99" -v errors="$errors" 'BEGIN {
        other = busy - sv - st - tool; if (other < 0) other = 0
        printf "rps=%s\np50=%s\np99=%s\nerrors=%d\nrequests=%d\n", rps, p50, p99, errors, req
        printf "server_ms=%.3f\nstores_ms=%.3f\nwrk_ms=%.3f\n", sv * 1000 / tck / req, st * 1000 / tck / req, tool * 1000 / tck / req
        printf "server_pct=%.1f\nstores_pct=%.1f\nwrk_pct=%.1f\nother_pct=%.1f\n", 100 * sv / total, 100 * st / total, 100 * tool / total, 100 * other / total
    }' >"$WORK/$name.metrics"
    if [ -n "$pool" ]; then
        echo "$pool" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); printf "pool_%s=%s\n", kv[1], kv[2] } }' >>"$WORK/$name.metrics"
    fi
}
metric() { sed -n "s/^$2=//p" "$WORK/$1.metrics"; }

# record SYSTEM CASE NAME ATTEMPTS NOTE: the kept run of a case, into the results table and the raw output.
record() {
    local system="$1" case="$2" name="$3" attempts="$4" note="$5" flag=""
    if noisy "$name"; then
        flag=" (noisy)"
        note="${note:+$note; }noisy after $attempts runs"
    fi
    local inactive
    inactive="$(metric "$name" pool_inactive)"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$system" "$case" "$(metric "$name" rps)" "$(metric "$name" p50)" \
        "$(metric "$name" p99)" "$(metric "$name" server_ms)" "$(metric "$name" stores_ms)" "$(metric "$name" other_pct)" \
        "$(($(metric "$name" errors) + ${inactive:-0}))" "$attempts" "${note:--}" "$(metric "$name" server_pct)" "$(metric "$name" wrk_pct)" \
        >>"$WORK/results.tsv"
    log "$system $case: $(metric "$name" rps) req/s, p99 $(metric "$name" p99) ms, server $(metric "$name" server_ms) ms/req, other $(metric "$name" other_pct) %$flag"
}

# raw NAME TITLE: a run's wrk output and metrics into the raw output.
raw() {
    {
        echo "=== $2 ==="
        cat "$WORK/$1.wrk"
        if [ -f "$WORK/$1.metrics" ]; then
            tr '\n' ' ' <"$WORK/$1.metrics"
            echo
        fi
        echo
    } >>"$WORK/raw.txt"
}

# quieter A B: succeeds when run A's "other" CPU is below run B's.
quieter() { awk -v a="$(metric "$1" other_pct)" -v b="$(metric "$2" other_pct)" 'BEGIN { exit !(a < b) }'; }
noisy() { awk -v o="$(metric "$1" other_pct)" -v l="$NOISE_LIMIT" 'BEGIN { exit !(o > l) }'; }

# static_case SYSTEM CASE URL SCRIPT: warm-up, then measured runs until one is quiet (or retries run out).
static_case() {
    local system="$1" case="$2" url="$3" script="$4" slug attempt best="" name
    slug="$system-$(printf %s "$case" | tr -c "A-Za-z0-9_" -)"
    log "$system, $case: warm-up $WARMUP"
    run_wrk "$slug-warmup" "$url" "$script" "$WARMUP"
    raw "$slug-warmup" "$system: $case, warm-up (not counted)"
    for attempt in $(seq 1 $((NOISY_RETRIES + 1))); do
        name="$slug-$attempt"
        log "$system, $case: run $attempt ($DURATION)"
        measure "$name" "$url" "$script"
        raw "$name" "$system: $case, run $attempt"
        if [ -z "$best" ] || quieter "$name" "$best"; then best="$name"; fi
        noisy "$name" || break
        log "$system, $case: other CPU $(metric "$name" other_pct) % > $NOISE_LIMIT %: noisy"
    done
    record "$system" "$case" "$best" "$attempt" ""
    CASE_RPS="$(metric "$best" rps)"
}

# pool_lua FILE POOL PATH CYCLE CHECK: the wrk script of a pool case (client authentication from $BASIC_FILE).
pool_lua() {
    {
        printf 'pool_file = "%s"\npool_path = "%s"\n' "$2" "$3"
        printf 'pool_headers = { ["Authorization"] = "%s" }\n' "$(cat "$BASIC_FILE")"
        printf 'pool_threads = %d\npool_cycle = %s\npool_check_active = %s\n' "$THREADS" "$4" "$5"
        printf 'dofile("%s")\n' "$COMPARE_DIR/pool.lua"
    } >"$1"
    chmod 600 "$1"
}

# make_pool KIND COUNT FILE: bench/compare/pool.mjs, the job on stdin (it holds the client's secret).
make_pool() {
    local kind="$1" count="$2" out="$3" basic job="$WORK/pool-job.json"
    basic="$(cat "$BASIC_FILE")"
    local jars
    jars="$(printf '"%s",' "${COOKIE_JARS[@]}")"
    printf '{"kind":"%s","count":%d,"concurrency":%d,"out":"%s","authorize":"%s","cookieJars":[%s],"redirectUri":"%s","token":"%s","basic":"%s","form":"%s"}' \
        "$kind" "$count" "$POOL_CONCURRENCY" "$out" "$AUTHORIZE_URL" "${jars%,}" "$REDIRECT" "$BASE_URL$TOKEN_PATH" "$basic" \
        "$(case "$kind" in refresh-by-password) cat "$PASSWORD_FORM_FILE" ;; access-tokens) echo "$INTROSPECT_FORM" ;; esac)" >"$job"
    chmod 600 "$job"
    local line status=0
    line="$(timeout 900 node "$COMPARE_DIR/pool.mjs" <"$job" 2>&1)" || status=$?
    rm -f "$job"
    log "$line"
    echo "# $SYSTEM_NOW: $line" >>"$WORK/pools.txt"
    [ "$status" = 0 ] || die "making a pool failed ($line)"
}

sessions() { [ "${#COOKIE_JARS[@]}" = 1 ] && echo "one session" || echo "${#COOKIE_JARS[@]} sessions in turn"; }

# pool_case SYSTEM CASE KIND: warm-up with a pool sized from the client_credentials rate, then measured runs
# with pools sized from the warm-up's rate (one more, larger, when a run used its pool up), until one is quiet.
pool_case() {
    local system="$1" case="$2" kind="$3" slug guess rate size attempt=0 noisy_runs=0 exhausted_runs=0 best="" name used after d
    slug="$system-$(printf %s "$case" | tr -c "A-Za-z0-9_" -)"
    d="$(seconds "$DURATION")"
    guess="${CC_RPS:-500}"
    # Enough to warm the path up and see its rate (running out early is fine here: the rate is then the pool
    # over the time it lasted), never more than 3,000: pools of the slower grants take long to make.
    size="$(awk -v r="$guess" -v w="$(seconds "$POOL_WARMUP")" 'BEGIN { n = int(r * w * 0.6) + 100; if (n > 3000) n = 3000; print n }')"
    log "$system, $case: warm-up pool of $size"
    make_pool "$kind" "$size" "$WORK/pool.txt"
    pool_lua "$WORK/pool.lua" "$WORK/pool.txt" "$TOKEN_PATH" false false
    run_wrk "$slug-warmup" "$BASE_URL/" "$WORK/pool.lua" "$POOL_WARMUP"
    raw "$slug-warmup" "$system: $case, warm-up (not counted)"
    used="$(sed -n -E 's/^pool: .* used=([0-9]+) .*/\1/p' "$WORK/$slug-warmup.wrk")"
    after="$(sed -n -E 's/^pool: .* first_exhausted_after_s=([-0-9.]+) .*/\1/p' "$WORK/$slug-warmup.wrk")"
    rate="$(awk -v u="$used" -v a="$after" -v w="$(seconds "$POOL_WARMUP")" 'BEGIN { print (a > 0 ? u / a : u / w) }')"
    while :; do
        attempt=$((attempt + 1))
        size="$(awk -v r="$rate" -v d="$d" 'BEGIN { n = int(r * d * 1.5) + 100; if (n > 300000) n = 300000; print n }')"
        name="$slug-$attempt"
        log "$system, $case: run $attempt, pool of $size"
        make_pool "$kind" "$size" "$WORK/pool.txt"
        measure "$name" "$BASE_URL/" "$WORK/pool.lua"
        raw "$name" "$system: $case, run $attempt (pool of $size)"
        if [ "$(metric "$name" pool_exhausted_threads)" != 0 ]; then
            exhausted_runs=$((exhausted_runs + 1))
            used="$(metric "$name" pool_used)"
            after="$(metric "$name" pool_first_exhausted_after_s)"
            rate="$(awk -v u="$used" -v a="$after" -v r="$rate" 'BEGIN { x = (a > 0 ? u / a : r * 2); print (x > r * 1.5 ? x : r * 1.5) }')"
            log "$system, $case: the pool ran out after ${after}s: again, larger"
            [ "$exhausted_runs" -le 3 ] || die "$system, $case: the pool ran out $exhausted_runs times"
            continue
        fi
        if [ -z "$best" ] || quieter "$name" "$best"; then best="$name"; fi
        noisy "$name" || break
        noisy_runs=$((noisy_runs + 1))
        [ "$noisy_runs" -le "$NOISY_RETRIES" ] || break
        log "$system, $case: other CPU $(metric "$name" other_pct) % > $NOISE_LIMIT %: noisy"
    done
    record "$system" "$case" "$best" "$attempt" "$(echo "$kind" | sed 's/refresh-by-code/refresh tokens from codes/; s/refresh-by-password/refresh tokens from password grants/; s/^codes$/codes with prompt=none from '"$(sessions)"'/')"
}

# introspection_case SYSTEM CASE POOL_FILE: wrk cycles through the pool's tokens; answers must be "active":true.
introspection_case() {
    pool_lua "$WORK/introspect.lua" "$3" "$INTROSPECT_PATH" true true
    static_case "$1" "$2" "$BASE_URL/" "$WORK/introspect.lua"
    local inactive
    inactive="$(tail -1 "$WORK/results.tsv" | cut -f9)"
    [ "$inactive" = 0 ] || log "$1, $2: $inactive answers were not 200 with \"active\":true"
}

# common_cases SYSTEM CC_FORM: the cases every system has, after it is set up (BASE_URL, paths, BASIC_FILE, ...).
common_cases() {
    local system="$1"
    SYSTEM_NOW="$system"
    static_case "$system" "discovery GET" "$BASE_URL$DISCOVERY_PATH" "$WORK/none.lua"
    static_case "$system" "JWKS GET" "$BASE_URL$JWKS_PATH" "$WORK/none.lua"
    {
        printf 'wrk.method = "POST"\nwrk.body = "%s"\n' "$2"
        printf 'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        printf 'wrk.headers["Authorization"] = "%s"\n' "$(cat "$BASIC_FILE")"
    } >"$WORK/cc.lua"
    static_case "$system" "client_credentials" "$BASE_URL$TOKEN_PATH" "$WORK/cc.lua"
    CC_RPS="$CASE_RPS"
    make_pool access-tokens "$INTROSPECT_TOKENS" "$WORK/introspect-pool.txt"
    introspection_case "$system" "introspection" "$WORK/introspect-pool.txt"
}

system_done() {
    local system="$1" rss
    rss="$(tree_rss_mib "$SERVER_ROOT")"
    echo "# $system: $2; ready $3 s after its start; RSS after the run $rss MiB; log WARN/ERROR by logger: $(log_problems "$4")" >>"$WORK/systems.txt"
    # The messages, with anything that could be a credential (a JWT, a key, a long random string) cut out.
    log_problem_samples "$4" | sed -E -e "s/^#/# $system:/" -e 's/eyJ[A-Za-z0-9_.-]+/[jwt]/g' \
        -e 's/gth_(live|test)_[0-9A-Za-z]+/[key]/g' -e 's/[A-Za-z0-9_-]{40,}/[cut]/g' >>"$WORK/log-samples.txt" || true
    printf '%s\t%s\n' "$system" "$rss" >>"$WORK/rss.tsv"
}

# --- Keycloak ----------------------------------------------------------------------------------------
KC_PID=""
keycloak_version() {
    if [ -n "${BENCH_KEYCLOAK_VERSION:-}" ]; then
        [[ "$BENCH_KEYCLOAK_VERSION" =~ ^26\.[0-9]+\.[0-9]+$ ]] || die "BENCH_KEYCLOAK_VERSION is a 26.x.y version, not '$BENCH_KEYCLOAK_VERSION'"
        echo "$BENCH_KEYCLOAK_VERSION"
        return
    fi
    # Maven writes the artifact's version list (maven-metadata-<repository>.xml) into the local repository when
    # it resolves the meta-version RELEASE; the newest 26.x there is the one to use.
    local repo="${BENCH_MAVEN_REPO:-$HOME/.m2/repository}" found
    if (cd "$REPO_ROOT" && timeout 300 ./mvnw -q -B -N dependency:get -Dartifact=org.keycloak:keycloak-quarkus-dist:RELEASE:pom -Dtransitive=false) >"$WORK/keycloak-version.log" 2>&1; then
        found="$(cat "$repo"/org/keycloak/keycloak-quarkus-dist/maven-metadata-*.xml 2>/dev/null \
            | sed -n -E 's|.*<version>(26\.[0-9]+\.[0-9]+)</version>.*|\1|p' | sort -V | tail -1 || true)"
    fi
    if [ -z "${found:-}" ]; then
        found="$(ls -d "$CACHE_DIR"/keycloak/keycloak-26.* 2>/dev/null | sed 's|.*/keycloak-||' | sort -V | tail -1 || true)"
        log "could not read Keycloak's versions from the Maven repositories: using ${found:-26.7.3}"
    fi
    echo "${found:-26.7.3}"
}

keycloak_prepare() {
    KC_VERSION="$(keycloak_version)"
    KC_HOME="$CACHE_DIR/keycloak/keycloak-$KC_VERSION"
    if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
        command -v unzip >/dev/null 2>&1 || apt_install unzip
        log "downloading Keycloak $KC_VERSION (org.keycloak:keycloak-quarkus-dist zip) with ./mvnw dependency:copy"
        mkdir -p "$CACHE_DIR/keycloak"
        (cd "$REPO_ROOT" && ./mvnw -q -B -N dependency:copy -Dartifact="org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" \
            -DoutputDirectory="$CACHE_DIR/keycloak") >"$WORK/keycloak-download.log" 2>&1 \
            || { tail -20 "$WORK/keycloak-download.log" >&2; die "could not download Keycloak $KC_VERSION"; }
        unzip -q -o "$CACHE_DIR/keycloak/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$CACHE_DIR/keycloak"
        rm -f "$CACHE_DIR/keycloak/keycloak-quarkus-dist-$KC_VERSION.zip"
        [ -x "$KC_HOME/bin/kc.sh" ] || die "the Keycloak zip did not hold keycloak-$KC_VERSION/bin/kc.sh"
    fi
}

stop_keycloak() {
    [ -n "$KC_PID" ] && log "stopping Keycloak (pid $KC_PID)"
    stop_pid "$KC_PID" Keycloak
    KC_PID=""
}

# kc_admin METHOD PATH [JSON_FILE]: Keycloak's admin REST API with the admin's token; prints the status.
kc_admin() {
    local body=()
    [ -z "${3:-}" ] || body=(-H 'Content-Type: application/json' --data-binary @"$3")
    curl -sS -m 60 -o "$WORK/kc-admin.out" -w '%{http_code}' -X "$1" -H @"$WORK/kc-admin.header" "${body[@]}" "$BASE_URL/admin$2"
}

keycloak_start() {
    rm -rf "$KC_HOME/data" # a fresh dev database (H2) every run
    local port management started
    port="$(free_port)"
    management="$(free_port)"
    BASE_URL="http://$HOST:$port"
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$WORK/kc-admin.password"
    log "starting Keycloak $KC_VERSION (start-dev) on $BASE_URL with $("$KC_JAVA_HOME/bin/java" -version 2>&1 | head -1)"
    started=$SECONDS
    (
        KC_BOOTSTRAP_ADMIN_USERNAME=admin
        KC_BOOTSTRAP_ADMIN_PASSWORD="$(cat "$WORK/kc-admin.password")"
        export KC_BOOTSTRAP_ADMIN_USERNAME KC_BOOTSTRAP_ADMIN_PASSWORD
        export JAVA_HOME="$KC_JAVA_HOME" JAVA="$KC_JAVA_HOME/bin/java"
        exec "$KC_HOME/bin/kc.sh" start-dev --http-host="$HOST" --http-port="$port" --http-management-port="$management"
    ) >"$WORK/keycloak.log" 2>&1 </dev/null &
    KC_PID=$!
    on_cleanup stop_keycloak
    local deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-180} + 120))
    until curl -fsS -m 2 -o /dev/null "$BASE_URL/realms/master/.well-known/openid-configuration" 2>/dev/null; do
        kill -0 "$KC_PID" 2>/dev/null || { tail -30 "$WORK/keycloak.log" >&2; die "Keycloak exited during start-up"; }
        [ "$SECONDS" -lt "$deadline" ] || { tail -30 "$WORK/keycloak.log" >&2; die "Keycloak was not ready in time"; }
        sleep 1
    done
    KC_READY=$((SECONDS - started))
    log "Keycloak ready after ${KC_READY}s"
}

keycloak_setup() {
    local status secret password
    printf 'grant_type=password&client_id=admin-cli&username=admin&password=%s' "$(cat "$WORK/kc-admin.password")" >"$WORK/kc-admin.form"
    curl -sS -m 60 -o "$WORK/kc-admin-token.json" --data @"$WORK/kc-admin.form" "$BASE_URL/realms/master/protocol/openid-connect/token"
    printf 'Authorization: Bearer %s\n' "$(sed -n -E 's/.*"access_token":"([^"]+)".*/\1/p' "$WORK/kc-admin-token.json")" >"$WORK/kc-admin.header"
    # Rotation as Gatehouse does it: every refresh token once. Codes live 10 min (pools take a while to make).
    # Passwords hashed cheaply: only the making of pools signs in (a password grant per refresh token).
    cat >"$WORK/kc-realm.json" <<'EOF'
{"realm": "bench", "enabled": true, "revokeRefreshToken": true, "refreshTokenMaxReuse": 0, "accessCodeLifespan": 600,
 "passwordPolicy": "hashAlgorithm(pbkdf2-sha256) and hashIterations(1000)"}
EOF
    status="$(kc_admin POST /realms "$WORK/kc-realm.json")"
    [ "$status" = 201 ] || die "creating Keycloak's realm answered $status: $(head -c 300 "$WORK/kc-admin.out")"
    secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
    # The client is in its tokens' audience, so it may introspect them (Keycloak 26 requires that).
    cat >"$WORK/kc-client.json" <<EOF
{"clientId": "bench-app", "secret": "$secret", "publicClient": false, "serviceAccountsEnabled": true,
 "standardFlowEnabled": true, "directAccessGrantsEnabled": true, "redirectUris": ["$REDIRECT"],
 "protocolMappers": [{"name": "audience", "protocol": "openid-connect", "protocolMapper": "oidc-audience-mapper",
   "config": {"included.client.audience": "bench-app", "access.token.claim": "true", "introspection.token.claim": "true"}}]}
EOF
    status="$(kc_admin POST /realms/bench/clients "$WORK/kc-client.json")"
    [ "$status" = 201 ] || die "creating Keycloak's client answered $status: $(head -c 300 "$WORK/kc-admin.out")"
    cat >"$WORK/kc-user.json" <<EOF
{"username": "bench", "enabled": true, "emailVerified": true, "email": "bench@example.test", "firstName": "Bench",
 "lastName": "User", "credentials": [{"type": "password", "value": "$password", "temporary": false}]}
EOF
    status="$(kc_admin POST /realms/bench/users "$WORK/kc-user.json")"
    [ "$status" = 201 ] || die "creating Keycloak's user answered $status: $(head -c 300 "$WORK/kc-admin.out")"
    rm -f "$WORK/kc-realm.json" "$WORK/kc-client.json" "$WORK/kc-user.json" "$WORK/kc-admin.form"

    printf 'Basic %s' "$(printf 'bench-app:%s' "$secret" | base64 -w0)" >"$WORK/basic"
    BASIC_FILE="$WORK/basic"
    printf 'grant_type=password&username=bench&password=%s' "$password" >"$WORK/password.form"
    PASSWORD_FORM_FILE="$WORK/password.form"
    local oidc=/realms/bench/protocol/openid-connect
    DISCOVERY_PATH=/realms/bench/.well-known/openid-configuration
    JWKS_PATH=$oidc/certs
    TOKEN_PATH=$oidc/token
    INTROSPECT_PATH=$oidc/token/introspect
    INTROSPECT_FORM="grant_type=client_credentials"
    AUTHORIZE_URL="$BASE_URL$oidc/auth?response_type=code&client_id=bench-app&redirect_uri=$REDIRECT_ENC&state=s&prompt=none"

    # Sign in with the login form, KC_SESSIONS times: codes then come with prompt=none from these sessions in
    # turn. Many people's codes, as in real traffic: Keycloak keeps a session's state in one database row,
    # and one session asked for many codes at once fails with conflicts and serializes their exchanges.
    COOKIE_JARS=()
    local action jar n
    printf 'username=bench&password=%s&credentialId=' "$password" >"$WORK/kc-login.form"
    for n in $(seq 1 "$KC_SESSIONS"); do
        jar="$WORK/kc-$n.cookies"
        curl -sS -m 30 -c "$jar" -b "$jar" -o "$WORK/kc-login.html" \
            "$BASE_URL$oidc/auth?response_type=code&client_id=bench-app&redirect_uri=$REDIRECT_ENC&state=s"
        action="$(grep -o 'action="[^"]*"' "$WORK/kc-login.html" | head -1 | sed -e 's/^action="//' -e 's/"$//' -e 's/&amp;/\&/g' || true)"
        [ -n "$action" ] || die "Keycloak's login page has no form"
        status="$(curl -sS -m 30 -c "$jar" -b "$jar" -o /dev/null -w '%{http_code} %{redirect_url}' --data @"$WORK/kc-login.form" "$action")"
        [[ "$status" == "302 $REDIRECT?"*code=* ]] || die "signing in to Keycloak did not redirect with a code (${status%% *})"
        grep -q KEYCLOAK_IDENTITY "$jar" || die "Keycloak set no KEYCLOAK_IDENTITY cookie"
        COOKIE_JARS+=("$jar")
    done
    rm -f "$WORK/kc-login.form" "$WORK/kc-login.html"
    SERVER_ROOT="$KC_PID"
    STORE_ROOTS=""
}

run_keycloak() {
    keycloak_start
    keycloak_setup
    common_cases keycloak "grant_type=client_credentials"
    pool_case keycloak "refresh_token (rotation)" refresh-by-password
    pool_case keycloak "authorization_code exchange" codes
    system_done keycloak "Keycloak $KC_VERSION, start-dev (dev-file H2 database), $("$KC_JAVA_HOME/bin/java" -version 2>&1 | head -1), kc.sh's default JVM options" \
        "$KC_READY" "$WORK/keycloak.log"
    stop_keycloak
}

# --- node-oidc-provider ------------------------------------------------------------------------------
NODE_PID=""
node_prepare() {
    NODE_DIR="$CACHE_DIR/node"
    if [ ! -f "$NODE_DIR/node_modules/oidc-provider/package.json" ]; then
        command -v npm >/dev/null 2>&1 || die "npm is required (apt-get install npm)"
        log "installing oidc-provider@9 with npm into $NODE_DIR"
        mkdir -p "$NODE_DIR"
        [ -f "$NODE_DIR/package.json" ] || echo '{"private": true}' >"$NODE_DIR/package.json"
        (cd "$NODE_DIR" && timeout 600 npm install --no-audit --no-fund --loglevel=error oidc-provider@9) >"$WORK/npm.log" 2>&1 \
            || { tail -20 "$WORK/npm.log" >&2; die "npm install oidc-provider@9 failed"; }
    fi
    OIDC_PROVIDER_VERSION="$(node -p "require('$NODE_DIR/node_modules/oidc-provider/package.json').version")"
    [[ "$OIDC_PROVIDER_VERSION" == 9.* ]] || die "$NODE_DIR holds oidc-provider $OIDC_PROVIDER_VERSION, not 9.x: delete it"
}

stop_node() {
    [ -n "$NODE_PID" ] && log "stopping node-oidc-provider (pid $NODE_PID)"
    stop_pid "$NODE_PID" node-oidc-provider
    NODE_PID=""
}

run_node() {
    local port secret started
    port="$(free_port)"
    BASE_URL="http://$HOST:$port"
    secret="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    printf '{"client_id": "bench-app", "client_secret": "%s"}' "$secret" >"$WORK/node-client.json"
    log "starting node-oidc-provider $OIDC_PROVIDER_VERSION on $BASE_URL (node $(node --version))"
    started=$SECONDS
    OIDC_PROVIDER_DIR="$NODE_DIR" PORT="$port" node "$COMPARE_DIR/oidc-provider-server.mjs" <"$WORK/node-client.json" >"$WORK/node.log" 2>&1 &
    NODE_PID=$!
    on_cleanup stop_node
    until curl -fsS -m 2 -o /dev/null "$BASE_URL/.well-known/openid-configuration" 2>/dev/null; do
        kill -0 "$NODE_PID" 2>/dev/null || { tail -30 "$WORK/node.log" >&2; die "node-oidc-provider exited during start-up"; }
        [ $((SECONDS - started)) -lt 60 ] || die "node-oidc-provider was not ready within 60 s"
        sleep 0.2
    done
    local ready=$((SECONDS - started))
    rm -f "$WORK/node-client.json"
    printf 'Basic %s' "$(printf 'bench-app:%s' "$secret" | base64 -w0)" >"$WORK/basic"
    BASIC_FILE="$WORK/basic"
    DISCOVERY_PATH=/.well-known/openid-configuration
    JWKS_PATH=/jwks
    TOKEN_PATH=/token
    INTROSPECT_PATH=/token/introspection
    # It refuses to introspect its JWTs: the introspection case uses its opaque tokens (another resource).
    INTROSPECT_FORM="grant_type=client_credentials&scope=api%3Aread&resource=urn%3Agatehouse-bench%3Aopaque"
    AUTHORIZE_URL="$BASE_URL/auth?response_type=code&client_id=bench-app&redirect_uri=$REDIRECT_ENC&scope=api%3Aread&state=s&prompt=none"

    # Sign in: the interaction URL signs the bench account in at once; follow the redirects to the code.
    COOKIE_JAR="$WORK/node.cookies"
    COOKIE_JARS=("$COOKIE_JAR")
    local location="$BASE_URL/auth?response_type=code&client_id=bench-app&redirect_uri=$REDIRECT_ENC&scope=api%3Aread&state=s" answer i
    for i in 1 2 3 4 5 6; do
        answer="$(curl -sS -m 30 -c "$COOKIE_JAR" -b "$COOKIE_JAR" -o /dev/null -w '%{http_code} %{redirect_url}' "$location")"
        location="${answer#* }"
        [[ "$location" == "$REDIRECT?"* ]] && break
    done
    [[ "$location" == "$REDIRECT?code="* ]] || die "signing in to node-oidc-provider did not end with a code (${answer%% *})"
    SERVER_ROOT="$NODE_PID"
    STORE_ROOTS=""

    SYSTEM_NOW=node-oidc-provider
    common_cases node-oidc-provider "grant_type=client_credentials&scope=api%3Aread"
    pool_case node-oidc-provider "refresh_token (rotation)" refresh-by-code
    pool_case node-oidc-provider "authorization_code exchange" codes
    system_done node-oidc-provider "node-oidc-provider $OIDC_PROVIDER_VERSION on node $(node --version), in memory (bench/compare/oidc-provider-server.mjs)" \
        "$ready" "$WORK/node.log"
    stop_node
}

# --- Gatehouse ---------------------------------------------------------------------------------------
run_gatehouse() {
    local admin status started
    metering_env
    admin="$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
    printf 'Authorization: Bearer %s\n' "$admin" >"$WORK/gh-admin.header"
    started=$SECONDS
    # Codes live 10 min, as in the two others here: a pool takes a while to make.
    start_server "GATEHOUSE_ADMIN_TOKEN=$admin" GATEHOUSE_OAUTH_AUTHORIZATION_CODE_LIFETIME=10m "${METERING_ENV[@]}"
    local ready=$((SECONDS - started))
    BASE_URL="$BASE"
    mint_bench_key # a person (the session cookie in $WORK/cookies) and an API key (profile:read)
    COOKIE_JARS=("$WORK/cookies")

    # A confidential client like the other two have, through the admin API: skip_consent, so that a signed-in
    # session gets a code at once (the demo seed's demo-app asks for consent every time).
    cat >"$WORK/gh-client.json" <<EOF
{"client_name": "bench", "redirect_uris": ["$REDIRECT"], "grant_types": ["authorization_code", "refresh_token", "client_credentials"],
 "token_endpoint_auth_method": "client_secret_basic", "scope": "profile:read", "skip_consent": true}
EOF
    status="$(curl -sS -m 30 -o "$WORK/gh-client.out" -w '%{http_code}' -H @"$WORK/gh-admin.header" -H 'Content-Type: application/json' \
        --data-binary @"$WORK/gh-client.json" "$BASE/admin/clients")"
    [ "$status" = 201 ] || die "POST /admin/clients answered $status: $(head -c 300 "$WORK/gh-client.out")"
    local client secret
    client="$(sed -n -E 's/.*"client_id" *: *"([^"]+)".*/\1/p' "$WORK/gh-client.out")"
    secret="$(sed -n -E 's/.*"client_secret" *: *"([^"]+)".*/\1/p' "$WORK/gh-client.out")"
    [ -n "$client" ] && [ -n "$secret" ] || die "POST /admin/clients answered no client_id and client_secret"
    rm -f "$WORK/gh-client.out" "$WORK/gh-client.json"
    printf 'Basic %s' "$(printf '%s:%s' "$client" "$secret" | base64 -w0)" >"$WORK/basic"
    BASIC_FILE="$WORK/basic"
    DISCOVERY_PATH=/.well-known/openid-configuration
    JWKS_PATH=/oauth2/jwks
    TOKEN_PATH=/oauth2/token
    INTROSPECT_PATH=/oauth2/introspect
    INTROSPECT_FORM="grant_type=client_credentials&scope=profile%3Aread"
    AUTHORIZE_URL="$BASE/oauth2/authorize?response_type=code&client_id=$client&redirect_uri=$REDIRECT_ENC&scope=profile%3Aread&state=s&prompt=none"
    SERVER_ROOT="$SERVER_PID"
    STORE_ROOTS="$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true) ${REDIS_PID:-}"

    SYSTEM_NOW=gatehouse
    common_cases gatehouse "grant_type=client_credentials&scope=profile%3Aread"
    printf 'token=%s\n' "$(sed -n -E 's/^Authorization: Bearer (.*)$/\1/p' "$WORK/auth.header")" >"$WORK/key-pool.txt"
    introspection_case gatehouse "introspection of an API key" "$WORK/key-pool.txt"
    pool_case gatehouse "refresh_token (rotation)" refresh-by-code
    pool_case gatehouse "authorization_code exchange" codes
    static_case gatehouse "GET /v1/ping (no-op)" "$BASE/v1/ping" "$WORK/none.lua"
    static_case gatehouse "GET /v1/me (API key)" "$BASE/v1/me" "$WORK/auth.lua"
    system_done gatehouse "Gatehouse $(git -C "$REPO_ROOT" log -1 --format=%h -- src pom.xml 2>/dev/null || echo unknown), prod jar, one node, $DB_MODE PostgreSQL $("$PG_BIN/postgres" --version 2>/dev/null | awk '{ print $3 }'), $METERING, $("$JAVA" -version 2>&1 | head -1)" \
        "$ready" "$WORK/server.log"
    stop_server || true # (its wait answers the JVM's exit status, 143)
}

# --- The run -----------------------------------------------------------------------------------------
wants gatehouse && build_server
wants keycloak && keycloak_prepare
wants node-oidc-provider && node_prepare
printf -- '-- no credentials\n' >"$WORK/none.lua"

wants keycloak && run_keycloak
wants node-oidc-provider && run_node
wants gatehouse && run_gatehouse
ELAPSED=$((SECONDS - RUN_STARTED))

# --- Report ------------------------------------------------------------------------------------------
# The table: one row per case and system, from results.tsv.
rps_of() { awk -F'\t' -v s="$1" -v c="$2" '$1 == s && $2 == c { print $3 }' "$WORK/results.tsv"; }
col_of() { awk -F'\t' -v s="$1" -v c="$2" -v n="$3" '$1 == s && $2 == c { print $n }' "$WORK/results.tsv"; }
# 12345.6 -> 12,346
thousands() { awk -v n="$1" 'BEGIN { s = sprintf("%.0f", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } print s r }'; }
label() { case "$1" in keycloak) echo Keycloak ;; node-oidc-provider) echo node-oidc-provider ;; gatehouse) echo Gatehouse ;; esac; }

TARGETS_MISSED=0
INVALID=0
awk -F'\t' '$9 != 0 { bad = 1 } END { exit !bad }' "$WORK/results.tsv" && INVALID=1

# target LABEL GATEHOUSE_CASE PEER PEER_CASE MIN: "ratio ×, met/not met" (a run with failed requests: not judged).
target_row() {
    local what="$1" ours="$2" peer="$3" peer_case="$4" min="$5" a b verdict ratio
    a="$(rps_of gatehouse "$ours")"
    b="$(rps_of "$peer" "$peer_case")"
    if [ -z "$a" ] || [ -z "$b" ]; then
        printf '| %s | – | not measured in this run |\n' "$what"
        return
    fi
    ratio="$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", a / b }')"
    if [ "$(col_of gatehouse "$ours" 9)" != 0 ] || [ "$(col_of "$peer" "$peer_case" 9)" != 0 ]; then
        verdict="not judged: failed requests"
    elif awk -v r="$ratio" -v m="$min" 'BEGIN { exit !(r >= m) }'; then
        verdict="**met**"
    else
        verdict="not met"
        TARGETS_MISSED=1
    fi
    printf '| %s | %s× (%s / %s req/s) | %s |\n' "$what" "$ratio" "$(thousands "$a")" "$(thousands "$b")" "$verdict"
}

TABLE="$WORK/table.md"
{
    echo "Run of $(date -u +%Y-%m-%d) (\`bash bench/compare.sh\`, took $((ELAPSED / 60)) min $((ELAPSED % 60)) s): commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' with local changes'), $(nproc) cores, wrk -t$THREADS -c$CONNECTIONS -d$DURATION, keep-alive, warm-up $WARMUP per case ($POOL_WARMUP with pools)$([ "${BENCH_QUICK:-0}" = 1 ] && echo ', **quick smoke run: not figures to keep**')."
    echo
    sed 's/^# /- /' "$WORK/systems.txt"
    echo
    echo "| work | system | req/s | p50 ms | p99 ms | server CPU ms/req | PostgreSQL + Redis CPU ms/req | other CPU % | failed | note |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"
    for case in "discovery GET" "JWKS GET" "client_credentials" "introspection" "introspection of an API key" \
        "refresh_token (rotation)" "authorization_code exchange" "GET /v1/ping (no-op)" "GET /v1/me (API key)"; do
        for system in $SYSTEMS; do
            awk -F'\t' -v s="$system" -v c="$case" -v l="$(label "$system")" -v limit="$NOISE_LIMIT" '
            function thousands(n,    s, r) { s = sprintf("%.0f", n); r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
            $1 == s && $2 == c {
                work = c
                if (c == "introspection") work = (s == "node-oidc-provider" ? "introspection (opaque token: it refuses JWTs)" : "introspection of a JWT")
                printf "| %s | %s | %s | %.2f | %.2f | %.3f | %s | %s%s | %d | %s |\n", work, l, thousands($3), $4, $5, $6,
                    (s == "gatehouse" ? sprintf("%.3f", $7) : "–"), $8, ($8 > limit ? " (noisy)" : ""), $9, ($11 == "-" ? "" : $11)
            }' "$WORK/results.tsv"
        done
    done
    echo
    echo "Issue 11's targets (ratios of requests/s in this run):"
    echo
    echo "| target | Gatehouse / peer | result |"
    echo "|---|---|---|"
    target_row "\`client_credentials\` ≥ 1.5× node-oidc-provider (RS256 JWT)" "client_credentials" node-oidc-provider "client_credentials" 1.5
    target_row "\`client_credentials\` ≥ 5× Keycloak" "client_credentials" keycloak "client_credentials" 5
    target_row "\`refresh_token\` with rotation ≥ 3× Keycloak" "refresh_token (rotation)" keycloak "refresh_token (rotation)" 3
    target_row "\`authorization_code\` exchange ≥ 3× Keycloak" "authorization_code exchange" keycloak "authorization_code exchange" 3
    target_row "introspection of a JWT ≥ 2× node-oidc-provider" "introspection" node-oidc-provider "introspection" 2
    target_row "introspection of a JWT ≥ 10× Keycloak" "introspection" keycloak "introspection" 10
    target_row "introspection of an API key ≥ 2× node-oidc-provider" "introspection of an API key" node-oidc-provider "introspection" 2
    target_row "introspection of an API key ≥ 10× Keycloak" "introspection of an API key" keycloak "introspection" 10
    target_row "discovery ≥ 1.2× node-oidc-provider" "discovery GET" node-oidc-provider "discovery GET" 1.2
    target_row "JWKS ≥ 1.2× node-oidc-provider" "JWKS GET" node-oidc-provider "JWKS GET" 1.2
    me="$(rps_of gatehouse "GET /v1/me (API key)")"
    ping="$(rps_of gatehouse "GET /v1/ping (no-op)")"
    if [ -n "$me" ] && [ -n "$ping" ]; then
        p99="$(col_of gatehouse "GET /v1/me (API key)" 5)"
        ratio="$(awk -v a="$me" -v b="$ping" 'BEGIN { printf "%.2f", a / b }')"
        if [ "$(col_of gatehouse "GET /v1/me (API key)" 9)" != 0 ] || [ "$(col_of gatehouse "GET /v1/ping (no-op)" 9)" != 0 ]; then
            verdict="not judged: failed requests"
        elif awk -v r="$ratio" -v p="$p99" 'BEGIN { exit !(r >= 0.9 && p <= 10) }'; then
            verdict="**met**"
        else
            verdict="not met"
            TARGETS_MISSED=1
        fi
        printf '| `/v1/me` ≥ 0.9× `/v1/ping`, p99 ≤ 10 ms | %s× (%s / %s req/s), p99 %s ms | %s |\n' "$ratio" \
            "$(thousands "$me")" "$(thousands "$ping")" "$p99" "$verdict"
    else
        printf '| `/v1/me` ≥ 0.9× `/v1/ping`, p99 ≤ 10 ms | – | not measured in this run |\n'
    fi
} >"$TABLE"

{
    echo "# bench/compare.sh: Keycloak, node-oidc-provider and Gatehouse, the same wrk cases, one run"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, quick=${BENCH_QUICK:-0}, took ${ELAPSED}s"
    echo "# settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout 10s; warm-up $WARMUP ($POOL_WARMUP with pools); noisy above $NOISE_LIMIT % other CPU, $NOISY_RETRIES retries; $INTROSPECT_TOKENS tokens cycled for introspection"
    echo "# $(wrk -v 2>&1 | head -1)"
    cat "$WORK/systems.txt"
    [ -f "$WORK/log-samples.txt" ] && cat "$WORK/log-samples.txt"
    [ -f "$WORK/pools.txt" ] && cat "$WORK/pools.txt"
    echo
    cat "$WORK/raw.txt"
    echo "=== summary ==="
    echo "columns: system, case, req/s, p50 ms, p99 ms, server CPU ms/req, PostgreSQL+Redis CPU ms/req, other CPU %, failed, runs, note, server CPU %, wrk CPU %"
    cat "$WORK/results.tsv"
    echo
    cat "$TABLE"
} >"$RESULTS"
# Belt and braces: no token, key, code, secret or cookie in the results (JWTs start eyJ; API keys gth_; refresh
# tokens, codes and secrets are long base64url strings).
if grep -q -E 'eyJ[A-Za-z0-9_-]{10,}|gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session=|KEYCLOAK_IDENTITY|Basic [A-Za-z0-9+/=]{8,}|[A-Za-z0-9_-]{40,}' "$RESULTS"; then
    rm -f "$RESULTS"
    die "something like a credential reached the results file: removed it"
fi
cat "$TABLE"
log "results: $RESULTS"

if [ "$BENCH_DOCS" = 1 ]; then
    begin='<!-- compare:begin -->'
    end='<!-- compare:end -->'
    if ! grep -q -F "$begin" "$DOCS"; then
        printf '\n## Gatehouse, Keycloak and node-oidc-provider on one machine (issue 11)\n\n%s\n%s\n' "$begin" "$end" >>"$DOCS"
    fi
    awk -v begin="$begin" -v end="$end" -v table="$TABLE" '
        $0 == begin { print; while ((getline line < table) > 0) print line; skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }' "$DOCS" >"$WORK/benchmarks.md"
    cat "$WORK/benchmarks.md" >"$DOCS"
    log "table written into $DOCS"
else
    log "docs/benchmarks.md left as it was (BENCH_DOCS=0$([ "${BENCH_QUICK:-0}" = 1 ] && echo ', quick run'))"
fi

if [ "$INVALID" = 1 ]; then
    log "some requests failed: the run is invalid"
    exit 4
fi
[ "$TARGETS_MISSED" = 0 ] || exit 3
exit 0
