#!/usr/bin/env bash
# Start-up time and memory (issue 11): from process start to the first successful HTTP answer, in JVM
# mode, on a migrated database, and the server's resident memory at that moment. Not a pass/fail run: it
# measures, for docs/benchmarks.md.
#
#   BENCH_DB=system bash bench/run-startup.sh
#
# Environment (defaults in brackets):
#   BENCH_STARTUP_RUNS [5]   measured starts (after one start that migrates the database)
#   BENCH_AOT [1]            1: first a training start that writes a JDK 25 AOT cache, the production way
#                            (src/main/docker/aot-train.sh: -XX:AOTCacheOutput, a few requests, a graceful
#                            stop); the measured starts then use it (-XX:AOTCache). 0: no cache
#   BENCH_JVM_OPTS           the server's JVM options [the production ones, src/main/docker/jvm.options; see
#                            bench/server.sh]
#   BENCH_RESULTS_NAME [startup]  the results file's name in bench/results/, without .txt
#   BENCH_STARTUP_THREADS [0]: 1 writes each start's CPU milliseconds per thread (top 15) to stderr
#   BENCH_DB [embedded], BENCH_SKIP_BUILD: see bench/server.sh (BENCH_DB=system keeps PostgreSQL's own start
#                            out of the figure)
#
# Writes bench/results/startup.txt (BENCH_RESULTS_NAME.txt): settings, each start's milliseconds, RSS and CPU
# time, and the medians. The key-encryption key is random, one for all starts (the signing keys it seals must
# open on the next start), and lives only in this script's memory and the server's environment.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
pick_java
RUNS="${BENCH_STARTUP_RUNS:-5}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_STARTUP_RUNS is a positive whole number, not '$RUNS'"
RESULTS="$RESULTS_DIR/${BENCH_RESULTS_NAME:-startup}.txt"
KEY="$(head -c 32 /dev/urandom | base64 -w0)"

server_setup startup
# Keep the servers' output when asked (BENCH_KEEP_LOG=path): what start-up spent its time on.
[ -n "${BENCH_KEEP_LOG:-}" ] && on_cleanup "cp $WORK/server.log ${BENCH_KEEP_LOG}"
build_server
[ "$DB_MODE" = system ] && start_system_postgres

# Waiting takes no process of its own: a loop that started curl and sleep every 10 ms took a third of a
# core from the server it was timing (about 0.6 s of a 3 s start on 2 cores). Bash's own /dev/tcp asks,
# and read -t on a pipe nobody writes to waits.
mkfifo "$WORK/tick"
exec 4<>"$WORK/tick"
pause() { read -r -t "$1" -u 4 _ || true; }
# 0 when GET $2 on 127.0.0.1:$1 answers 200.
answers_200() {
    local status=""
    { exec 3<>"/dev/tcp/$HOST/$1"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.1\r\nHost: %s:%s\r\nConnection: close\r\n\r\n' "$2" "$HOST" "$1" >&3
    IFS= read -r -t 2 status <&3 || true
    exec 3<&- 3>&-
    [[ "$status" == HTTP/1.[01]" 200"* ]]
}

TICK_MS=$((1000 / $(getconf CLK_TCK)))
# One start: prints "<milliseconds to the first 200 on the public port> <RSS KiB then> <CPU milliseconds the
# server had used by then, all its threads: the JIT compilers' share shows on 2 cores>".
start_once() {
    local port management pid started now rss cpu t
    port="$(free_port)"
    management="$(free_port)"
    t="${EPOCHREALTIME/[.,]/}"
    started=$((t / 1000))
    (
        GATEHOUSE_KEYS_ENCRYPTION_KEY="$KEY"
        export GATEHOUSE_KEYS_ENCRYPTION_KEY
        # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
        exec "$JAVA" ${BENCH_JVM_OPTS:-} -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$port" \
            -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$management" -jar "$APP"
    ) >>"$WORK/server.log" 2>&1 </dev/null &
    pid=$!
    while :; do
        answers_200 "$port" /.well-known/oauth-authorization-server && break
        kill -0 "$pid" 2>/dev/null || { tail -40 "$WORK/server.log" >&2; die "the server exited during start-up (log above)"; }
        t="${EPOCHREALTIME/[.,]/}"
        [ $((t / 1000 - started)) -lt $((START_TIMEOUT * 1000)) ] || die "no answer within ${START_TIMEOUT}s"
        pause 0.005
    done
    t="${EPOCHREALTIME/[.,]/}"
    now=$((t / 1000))
    rss="$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")"
    cpu="$(awk -v tick="$TICK_MS" '{ sub(/^.*\) /, ""); print ($12 + $13) * tick }' "/proc/$pid/stat")"
    if [ "${BENCH_STARTUP_THREADS:-0}" = 1 ]; then # where the CPU went: each thread's milliseconds, to the log
        for task in /proc/"$pid"/task/*; do
            awk -v tick="$TICK_MS" -v name="$(cat "$task/comm")" '{ sub(/^.*\) /, ""); if ($12 + $13 > 0) print ($12 + $13) * tick " ms " name }' "$task/stat"
        done | sort -rn | head -15 | sed 's/^/[threads] /' >&2
    fi
    stop_pid "$pid" "the server"
    echo "$((now - started)) $rss $cpu"
}

log "first start: migrates the database"
read -r migrate_ms migrate_rss _ < <(start_once)
log "first start (with migrations): ${migrate_ms} ms, RSS $((migrate_rss / 1024)) MiB"
AOT="${BENCH_AOT:-1}"
case "$AOT" in 0 | 1) ;; *) die "BENCH_AOT is 0 or 1, not '$AOT'" ;; esac
aot_note="no AOT cache"
if [ "$AOT" = 1 ]; then
    log "training start (src/main/docker/aot-train.sh): writes the AOT cache on exit"
    GATEHOUSE_KEYS_ENCRYPTION_KEY="$KEY" GATEHOUSE_JVM_OPTIONS="${BENCH_JVM_OPTS:-}" \
        AOT_TRAIN_PORT="$(free_port)" AOT_TRAIN_MANAGEMENT_PORT="$(free_port)" AOT_TRAIN_TIMEOUT="$START_TIMEOUT" \
        bash "$REPO_ROOT/src/main/docker/aot-train.sh" "$REPO_ROOT/target/quarkus-app" "$WORK/app.aot" >>"$WORK/server.log" 2>&1 \
        || { tail -40 "$WORK/server.log" >&2; die "the training start failed (log above)"; }
    aot_note="AOT cache of $(du -h "$WORK/app.aot" | cut -f1) from one training start (src/main/docker/aot-train.sh)"
    log "$aot_note"
    BENCH_JVM_OPTS="${BENCH_JVM_OPTS:-} -XX:AOTCache=$WORK/app.aot"
fi
times=()
cpus=()
{
    echo "# bench/run-startup.sh $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); database: $DB_MODE PostgreSQL; MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-unset}"
    echo "# JVM options: ${BENCH_JVM_OPTS:-none}; $aot_note"
    echo "# cores: $(nproc); from process start to the first 200 on the public port, VmRSS then, and the CPU time"
    echo "# the server had used by then (all threads); load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "first start, migrating: ${migrate_ms} ms, RSS $((migrate_rss / 1024)) MiB"
    for i in $(seq 1 "$RUNS"); do
        read -r ms rss cpu < <(start_once)
        times+=("$ms")
        cpus+=("$cpu")
        echo "start $i: ${ms} ms, RSS $((rss / 1024)) MiB, CPU ${cpu} ms"
    done
    median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    cpu_median="$(printf '%s\n' "${cpus[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
    echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "median of $RUNS starts on a migrated database: ${median} ms (CPU ${cpu_median} ms)"
} | tee "$RESULTS"
log "results: $RESULTS"
