#!/usr/bin/env bash
# Revocation delay across two Gatehouse nodes: how long after a DELETE answered on node A does each node
# refuse the revoked key, with Redis up and again after Redis was restarted. See bench/README.md.
#
#   bash bench/run-revocation.sh                  # 200 revocations with Redis up, restart Redis, 200 more
#   BENCH_QUICK=1 bash bench/run-revocation.sh    # smoke run: 20 + 20, 5 warm-up
#
# Environment (defaults in brackets):
#   BENCH_QUICK=1                 BENCH_REVOCATIONS=20, BENCH_WARMUP_REVOCATIONS=5
#   BENCH_REVOCATIONS [200]       measured revocations per phase (redis-up, then after-redis-restart)
#   BENCH_WARMUP_REVOCATIONS [20] unrecorded revocations before each phase
#   BENCH_TARGET_MS [100]         the target: p99 of node B's delay, in both phases
#   BENCH_POLL_LIMIT [10]         seconds a node may keep accepting a revoked key before the revocation fails
#   BENCH_PHASE_LIMIT [300]       seconds per phase; a phase cut short makes the run invalid
#   BENCH_DB [system]             only system: both nodes share one throwaway PostgreSQL started from the
#                                 machine's initdb/pg_ctl (installed with apt-get when missing). embedded
#                                 (-Plocal) would give each node its own database.
#   BENCH_SKIP_BUILD, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: the nodes, see bench/server.sh
#   BENCH_CLIENT_JVM_OPTS         extra JVM options for the load program
#   JAVA_HOME                     a JDK 21+ (else Temurin 25)
#
# Starts, all on 127.0.0.1 and each on a free port: one throwaway PostgreSQL, one redis-server (Debian's,
# installed with apt-get when missing; no persistence) and two prod-jar nodes sharing both, with one random
# key-encryption key (in the nodes' environment only). The load program is bench/revocation/RevocationDelayBench.java,
# run with the JDK's source launcher; it signs up its own person and keeps every key in memory.
#
# Writes bench/results/revocation.txt. Exits 0 when node B's p99 is within the target in both phases, 3 when
# it is not, 4 when the run is invalid (a failed step, a key still accepted after BENCH_POLL_LIMIT, a phase
# cut short), anything else when the script failed. Every process it started is stopped on exit.
set -euo pipefail

BENCH_DB="${BENCH_DB:-system}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
source "$BENCH_DIR/redis.sh"
pick_java

[ "$DB_MODE" = system ] || die "run-revocation.sh needs BENCH_DB=system: with the embedded PostgreSQL (-Plocal) each node would have its own database"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    REVOCATIONS="${BENCH_REVOCATIONS:-20}"
    WARMUP_REVOCATIONS="${BENCH_WARMUP_REVOCATIONS:-5}"
else
    REVOCATIONS="${BENCH_REVOCATIONS:-200}"
    WARMUP_REVOCATIONS="${BENCH_WARMUP_REVOCATIONS:-20}"
fi
TARGET_MS="${BENCH_TARGET_MS:-100}"
POLL_LIMIT="${BENCH_POLL_LIMIT:-10}"
PHASE_LIMIT="${BENCH_PHASE_LIMIT:-300}"
RESULTS="$RESULTS_DIR/revocation.txt"
GENERATOR="$BENCH_DIR/revocation/RevocationDelayBench.java"
for setting in "REVOCATIONS=$REVOCATIONS" "WARMUP_REVOCATIONS=$WARMUP_REVOCATIONS" "TARGET_MS=$TARGET_MS" \
    "POLL_LIMIT=$POLL_LIMIT" "PHASE_LIMIT=$PHASE_LIMIT"; do
    [[ "${setting#*=}" =~ ^[0-9]+$ ]] || die "BENCH_${setting%%=*} must be a whole number, not '${setting#*=}'"
done

# --- Processes of this script, stopped on exit (then server.sh stops PostgreSQL and deletes $WORK) ---
NODE_PIDS=()
revocation_cleanup() {
    local rc=$?
    trap - ERR
    set +e
    local pid
    for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" "node (pid $pid)"; done
    (exit "$rc")
    server_cleanup
}
server_setup revocation
trap revocation_cleanup EXIT

# --- Debian packages: redis-server, PostgreSQL ------------------------------------------------------
# Debian's package starts a system-wide redis on 6379; this script uses its own, on a free port
# (bench/redis.sh: chosen once, so that the restart below comes back at the same address).
require_redis
if ! command -v pg_ctl >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null; then
    apt_install postgresql
fi
command -v curl >/dev/null 2>&1 || die "curl is required"

# --- Two nodes sharing PostgreSQL, Redis and one key-encryption key ----------------------------------
# The key lives in this shell's memory (not exported, never on a command line or in a file) and goes to
# each node's environment only.
KEYS_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 -w0)"
start_node() { # name -> sets NODE_BASE and NODE_MANAGEMENT (health, metrics)
    local name="$1" port management
    port="$(free_port)"
    management="$(free_port)"
    NODE_BASE="http://$HOST:$port"
    NODE_MANAGEMENT="http://$HOST:$management"
    log "starting node $name on $NODE_BASE"
    (
        GATEHOUSE_KEYS_ENCRYPTION_KEY="$KEYS_ENCRYPTION_KEY"
        export GATEHOUSE_KEYS_ENCRYPTION_KEY
        export QUARKUS_REDIS_HOSTS="redis://$HOST:$REDIS_PORT" GATEHOUSE_ISSUER="$NODE_BASE"
        # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
        exec "$JAVA" ${BENCH_JVM_OPTS:-} -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$port" \
            -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$management" -jar "$APP"
    ) >"$WORK/node-$name.log" 2>&1 </dev/null &
    local pid=$!
    NODE_PIDS+=("$pid")
    local started=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
    until curl -fsS -m 2 -o /dev/null "$NODE_MANAGEMENT/q/health/ready" 2>/dev/null; do
        kill -0 "$pid" 2>/dev/null || { tail -40 "$WORK/node-$name.log" >&2; die "node $name exited during start-up (log above)"; }
        [ "$SECONDS" -lt "$deadline" ] || { tail -40 "$WORK/node-$name.log" >&2; die "node $name not ready within ${START_TIMEOUT}s (log above)"; }
        sleep 1
    done
    log "node $name ready after $((SECONDS - started))s"
}
await_ready() { # base, seconds
    local deadline=$((SECONDS + $2))
    until curl -fsS -m 2 -o /dev/null "$1/q/health/ready" 2>/dev/null; do
        [ "$SECONDS" -lt "$deadline" ] || return 1
        sleep 0.2
    done
}

build_server
start_system_postgres
start_redis
start_node a
BASE_A="$NODE_BASE"
MANAGEMENT_A="$NODE_MANAGEMENT"
start_node b
BASE_B="$NODE_BASE"
MANAGEMENT_B="$NODE_MANAGEMENT"

# --- Two phases ----------------------------------------------------------------------------------
run_phase() { # phase name
    local status=0
    # Bounded: the phase limit, plus the warm-up (each revocation at most 2 x BENCH_POLL_LIMIT) and start-up.
    # shellcheck disable=SC2086 # BENCH_CLIENT_JVM_OPTS is a list of options
    timeout $((PHASE_LIMIT + WARMUP_REVOCATIONS * 2 * POLL_LIMIT + 120)) "$JAVA" ${BENCH_CLIENT_JVM_OPTS:-} "$GENERATOR" \
        "$BASE_A" "$BASE_B" --phase="$1" --revocations="$REVOCATIONS" --warmup="$WARMUP_REVOCATIONS" \
        --poll-limit="$POLL_LIMIT" --phase-limit="$PHASE_LIMIT" >"$WORK/$1.out" || status=$?
    cat "$WORK/$1.out"
    case "$status" in
        0) ;;
        1) INVALID=1 ;;
        *) for name in a b; do tail -30 "$WORK/node-$name.log" >&2; done
           die "the load program failed in phase $1 (exit $status; the nodes' logs above)" ;;
    esac
}
INVALID=0
settings="$REVOCATIONS revocations per phase, one at a time, after $WARMUP_REVOCATIONS unrecorded ones; poll limit ${POLL_LIMIT}s, phase limit ${PHASE_LIMIT}s"
log "phase redis-up: $settings"
run_phase redis-up

log "restarting Redis on the same port"
stop_redis
# The nodes notice Redis is gone (their next use of it fails); then it comes back at the same address.
sleep 1
start_redis
for base in "$MANAGEMENT_A" "$MANAGEMENT_B"; do
    await_ready "$base" 30 || log "WARNING: $base not ready 30 s after Redis came back"
done
log "phase after-redis-restart: $settings"
run_phase after-redis-restart

# --- Results -------------------------------------------------------------------------------------
b_p99() { sed -n -E 's/.*"b_p99_ms":([-0-9.]+).*/\1/p' "$WORK/$1.out"; }
P99_UP="$(b_p99 redis-up)"
P99_RESTART="$(b_p99 after-redis-restart)"
verdict="$(awk -v up="$P99_UP" -v re="$P99_RESTART" -v target="$TARGET_MS" -v invalid="$INVALID" 'BEGIN {
    if (up == "" || re == "" || up < 0 || re < 0) { print "INVALID: no measurement"; exit }
    worst = (up > re) ? up : re
    if (worst > target) print "MISSED: node B p99 " up " ms (Redis up), " re " ms (after restart); target " target " ms"
    else if (invalid == 1) print "INVALID: some revocations failed or a phase was cut short (B p99 " up " / " re " ms)"
    else print "PASS: node B p99 " up " ms (Redis up), " re " ms (after restart); target " target " ms"
}')"
node_problems() {
    sed -n -E 's/.* (WARN|ERROR) +\[([^]]+)\].*/\1 \2/p' "$WORK/node-$1.log" | sort | uniq -c \
        | awk '{ printf "%s%s %s x%d", (NR > 1 ? ", " : ""), $2, $3, $1 } END { if (NR == 0) printf "none" }'
}
mkdir -p "$RESULTS_DIR"
{
    echo "# Gatehouse revocation delay across two nodes: DELETE on A, then first 401 on A and on B"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)'), $(nproc) cores, quick=${BENCH_QUICK:-0}"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); PostgreSQL: $("$PG_BIN/postgres" --version 2>/dev/null); Redis: v=$(redis_version)"
    echo "# nodes: A $BASE_A, B $BASE_B; Redis $HOST:$REDIS_PORT (restarted between the phases)"
    echo "# settings: $settings; target: B p99 <= $TARGET_MS ms"
    echo "# node logs, WARN/ERROR lines by logger: A: $(node_problems a); B: $(node_problems b)"
    cat "$WORK/redis-up.out" "$WORK/after-redis-restart.out"
    echo "verdict: $verdict"
} >"$RESULTS"
if grep -q -E 'gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session=|[A-Za-z0-9_-]{40,}' "$RESULTS"; then
    rm -f "$RESULTS"
    die "something like a credential reached the results file: removed it"
fi
log "results: $RESULTS"
log "verdict: $verdict"
case "$verdict" in
    PASS*) exit 0 ;;
    MISSED*) exit 3 ;;
    *) exit 4 ;;
esac
