# wrk runs for the HTTP load benchmarks (bench/run-load.sh, bench/run-gateway.sh): settings, metering
# modes, a bench key, alternating rounds of two targets, Redis commands per run, the summary. Sourced after
# bench/common.sh, bench/server.sh and bench/redis.sh, not run.
#
#   load_settings                  reads the knobs below (call once, before anything else here)
#   require_wrk                    installs wrk with apt-get when missing
#   metering_env                   fills METERING_ENV (NAME=VALUE settings for start_server) from the metering
#                                  knobs, starting Redis first when BENCH_REDIS=on; METERING describes them
#   results_file PREFIX            bench/results/PREFIX.txt, with -redis, -credits, -rate-limits-off for the
#                                  modes that are not the defaults (BENCH_RESULTS_NAME=NAME: NAME.txt instead)
#   mint_bench_key                 signs up a random person and mints a key (scope profile:read) into
#                                  $WORK/auth.header (for curl -H @file) and $WORK/auth.lua (for wrk); no
#                                  credential ever reaches a command line. $WORK/none.lua sends no credential.
#   check_metering_headers FILE    the headers curl -D wrote for a metered answer: rate-limit and credit
#                                  headers there exactly when their mode is on (X-Credits-Used: 1)
#   check_redis_used               when BENCH_REDIS=on and something meters: Redis has run EVALSHA
#   measure_alternating LB URLB SB LS URLS SS
#                                  warms up both targets, then BENCH_ROUNDS rounds of (baseline LB at URLB
#                                  with wrk script SB, subject LS at URLS with script SS); RUNS lists the
#                                  measured runs, $WORK/NAME.wrk holds each output, $WORK/NAME.redis its Redis
#                                  commands when Redis is on
#   write_results FILE TITLE LB LS  the settings, raw wrk outputs and summary (ratio LS/LB), with the server's
#                                  resident memory after the runs; sets VERDICT to PASS, FAIL (under
#                                  BENCH_MIN_RATIO), OK (no mark) or INVALID (failed requests)
#   server_memory                  "RSS <n> MiB (peak <m> MiB)" of the running server (issue 11: at most 256 MiB
#                                  after the benchmark under the documented JVM options)
#
# Knobs (defaults in brackets):
#   BENCH_QUICK=1            BENCH_DURATION=3s, BENCH_WARMUP=2s: a smoke run
#   BENCH_DURATION [20s]     each measured wrk run;  BENCH_WARMUP [10s]  the unrecorded warm-up per target
#   BENCH_THREADS [2], BENCH_CONNECTIONS [32]   wrk -t and -c;  BENCH_ROUNDS [2]
#   BENCH_RATE_LIMITS [on]   on: every request is rate-limited, with a limit the load never reaches
#                            (999999999/1s); off: gatehouse.rate-limits.enabled=false
#   BENCH_CREDITS [off]      on: every owner is on a plan "bench" of 10^12 credits a month, so every
#                            request is charged (X-Credits-Used: 1); off: the default plan, which charges nothing
#   BENCH_REDIS [off]        on: a redis-server of this script's own (bench/redis.sh) holds the hot counters
#                            (QUARKUS_REDIS_HOSTS); off: one node, counters in process
#   BENCH_RESULTS_NAME       the results file's name in bench/results/, without .txt (default: from the modes)
#   BENCH_SERVER_ENV         extra server settings, space-separated NAME=VALUE (e.g. QUARKUS_REDIS_MAX_POOL_SIZE=16),
#                            to try a configuration; written to the results, so never a secret

load_settings() {
    if [ "${BENCH_QUICK:-0}" = 1 ]; then
        DURATION="${BENCH_DURATION:-3s}"
        WARMUP="${BENCH_WARMUP:-2s}"
    else
        DURATION="${BENCH_DURATION:-20s}"
        WARMUP="${BENCH_WARMUP:-10s}"
    fi
    THREADS="${BENCH_THREADS:-2}"
    CONNECTIONS="${BENCH_CONNECTIONS:-32}"
    ROUNDS="${BENCH_ROUNDS:-2}"
    RATE_LIMITS="${BENCH_RATE_LIMITS:-on}"
    CREDITS="${BENCH_CREDITS:-off}"
    REDIS_MODE="${BENCH_REDIS:-off}"
    local d
    for d in "$DURATION" "$WARMUP"; do
        [[ "$d" =~ ^[0-9]+s$ ]] || die "durations are whole seconds like 20s, not '$d'"
    done
    for d in "$THREADS" "$CONNECTIONS" "$ROUNDS"; do
        [[ "$d" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS, BENCH_CONNECTIONS and BENCH_ROUNDS are positive whole numbers, not '$d'"
    done
    for d in "RATE_LIMITS=$RATE_LIMITS" "CREDITS=$CREDITS" "REDIS=$REDIS_MODE"; do
        [[ "${d#*=}" =~ ^(on|off)$ ]] || die "BENCH_${d%%=*} is on or off, not '${d#*=}'"
    done
}
seconds() { echo "${1%s}"; }

require_wrk() {
    command -v wrk >/dev/null 2>&1 || apt_install wrk
    command -v wrk >/dev/null 2>&1 || die "wrk could not be installed"
    command -v curl >/dev/null 2>&1 || die "curl is required"
}

results_file() {
    local name="$1"
    if [ -n "${BENCH_RESULTS_NAME:-}" ]; then
        [[ "$BENCH_RESULTS_NAME" =~ ^[A-Za-z0-9._-]+$ ]] || die "BENCH_RESULTS_NAME is a file name without .txt, not '$BENCH_RESULTS_NAME'"
        echo "$RESULTS_DIR/$BENCH_RESULTS_NAME.txt"
        return
    fi
    [ "$REDIS_MODE" = on ] && name="$name-redis"
    [ "$CREDITS" = on ] && name="$name-credits"
    [ "$RATE_LIMITS" = off ] && name="$name-rate-limits-off"
    echo "$RESULTS_DIR/$name.txt"
}

metering_env() {
    METERING_ENV=()
    if [ "$RATE_LIMITS" = off ]; then
        METERING_ENV+=(GATEHOUSE_RATE_LIMITS_ENABLED=false)
        METERING="rate limits off"
    else
        # Every request is counted and gets its headers; the load never reaches the limit.
        METERING_ENV+=(GATEHOUSE_RATE_LIMITS_POLICIES_DEFAULT=999999999/1s)
        METERING="rate limit on (999999999/1s, never reached)"
    fi
    if [ "$CREDITS" = on ]; then
        # gatehouse.plans.catalogue."bench".allowance: a double underscore stands for each quote of the map key.
        METERING_ENV+=(GATEHOUSE_PLANS_DEFAULT_PLAN=bench GATEHOUSE_PLANS_CATALOGUE__BENCH__ALLOWANCE=1000000000000)
        METERING="$METERING, credits on (default plan bench: 10^12 credits a month, 1 per request)"
    else
        METERING="$METERING, credits off (the default plan charges nothing)"
    fi
    if [ "$REDIS_MODE" = on ]; then
        start_redis
        METERING_ENV+=("QUARKUS_REDIS_HOSTS=redis://$HOST:$REDIS_PORT")
        METERING="$METERING; hot counters in Redis $(redis_version) ($HOST:$REDIS_PORT, no persistence)"
    else
        METERING="$METERING; hot counters in process (no Redis)"
    fi
    # Extra server settings, for trying a configuration (never a secret: they are written to the results).
    local extra=() setting
    read -r -a extra <<<"${BENCH_SERVER_ENV:-}"
    for setting in "${extra[@]}"; do
        [[ "$setting" =~ ^[A-Z][A-Z0-9_]*=.*$ ]] || die "BENCH_SERVER_ENV holds NAME=VALUE settings, not '$setting'"
        METERING_ENV+=("$setting")
    done
    [ "${#extra[@]}" = 0 ] || METERING="$METERING; extra settings: ${extra[*]}"
}

mint_bench_key() {
    local email password status key
    # Random credentials, kept in $WORK only. curl reads headers and bodies from files (@file), so neither
    # the key nor the cookie appears on a command line.
    email="bench-$(date +%s)-$RANDOM@example.test"
    password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    printf '{"email":"%s","password":"%s"}' "$email" "$password" >"$WORK/signup.json"
    status="$(curl -sS -m 60 -o "$WORK/signup.out" -w '%{http_code}' -c "$WORK/cookies" \
        -H 'Content-Type: application/json' --data-binary @"$WORK/signup.json" "$BASE/signup")"
    [ "$status" = 201 ] || die "POST /signup answered $status, not 201: $(head -c 300 "$WORK/signup.out")"
    grep -q gatehouse_session "$WORK/cookies" || die "POST /signup set no gatehouse_session cookie"

    printf '{"label":"bench","scopes":["profile:read"]}' >"$WORK/mint.json"
    status="$(curl -sS -m 30 -o "$WORK/mint.out" -w '%{http_code}' -b "$WORK/cookies" \
        -H 'Content-Type: application/json' --data-binary @"$WORK/mint.json" "$BASE/settings/api-keys")"
    [ "$status" = 201 ] || die "POST /settings/api-keys answered $status, not 201: $(head -c 300 "$WORK/mint.out")"
    key="$(sed -n -E 's/.*"rawKey" *: *"([^"]+)".*/\1/p' "$WORK/mint.out")"
    [ -n "$key" ] || die "the answer to POST /settings/api-keys has no rawKey"
    printf 'Authorization: Bearer %s\n' "$key" >"$WORK/auth.header"
    # wrk sends this header with every request of the authenticated runs. The other runs use an equivalent
    # script without it, so both sides pay the same (none: a static request is built once).
    printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$key" >"$WORK/auth.lua"
    printf -- '-- no credentials\n' >"$WORK/none.lua"
}

check_metering_headers() {
    local headers="$1" what="$2"
    if [ "$RATE_LIMITS" = on ]; then
        grep -q -i -E '^X-RateLimit-Limit: 999999999' "$headers" || die "$what: no X-RateLimit-Limit: 999999999 header with BENCH_RATE_LIMITS=on"
    else
        ! grep -q -i '^X-RateLimit-' "$headers" || die "$what: X-RateLimit-* headers with BENCH_RATE_LIMITS=off"
    fi
    if [ "$CREDITS" = on ]; then
        grep -q -i -E $'^X-Credits-Used: 1\r?$' "$headers" \
            || die "$what: no 'X-Credits-Used: 1' header with BENCH_CREDITS=on: the plan did not take effect"
        grep -q -i -E '^X-Credits-Remaining: [0-9]+' "$headers" \
            || die "$what: no X-Credits-Remaining header with BENCH_CREDITS=on: the plan did not take effect"
    else
        ! grep -q -i '^X-Credits-' "$headers" || die "$what: X-Credits-* headers with BENCH_CREDITS=off"
    fi
}

check_redis_used() {
    [ "$REDIS_MODE" = on ] || return 0
    [ "$RATE_LIMITS" = on ] || [ "$CREDITS" = on ] || return 0
    redis_commandstats "$WORK/redis-check"
    grep -q '^evalsha [1-9]' "$WORK/redis-check" || die "BENCH_REDIS=on, yet Redis has run no EVALSHA: the server does not count in Redis ($(tr '\n' ' ' <"$WORK/redis-check"))"
}

# run_wrk NAME URL SCRIPT DURATION: one wrk run; its raw output goes to $WORK/NAME.wrk.
run_wrk() {
    local name="$1" url="$2" script="$3" duration="$4"
    timeout $(($(seconds "$duration") + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s \
        --latency -s "$script" "$url" >"$WORK/$name.wrk" 2>&1 \
        || { cat "$WORK/$name.wrk" >&2; die "wrk failed on $url"; }
}
wrk_rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
server_memory() {
    [ -n "${SERVER_PID:-}" ] && [ -r "/proc/$SERVER_PID/status" ] || { echo "unknown (server not running)"; return; }
    awk '/^VmRSS/ { rss = $2 } /^VmHWM/ { hwm = $2 } END { printf "RSS %d MiB (peak %d MiB)", rss / 1024, hwm / 1024 }' "/proc/$SERVER_PID/status"
}
wrk_pct() { awk -v p="$2" '$1 == p { print $2 }' "$1"; }
wrk_requests() { awk '/ requests in / { print $1 }' "$1"; }
wrk_errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"
}

measure_alternating() {
    local base_label="$1" base_url="$2" base_script="$3" subj_label="$4" subj_url="$5" subj_script="$6"
    local round label url script name
    SETTINGS="wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout 10s, $ROUNDS rounds of ($base_label, $subj_label), warm-up ${WARMUP} each"
    log "warming up both targets ($WARMUP each)"
    run_wrk "warmup-$base_label" "$base_url" "$base_script" "$WARMUP"
    run_wrk "warmup-$subj_label" "$subj_url" "$subj_script" "$WARMUP"
    RUNS=()
    for round in $(seq 1 "$ROUNDS"); do
        for label in "$base_label" "$subj_label"; do
            if [ "$label" = "$base_label" ]; then url="$base_url" script="$base_script"; else url="$subj_url" script="$subj_script"; fi
            name="round$round-$label"
            log "round $round: $label ($url) for $DURATION"
            if [ "$REDIS_MODE" = on ]; then
                failover_counts "$WORK/$name.failover-before"
                redis_commandstats "$WORK/$name.redis-before"
            fi
            run_wrk "$name" "$url" "$script" "$DURATION"
            if [ "$REDIS_MODE" = on ]; then
                redis_commandstats "$WORK/$name.redis-after"
                failover_counts "$WORK/$name.failover-after"
                redis_commands_between "$WORK/$name.redis-before" "$WORK/$name.redis-after" "$(wrk_requests "$WORK/$name.wrk")" >"$WORK/$name.redis"
                failover_between "$WORK/$name.failover-before" "$WORK/$name.failover-after" "$(wrk_requests "$WORK/$name.wrk")" >"$WORK/$name.failover"
            fi
            RUNS+=("$name")
        done
    done
}

# Redis commands per request over all measured runs of one target.
redis_per_request() {
    local label="$1" round commands=0 requests=0 c r
    for round in $(seq 1 "$ROUNDS"); do
        c="$(awk '{ print $1 }' "$WORK/round$round-$label.redis")"
        r="$(wrk_requests "$WORK/round$round-$label.wrk")"
        commands=$((commands + c))
        requests=$((requests + r))
    done
    local evalsha
    evalsha="$(cat "$WORK"/round*-"$label".redis | sed -n -E 's/.*; EVALSHA ([0-9]+) = .*/\1/p' | awk '{ s += $1 } END { print s + 0 }')"
    awk -v c="$commands" -v r="$requests" -v e="$evalsha" -v l="$label" 'BEGIN {
        printf "Redis per request, %s rounds: EVALSHA %.3f, all commands executed %.3f (%d for %d requests)\n", l, e / r, c / r, c, r }'
    # What the node counted alone because Redis did not answer (Failover meters), over the same runs.
    cat "$WORK"/round*-"$label".failover | awk -v r="$requests" -v l="$label" '
        { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^[0-9]+$/ && $i ~ /^(credits|ratelimit)$/) n[$i] += $(i + 1) }
        END { printf "answered without Redis, %s rounds: rate limit %d (%.3f per request), credits %d (%.3f per request)\n",
              l, n["ratelimit"], n["ratelimit"] / r, n["credits"], n["credits"] / r }'
}

# WARN/ERROR lines of a log by logger ("none" when there are none).
log_problems() {
    sed -n -E 's/.* (WARN|ERROR) +\[([^]]+)\].*/\1 \2/p' "$1" | sort | uniq -c \
        | awk '{ printf "%s%s %s x%d", (NR > 1 ? ", " : ""), $2, $3, $1 } END { if (NR == 0) printf "none" }'
}

# The distinct WARN/ERROR messages of a log (time and thread dropped, cut to 240 characters), most
# frequent first, at most 8, each with its count: what went wrong, for the results.
log_problem_samples() {
    sed -n -E 's/^.* (WARN|ERROR) +(\[[^]]+\]) \([^)]*\) (.*)$/\1 \2 \3/p' "$1" | cut -c1-240 | sort | uniq -c | sort -rn | head -8 \
        | sed -E 's/^ *([0-9]+) /#   x\1 /'
}

# The server's counts of calls answered on this node because Redis did not (Failover meters), as
# "ratelimit N" and "credits N" lines.
failover_counts() {
    curl -sS -m 10 "$MANAGEMENT/q/metrics" 2>/dev/null \
        | sed -n -E 's/^gatehouse_(ratelimit|credits)_local_total(\{[^}]*\})? ([0-9.eE+]+)$/\1 \3/p' >"$1" || true
}
failover_between() {
    awk -v requests="$3" 'FNR == NR { before[$1] = $2; next }
        { n = $2 - before[$1]; line = line sprintf("%s%s %d (%.3f per request)", sep, $1, n, requests > 0 ? n / requests : 0); sep = ", " }
        END { print (line == "" ? "no Failover meters found" : line) }' "$1" "$2"
}

write_results() {
    local results="$1" title="$2" base="$3" subj="$4" name f e bad=0 round
    mkdir -p "$RESULTS_DIR"
    {
        echo "# $title"
        echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) (application: $(git -C "$REPO_ROOT" log -1 --format=%h -- src pom.xml 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ', with local changes')), $(nproc) cores, quick=${BENCH_QUICK:-0}"
        echo "# java: $("$JAVA" -version 2>&1 | head -1); database: $DB_MODE PostgreSQL; server: $BASE"
        echo "# metering: $METERING"
        [ -n "${EXTRA_HEADER:-}" ] && printf '%s\n' "$EXTRA_HEADER"
        echo "# settings: $SETTINGS"
        echo "# $(wrk -v 2>&1 | head -1)"
        echo "# server log, WARN/ERROR lines by logger: $(log_problems "$WORK/server.log")"
        log_problem_samples "$WORK/server.log"
        echo
        for name in "warmup-$base" "warmup-$subj" "${RUNS[@]}"; do
            echo "=== $name ==="
            cat "$WORK/$name.wrk"
            [ -f "$WORK/$name.redis" ] && echo "Redis: $(cat "$WORK/$name.redis")"
            [ -f "$WORK/$name.failover" ] && echo "Answered without Redis (Failover meters): $(cat "$WORK/$name.failover")"
            echo
        done
    } >"$results"

    local summary="$WORK/summary.txt" base_all subj_all base_mean subj_mean ratio
    mean() { echo "$1" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF }'; }
    {
        echo "=== summary ==="
        printf '%-20s %12s %10s %10s %8s\n' run "requests/s" p50 p99 errors
        for name in "${RUNS[@]}"; do
            f="$WORK/$name.wrk"
            e="$(wrk_errors "$f")"
            [ "$e" = 0 ] || bad=1
            printf '%-20s %12s %10s %10s %8s\n' "$name" "$(wrk_rps "$f")" "$(wrk_pct "$f" 50%)" "$(wrk_pct "$f" 99%)" "$e"
        done
        base_all="$(for round in $(seq 1 "$ROUNDS"); do wrk_rps "$WORK/round$round-$base.wrk"; done | tr '\n' ' ')"
        subj_all="$(for round in $(seq 1 "$ROUNDS"); do wrk_rps "$WORK/round$round-$subj.wrk"; done | tr '\n' ' ')"
        base_mean="$(mean "$base_all")"
        subj_mean="$(mean "$subj_all")"
        ratio="$(awk -v m="$subj_mean" -v p="$base_mean" 'BEGIN { printf "%.3f", m / p }')"
        echo
        echo "per round $subj/$base: $(for round in $(seq 1 "$ROUNDS"); do
            awk -v m="$(wrk_rps "$WORK/round$round-$subj.wrk")" -v p="$(wrk_rps "$WORK/round$round-$base.wrk")" \
                'BEGIN { printf "%.3f ", m / p }'; done)"
        echo "mean requests/s: $base $base_mean, $subj $subj_mean"
        echo "server after the runs: $(server_memory); JVM options: ${BENCH_JVM_OPTS:-none}"
        if [ "$REDIS_MODE" = on ]; then
            redis_per_request "$subj"
            redis_per_request "$base"
        fi
        if [ -n "${MIN_RATIO:-}" ]; then
            echo "ratio $subj/$base: $ratio (pass mark $MIN_RATIO)"
        else
            echo "ratio $subj/$base: $ratio"
        fi
        if [ "$bad" = 1 ]; then
            VERDICT=INVALID
            echo "verdict: INVALID: some requests failed (see errors above); the ratio means nothing"
        elif [ -z "${MIN_RATIO:-}" ]; then
            VERDICT=OK
            echo "verdict: OK: no request failed (no pass mark)"
        elif awk -v r="$ratio" -v m="$MIN_RATIO" 'BEGIN { exit !(r + 0 >= m + 0) }'; then
            VERDICT=PASS
            echo "verdict: PASS"
        else
            VERDICT=FAIL
            echo "verdict: FAIL"
        fi
    } >"$summary"
    cat "$summary" >>"$results"
    cat "$summary"

    # Belt and braces: the results must hold neither the key nor the cookie.
    if grep -q -E 'gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session|Bearer ' "$results"; then
        rm -f "$results"
        die "a credential reached the results file: removed it"
    fi
    log "results: $results"
}

verdict_exit() {
    case "$VERDICT" in
        PASS | OK) exit 0 ;;
        FAIL) exit 3 ;;
        *) exit 4 ;;
    esac
}
