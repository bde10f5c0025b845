#!/usr/bin/env bash
# HTTP load benchmark: GET /v1/me (API key, scope profile:read) against the no-op GET /v1/ping, on one
# server in one run. Target: /v1/me reaches at least 50% of /v1/ping's requests per second.
# See bench/README.md.
#
#   bash bench/run-load.sh                  # full run: 2 rounds of ping then me, 20 s each
#   BENCH_QUICK=1 bash bench/run-load.sh    # smoke run: 3 s per wrk run, 2 s warm-up
#   BENCH_REDIS=on BENCH_CREDITS=on bash bench/run-load.sh
#                                           # issue 8's case: rate limit and credits counted in Redis
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1          short durations (BENCH_DURATION=3s, BENCH_WARMUP=2s)
#   BENCH_DURATION [20s]   length of each measured wrk run
#   BENCH_WARMUP [10s]     length of the unrecorded warm-up run on each endpoint
#   BENCH_THREADS [2]      wrk threads;  BENCH_CONNECTIONS [32]  wrk connections
#   BENCH_ROUNDS [2]       rounds of (ping, me)
#   BENCH_MIN_RATIO [0.50] the pass mark for rps(me) / rps(ping)
#   BENCH_RATE_LIMITS [on] on: every /v1/me is rate-limited (a limit never reached); off: the pipeline alone
#   BENCH_CREDITS [off]    on: every /v1/me is charged 1 credit (a plan of 10^12 a month)
#   BENCH_REDIS [off]      on: the counters live in a redis-server this script starts (and stops); the results
#                          then also give Redis commands per request (INFO commandstats around each run)
#   BENCH_DB, BENCH_SKIP_BUILD, BENCH_PORT, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: the server, see
#                          bench/server.sh (builds the prod jar, starts it with a random key-encryption key)
#   JAVA_HOME              a JDK 21+ (else Temurin 25)
#
# Writes bench/results/load.txt (load-redis-credits.txt, load-rate-limits-off.txt, ... for other modes):
# settings, every raw wrk output and the summary. All traffic goes to 127.0.0.1. The API key and the
# session cookie stay in a private temporary directory that is deleted at the end; they are never written
# to the results or passed on a command line.
# Exits 0 when the ratio meets the mark, 3 when it does not, 4 when requests failed, anything else on failure.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
source "$BENCH_DIR/redis.sh"
source "$BENCH_DIR/load.sh"
pick_java
load_settings
MIN_RATIO="${BENCH_MIN_RATIO:-0.50}"
RESULTS="$(results_file load)"

server_setup load
require_wrk
[ "$REDIS_MODE" = on ] && require_redis

# --- Build and start the server (bench/server.sh), with Redis first when asked ---------------------
build_server
metering_env
start_server "${METERING_ENV[@]}"

# --- A user, an API key, and what the server answers with it --------------------------------------
mint_bench_key
status="$(curl -sS -m 10 -o "$WORK/me.out" -D "$WORK/me.headers" -w '%{http_code}' -H @"$WORK/auth.header" "$BASE/v1/me")"
[ "$status" = 200 ] || die "GET /v1/me with the new key answered $status, not 200"
grep -q '"profile:read"' "$WORK/me.out" || die "GET /v1/me did not show the key's scope"
check_metering_headers "$WORK/me.headers" "GET /v1/me"
status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/v1/ping")"
[ "$status" = 200 ] || die "GET /v1/ping answered $status, not 200"
status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$BASE/v1/me")"
[ "$status" = 401 ] || die "GET /v1/me without a key answered $status, not 401"
check_redis_used

# --- Load: alternating rounds of (ping, me) --------------------------------------------------------
measure_alternating ping "$BASE/v1/ping" "$WORK/none.lua" me "$BASE/v1/me" "$WORK/auth.lua"

# --- Report --------------------------------------------------------------------------------------
write_results "$RESULTS" "Gatehouse HTTP load benchmark: GET /v1/me (API key, profile:read) vs GET /v1/ping" ping me
verdict_exit
