#!/usr/bin/env bash
# Start-up time and memory (issue 11): from process start to the first successful HTTP answer, in JVM
# mode, on a migrated database, and the server's resident memory at that moment. Not a pass/fail run: it
# measures, for docs/benchmarks.md.
#
#   BENCH_DB=system bash bench/run-startup.sh
#
# Environment (defaults in brackets):
#   BENCH_STARTUP_RUNS [5]   measured starts (after one start that migrates the database)
#   BENCH_AOT=1              first a training start that writes a JDK 25 AOT cache (-XX:AOTCacheOutput,
#                            JEP 514) while answering a few requests; the measured starts then use it
#   BENCH_JVM_OPTS           the server's JVM options, e.g. "-Xmx128m -XX:+UseSerialGC" or "-XX:AOTCache=app.aot"
#   BENCH_DB [embedded], BENCH_SKIP_BUILD: see bench/server.sh (BENCH_DB=system keeps PostgreSQL's own start
#                            out of the figure)
#
# Writes bench/results/startup.txt: settings, each start's milliseconds and RSS, and the median. The
# key-encryption key is random, one for all starts (the signing keys it seals must open on the next start),
# and lives only in this script's memory and the server's environment.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
pick_java
RUNS="${BENCH_STARTUP_RUNS:-5}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_STARTUP_RUNS is a positive whole number, not '$RUNS'"
RESULTS="$RESULTS_DIR/startup.txt"
KEY="$(head -c 32 /dev/urandom | base64 -w0)"

server_setup startup
# Keep the servers' output when asked (BENCH_KEEP_LOG=path): what start-up spent its time on.
[ -n "${BENCH_KEEP_LOG:-}" ] && on_cleanup "cp $WORK/server.log ${BENCH_KEEP_LOG}"
build_server
[ "$DB_MODE" = system ] && start_system_postgres

# One start: prints "<milliseconds to the first 200 on the public port> <RSS KiB then>". With
# TRAIN_REQUESTS set, that many requests are sent once it answers, before it stops (a training run).
start_once() {
    local port management pid started now code rss
    port="$(free_port)"
    management="$(free_port)"
    started="$(date +%s%N)"
    (
        GATEHOUSE_KEYS_ENCRYPTION_KEY="$KEY"
        export GATEHOUSE_KEYS_ENCRYPTION_KEY
        # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
        exec "$JAVA" ${BENCH_JVM_OPTS:-} -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$port" \
            -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$management" -jar "$APP"
    ) >>"$WORK/server.log" 2>&1 </dev/null &
    pid=$!
    while :; do
        code="$(curl -s -m 1 -o /dev/null -w '%{http_code}' "http://$HOST:$port/.well-known/oauth-authorization-server" 2>/dev/null || true)"
        [ "$code" = 200 ] && break
        kill -0 "$pid" 2>/dev/null || { tail -40 "$WORK/server.log" >&2; die "the server exited during start-up (log above)"; }
        now="$(date +%s%N)"
        [ $(( (now - started) / 1000000000 )) -lt "$START_TIMEOUT" ] || die "no answer within ${START_TIMEOUT}s"
        sleep 0.01
    done
    now="$(date +%s%N)"
    rss="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
    for _ in $(seq 1 "${TRAIN_REQUESTS:-0}"); do
        for path in /.well-known/oauth-authorization-server /.well-known/jwks.json /v1/ping /openapi.json; do
            curl -s -m 2 -o /dev/null "http://$HOST:$port$path" || true
        done
    done
    stop_pid "$pid" "the server"
    echo "$(( (now - started) / 1000000 )) $rss"
}

log "first start: migrates the database"
read -r migrate_ms migrate_rss < <(start_once)
log "first start (with migrations): ${migrate_ms} ms, RSS $((migrate_rss / 1024)) MiB"
if [ "${BENCH_AOT:-0}" = 1 ]; then
    log "training start: writes the AOT cache on exit"
    JVM_OPTS_MEASURED="${BENCH_JVM_OPTS:-}"
    BENCH_JVM_OPTS="$JVM_OPTS_MEASURED -XX:AOTCacheOutput=$WORK/app.aot" TRAIN_REQUESTS=200 start_once >/dev/null
    [ -f "$WORK/app.aot" ] || die "the training start wrote no AOT cache"
    log "AOT cache: $(du -h "$WORK/app.aot" | cut -f1)"
    BENCH_JVM_OPTS="$JVM_OPTS_MEASURED -XX:AOTCache=$WORK/app.aot"
fi
times=()
{
    echo "# bench/run-startup.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); database: $DB_MODE PostgreSQL; JVM options: ${BENCH_JVM_OPTS:-none}"
    echo "# cores: $(nproc); from process start to the first 200 on the public port, and VmRSS then"
    echo "first start, migrating: ${migrate_ms} ms, RSS $((migrate_rss / 1024)) MiB"
    for i in $(seq 1 "$RUNS"); do
        read -r ms rss < <(start_once)
        times+=("$ms")
        echo "start $i: ${ms} ms, RSS $((rss / 1024)) MiB"
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    echo "median of $RUNS starts on a migrated database: ${median} ms"
} | tee "$RESULTS"
log "results: $RESULTS"
