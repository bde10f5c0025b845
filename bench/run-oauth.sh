#!/usr/bin/env bash
# OAuth load benchmark: POST /oauth2/token (authorization_code, refresh_token, client_credentials) and
# POST /oauth2/introspect (an access token, an API key), on one prod-mode server in one run. No target:
# it reports requests/s, p50, p99 and failed requests per operation. See bench/README.md.
#
#   bash bench/run-oauth.sh                  # full run: 2,000 requests per operation, 200 warm-up
#   BENCH_QUICK=1 bash bench/run-oauth.sh    # smoke run: 200 per operation, 20 warm-up
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1                 BENCH_REQUESTS=200, BENCH_WARMUP_REQUESTS=20
#   BENCH_REQUESTS [2000]         measured requests per operation
#   BENCH_WARMUP_REQUESTS [200]   unrecorded warm-up requests per operation (all five, before measuring)
#   BENCH_CONCURRENCY [16]        requests in flight at once (closed loop)
#   BENCH_CODE_BATCH [500]        authorization codes prepared (untimed) then exchanged per batch; codes
#                                 live 60 s, and a batch taking over 30 s to prepare stops the run
#   BENCH_DB, BENCH_SKIP_BUILD, BENCH_PORT, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: the server, see
#                                 bench/server.sh
#   BENCH_CLIENT_JVM_OPTS         extra JVM options for the load generator
#   JAVA_HOME                     a JDK 21+ (else Temurin 25)
#
# The server runs with GATEHOUSE_DEMO_ENABLED=true (it seeds the confidential client demo-app) and
# GATEHOUSE_OAUTH_DASHBOARD_REDIRECT_URIS=http://127.0.0.1/callback (the public client gatehouse-dashboard
# redirects to loopback). The load generator is bench/oauth/TokenEndpointBench.java, run with the JDK's
# source launcher; it signs up its own person and mints its own API key, keeps every token in memory and
# prints none. All traffic goes to 127.0.0.1.
#
# Writes bench/results/oauth.txt: settings, the table, and a summary-json line.
# Exits 0 when every request succeeded, 4 when some failed (the run is invalid), anything else on failure.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
pick_java

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    REQUESTS="${BENCH_REQUESTS:-200}"
    WARMUP_REQUESTS="${BENCH_WARMUP_REQUESTS:-20}"
else
    REQUESTS="${BENCH_REQUESTS:-2000}"
    WARMUP_REQUESTS="${BENCH_WARMUP_REQUESTS:-200}"
fi
CONCURRENCY="${BENCH_CONCURRENCY:-16}"
CODE_BATCH="${BENCH_CODE_BATCH:-500}"
RESULTS="$RESULTS_DIR/oauth.txt"
GENERATOR="$BENCH_DIR/oauth/TokenEndpointBench.java"

for setting in "REQUESTS=$REQUESTS" "WARMUP_REQUESTS=$WARMUP_REQUESTS" "CONCURRENCY=$CONCURRENCY" "CODE_BATCH=$CODE_BATCH"; do
    [[ "${setting#*=}" =~ ^[0-9]+$ ]] || die "BENCH_${setting%%=*} must be a whole number, not '${setting#*=}'"
done

server_setup oauth
build_server
start_server GATEHOUSE_DEMO_ENABLED=true GATEHOUSE_OAUTH_DASHBOARD_REDIRECT_URIS=http://127.0.0.1/callback

# --- Load ----------------------------------------------------------------------------------------
settings="$REQUESTS requests per operation at concurrency $CONCURRENCY (closed loop), $WARMUP_REQUESTS warm-up requests per operation, code batches of $CODE_BATCH"
log "running the load generator: $settings"
status=0
# Bounded: 5 phases of at most 180 s each (the generator's own limit), plus code preparation and start-up.
# shellcheck disable=SC2086 # BENCH_CLIENT_JVM_OPTS is a list of options
timeout 1500 "$JAVA" ${BENCH_CLIENT_JVM_OPTS:-} "$GENERATOR" "$BASE" --requests="$REQUESTS" --concurrency="$CONCURRENCY" \
    --warmup="$WARMUP_REQUESTS" --code-batch="$CODE_BATCH" >"$WORK/generator.out" || status=$?
cat "$WORK/generator.out"
if [ "$status" != 0 ] && [ "$status" != 1 ]; then
    tail -40 "$WORK/server.log" >&2
    die "the load generator failed (exit $status; the server's log above)"
fi
# What the server logged at WARN or ERROR (start-up included), counted by level and logger; the messages
# themselves are not copied. A replayed code or reused refresh token would show up here.
server_problems="$(sed -n -E 's/.* (WARN|ERROR) +\[([^]]+)\].*/\1 \2/p' "$WORK/server.log" | sort | uniq -c \
    | awk '{ printf "%s%s %s x%d", (NR > 1 ? ", " : ""), $2, $3, $1 } END { if (NR == 0) printf "none" }')"

mkdir -p "$RESULTS_DIR"
{
    echo "# Gatehouse OAuth benchmark: POST /oauth2/token (authorization_code, refresh_token, client_credentials), POST /oauth2/introspect"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)'), $(nproc) cores, quick=${BENCH_QUICK:-0}"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); database: $DB_MODE PostgreSQL; server: $BASE"
    echo "# settings: $settings"
    echo "# server log, WARN/ERROR lines by logger (start-up included): $server_problems"
    cat "$WORK/generator.out"
} >"$RESULTS"

# Belt and braces: the results must hold no token, key, code or cookie (JWTs start eyJ; API keys gth_;
# refresh tokens, codes and sessions are 43 base64url characters).
if grep -q -E 'eyJ[A-Za-z0-9_-]{10,}|gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session=|[A-Za-z0-9_-]{40,}' "$RESULTS"; then
    rm -f "$RESULTS"
    die "something like a credential reached the results file: removed it"
fi
log "results: $RESULTS"
case "$status" in
    0) exit 0 ;;
    *) log "some requests failed: the run is invalid"; exit 4 ;;
esac
