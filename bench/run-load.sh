#!/usr/bin/env bash
# HTTP load benchmark: GET /v1/me (API key, scope profile:read) against the no-op GET /v1/ping, on one
# server in one run. Target: /v1/me reaches at least 50% of /v1/ping's requests per second.
# See bench/README.md.
#
#   bash bench/run-load.sh                  # full run: 2 rounds of ping then me, 20 s each
#   BENCH_QUICK=1 bash bench/run-load.sh    # smoke run: 3 s per wrk run, 2 s warm-up
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1          short durations (BENCH_DURATION=3s, BENCH_WARMUP=2s)
#   BENCH_DURATION [20s]   length of each measured wrk run
#   BENCH_WARMUP [10s]     length of the unrecorded warm-up run on each endpoint
#   BENCH_THREADS [2]      wrk threads;  BENCH_CONNECTIONS [32]  wrk connections
#   BENCH_ROUNDS [2]       rounds of (ping, me)
#   BENCH_MIN_RATIO [0.50] the pass mark for rps(me) / rps(ping)
#   BENCH_RATE_LIMITS [on] on: every /v1/me is rate-limited (a limit never reached); off: the pipeline alone
#   BENCH_DB, BENCH_SKIP_BUILD, BENCH_PORT, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: the server, see
#                          bench/server.sh (builds the prod jar, starts it with a random key-encryption key)
#   JAVA_HOME              a JDK 21+ (else Temurin 25)
#
# Writes bench/results/load.txt: settings, every raw wrk output and the summary. All traffic goes to
# 127.0.0.1. The API key and the session cookie stay in a private temporary directory that is deleted at
# the end; they are never written to the results or passed on a command line.
# Exits 0 when the ratio meets the mark, 3 when it does not, anything else on failure.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
pick_java

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
MIN_RATIO="${BENCH_MIN_RATIO:-0.50}"
RESULTS="$RESULTS_DIR/load.txt"

for d in "$DURATION" "$WARMUP"; do
    [[ "$d" =~ ^[0-9]+s$ ]] || die "durations are whole seconds like 20s, not '$d'"
done
seconds() { echo "${1%s}"; }

server_setup load

# --- wrk -----------------------------------------------------------------------------------------
install_wrk() {
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
    log "wrk is missing: installing it with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive timeout 300 "${sudo[@]}" apt-get install -y -q wrk >/dev/null 2>&1; then
        timeout 300 "${sudo[@]}" apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive timeout 300 "${sudo[@]}" apt-get install -y -q wrk >/dev/null
    fi
}
command -v wrk >/dev/null 2>&1 || install_wrk
command -v wrk >/dev/null 2>&1 || die "wrk could not be installed"
command -v curl >/dev/null 2>&1 || die "curl is required"

# --- Build and start the server (bench/server.sh) --------------------------------------------------
build_server
# Rate limiting stays on (every request is counted and gets its headers) with a limit the load never
# reaches; BENCH_RATE_LIMITS=off measures the verification pipeline without the metering slot.
if [ "${BENCH_RATE_LIMITS:-on}" = off ]; then
    start_server GATEHOUSE_RATE_LIMITS_ENABLED=false
else
    start_server GATEHOUSE_RATE_LIMITS_POLICIES_DEFAULT=999999999/1s
fi

# --- A user and an API key -----------------------------------------------------------------------
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
# wrk sends this header with every request of the /v1/me runs. The /v1/ping runs use an equivalent
# script without it, so both sides pay the same (none: a static request is built once).
printf 'wrk.headers["Authorization"] = "Bearer %s"\n' "$key" >"$WORK/me.lua"
printf -- '-- no credentials: /v1/ping is public\n' >"$WORK/ping.lua"
unset key

status="$(curl -sS -m 10 -o "$WORK/me.out" -w '%{http_code}' -H @"$WORK/auth.header" "$BASE/v1/me")"
[ "$status" = 200 ] || die "GET /v1/me with the new key answered $status, not 200"
grep -q '"profile:read"' "$WORK/me.out" || die "GET /v1/me did not show the key's scope"
status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/v1/ping")"
[ "$status" = 200 ] || die "GET /v1/ping answered $status, not 200"
status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/v1/me")"
[ "$status" = 401 ] || die "GET /v1/me without a key answered $status, not 401"

# --- Load ----------------------------------------------------------------------------------------
# run_wrk NAME ENDPOINT DURATION: one wrk run; its raw output goes to $WORK/NAME.wrk.
run_wrk() {
    local name="$1" endpoint="$2" duration="$3" script
    script="$WORK/${endpoint}.lua"
    timeout $(($(seconds "$duration") + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s \
        --latency -s "$script" "$BASE/v1/$endpoint" >"$WORK/$name.wrk" 2>&1 \
        || { cat "$WORK/$name.wrk" >&2; die "wrk failed on /v1/$endpoint"; }
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
pct() { awk -v p="$2" '$1 == p { print $2 }' "$1"; }
errors() {
    awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(",", ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$1"
}

settings="wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency --timeout 10s, $ROUNDS rounds of (ping, me), warm-up ${WARMUP} each"
log "warming up both endpoints ($WARMUP each)"
run_wrk warmup-ping ping "$WARMUP"
run_wrk warmup-me me "$WARMUP"

runs=()
for round in $(seq 1 "$ROUNDS"); do
    for endpoint in ping me; do
        name="round$round-$endpoint"
        log "round $round: /v1/$endpoint for $DURATION"
        run_wrk "$name" "$endpoint" "$DURATION"
        runs+=("$name")
    done
done

# --- Report --------------------------------------------------------------------------------------
mkdir -p "$RESULTS_DIR"
{
    echo "# Gatehouse HTTP load benchmark: GET /v1/me (API key, profile:read) vs GET /v1/ping"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown), $(nproc) cores, quick=${BENCH_QUICK:-0}"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); database: $DB_MODE PostgreSQL; server: $BASE"
    echo "# settings: $settings"
    echo "# $(wrk -v 2>&1 | head -1)"
    echo
    for name in warmup-ping warmup-me "${runs[@]}"; do
        echo "=== $name ==="
        cat "$WORK/$name.wrk"
        echo
    done
} >"$RESULTS"

summary="$WORK/summary.txt"
bad=0
{
    echo "=== summary ==="
    printf '%-14s %12s %10s %10s %8s\n' run "requests/s" p50 p99 errors
    for name in "${runs[@]}"; do
        f="$WORK/$name.wrk"
        e="$(errors "$f")"
        [ "$e" = 0 ] || bad=1
        printf '%-14s %12s %10s %10s %8s\n' "$name" "$(rps "$f")" "$(pct "$f" 50%)" "$(pct "$f" 99%)" "$e"
    done
    ping_all="$(for round in $(seq 1 "$ROUNDS"); do rps "$WORK/round$round-ping.wrk"; done | tr '\n' ' ')"
    me_all="$(for round in $(seq 1 "$ROUNDS"); do rps "$WORK/round$round-me.wrk"; done | tr '\n' ' ')"
    mean() { echo "$1" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.2f", s / NF }'; }
    ping_mean="$(mean "$ping_all")"
    me_mean="$(mean "$me_all")"
    ratio="$(awk -v m="$me_mean" -v p="$ping_mean" 'BEGIN { printf "%.3f", m / p }')"
    echo
    echo "per round me/ping: $(for round in $(seq 1 "$ROUNDS"); do
        awk -v m="$(rps "$WORK/round$round-me.wrk")" -v p="$(rps "$WORK/round$round-ping.wrk")" \
            'BEGIN { printf "%.3f ", m / p }'; done)"
    echo "mean requests/s: ping $ping_mean, me $me_mean"
    echo "ratio me/ping: $ratio (pass mark $MIN_RATIO)"
    if [ "$bad" = 1 ]; then
        verdict=INVALID
        echo "verdict: INVALID: some requests failed (see errors above); the ratio means nothing"
    elif awk -v r="$ratio" -v m="$MIN_RATIO" 'BEGIN { exit !(r + 0 >= m + 0) }'; then
        verdict=PASS
        echo "verdict: PASS"
    else
        verdict=FAIL
        echo "verdict: FAIL"
    fi
    echo "$verdict" >"$WORK/verdict"
} >"$summary"
cat "$summary" >>"$RESULTS"
cat "$summary"

# Belt and braces: the results must hold neither the key nor the cookie.
if grep -q -E 'gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session|Bearer ' "$RESULTS"; then
    rm -f "$RESULTS"
    die "a credential reached the results file: removed it"
fi
log "results: $RESULTS"
case "$(cat "$WORK/verdict")" in
    PASS) exit 0 ;;
    FAIL) exit 3 ;;
    *) exit 4 ;;
esac
