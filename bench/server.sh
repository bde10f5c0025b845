# One Gatehouse server for the HTTP benchmarks (bench/run-load.sh, bench/run-oauth.sh). Sourced after
# bench/common.sh, not run. The server is the prod jar (java -jar target/quarkus-app/quarkus-run.jar),
# listening on 127.0.0.1 only, with a throwaway database and a random key-encryption key.
#
#   server_setup NAME              private temporary directory $WORK (mode 700) and the traps that stop
#                                  everything started here and delete $WORK on exit, failure or Ctrl-C
#   build_server                   ./mvnw package -DskipTests (-Plocal for BENCH_DB=embedded), unless
#                                  BENCH_SKIP_BUILD=1 and the jar exists; checks the jar fits BENCH_DB
#   start_server [NAME=VALUE ...]  starts the database (BENCH_DB=system) and the server, with the given
#                                  extra environment, and waits (bounded) for /q/health/ready.
#                                  Sets PORT, BASE (http://127.0.0.1:PORT) and SERVER_PID.
#   stop_server                    stops the server (gracefully, bounded, then forced); also on exit
#   on_cleanup COMMAND             runs COMMAND on exit too, after the server has stopped (last added,
#                                  first run): for the other processes a script starts (Redis, nginx)
#
# Environment (defaults in brackets):
#   BENCH_DB [embedded]    embedded: build with -Plocal, whose extension starts an embedded PostgreSQL
#                          in the server (also in prod mode); system: build without it and start a
#                          throwaway PostgreSQL from the pg_ctl/initdb/postgres binaries on this machine
#   BENCH_SKIP_BUILD=1     reuse target/quarkus-app (it must match BENCH_DB)
#   BENCH_PORT             server port (default: a free one)
#   BENCH_JVM_OPTS         the server's JVM options [the production ones: src/main/docker/jvm.options, the
#                          file README's "Production" and the container image use]; set it empty for none.
#                          Servers also run with MALLOC_ARENA_MAX=2, as documented for production.
#   BENCH_START_TIMEOUT [180]  seconds to wait for /q/health/ready
#
# In prod mode the server refuses to start without GATEHOUSE_KEYS_ENCRYPTION_KEY (32 bytes, base64): each
# start gets a fresh random one, set in the server's environment only (never on a command line, never
# written anywhere). The databases are throwaway, so no signing key has to outlive the run.

HOST=127.0.0.1
DB_MODE="${BENCH_DB:-embedded}"
START_TIMEOUT="${BENCH_START_TIMEOUT:-180}"
APP="$REPO_ROOT/target/quarkus-app/quarkus-run.jar"
SERVER_PID=""
CLEANUP_HOOKS=()
PG_DIR=""
PG_USER=""
WORK=""

case "$DB_MODE" in embedded | system) ;; *) die "BENCH_DB must be embedded or system, not '$DB_MODE'" ;; esac
# What is measured is what runs in production: the documented JVM options (comments dropped) unless the
# caller chose others, and glibc's malloc arenas capped as documented (2 instead of 8 per core: native
# memory that threads freed is reused instead of sitting in an arena of its own).
JVM_OPTIONS_FILE="$REPO_ROOT/src/main/docker/jvm.options"
if [ -z "${BENCH_JVM_OPTS+set}" ]; then
    BENCH_JVM_OPTS="$(sed -e 's/#.*//' "$JVM_OPTIONS_FILE" | xargs)"
fi
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "BENCH_START_TIMEOUT is whole seconds, not '$START_TIMEOUT'"

# --- Clean-up: whatever was started is stopped, whatever was written in private is removed ----------
server_setup() {
    WORK="$(mktemp -d "/tmp/gatehouse-$1.XXXXXX")"
    chmod 700 "$WORK"
    trap server_cleanup EXIT
    trap 'exit 130' INT TERM
    trap 'log "failed: line $LINENO: $BASH_COMMAND"' ERR
}

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        log "stopping the server (pid $SERVER_PID)"
        kill -TERM "$SERVER_PID" 2>/dev/null
        # Graceful stop also stops the embedded PostgreSQL; bounded, then forced.
        for _ in $(seq 1 60); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -0 "$SERVER_PID" 2>/dev/null && { log "server still running: killing it"; kill -KILL "$SERVER_PID"; }
        wait "$SERVER_PID" 2>/dev/null
    fi
    SERVER_PID=""
}

on_cleanup() { CLEANUP_HOOKS+=("$1"); }

server_cleanup() {
    local rc=$?
    trap - ERR
    set +e
    stop_server
    local i
    for ((i = ${#CLEANUP_HOOKS[@]} - 1; i >= 0; i--)); do eval "${CLEANUP_HOOKS[$i]}"; done
    if [ -n "$PG_DIR" ] && [ -f "$PG_DIR/data/postmaster.pid" ]; then
        log "stopping PostgreSQL"
        as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -t 30 -w stop >/dev/null 2>&1
    fi
    [ -n "$PG_DIR" ] && rm -rf "$PG_DIR"
    [ -n "$WORK" ] && rm -rf "$WORK"
    exit "$rc"
}

# --- Ports and PostgreSQL for BENCH_DB=system ------------------------------------------------------
free_port() {
    local port low=20000 span=40000 ephemeral_low
    # Below the kernel's ephemeral range when there is room: a port some outgoing connection is using (or
    # has in TIME_WAIT) answers no connect, yet cannot be bound by a listener.
    ephemeral_low="$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true)"
    if [[ "$ephemeral_low" =~ ^[0-9]+$ ]] && [ "$ephemeral_low" -ge 12000 ]; then
        low=10000
        span=$((ephemeral_low - low))
    fi
    for _ in $(seq 1 100); do
        port=$((low + RANDOM % span))
        # A refused connection means nobody listens there.
        if ! (exec 3<>"/dev/tcp/$HOST/$port") 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    die "no free port found"
}

as_pg_user() {
    if [ -n "$PG_USER" ]; then runuser -u "$PG_USER" -- "$@"; else "$@"; fi
}

start_system_postgres() {
    PG_BIN="$(dirname "$(command -v pg_ctl || ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | tail -1)")"
    [ -x "$PG_BIN/pg_ctl" ] && [ -x "$PG_BIN/initdb" ] || die "BENCH_DB=system needs pg_ctl and initdb"
    # PostgreSQL refuses to run as root: use the postgres (else nobody) account for its files and server.
    if [ "$(id -u)" -eq 0 ]; then
        PG_USER=postgres
        id "$PG_USER" >/dev/null 2>&1 || PG_USER=nobody
    fi
    PG_DIR="$(mktemp -d /tmp/gatehouse-bench-pg.XXXXXX)"
    [ -n "$PG_USER" ] && chown "$PG_USER" "$PG_DIR"
    PG_PORT="$(free_port)"
    log "starting PostgreSQL from $PG_BIN on $HOST:$PG_PORT${PG_USER:+ as $PG_USER}"
    as_pg_user "$PG_BIN/initdb" -D "$PG_DIR/data" -U gatehouse --auth=trust -E UTF8 >"$WORK/initdb.log" 2>&1 \
        || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    as_pg_user "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/postgres.log" -w -t 60 \
        -o "-c listen_addresses=$HOST -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off" start >/dev/null \
        || { cat "$PG_DIR/postgres.log" >&2; die "PostgreSQL did not start"; }
    export QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$HOST:$PG_PORT/postgres"
    export QUARKUS_DATASOURCE_USERNAME=gatehouse
    export QUARKUS_DATASOURCE_PASSWORD=gatehouse
}

# --- Build ---------------------------------------------------------------------------------------
build_server() {
    if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$APP" ]; then
        if [ "$DB_MODE" = embedded ]; then
            log "building the prod jar with the embedded PostgreSQL (-Plocal), JAVA_HOME=$JAVA_HOME"
            mvnw package -DskipTests -Plocal
        else
            log "building the prod jar, JAVA_HOME=$JAVA_HOME"
            mvnw package -DskipTests
        fi
    fi
    local has_embedded_pg=0
    compgen -G "$REPO_ROOT/target/quarkus-app/lib/main/*quarkus-embedded-postgresql*" >/dev/null && has_embedded_pg=1
    if [ "$DB_MODE" = embedded ] && [ "$has_embedded_pg" = 0 ]; then
        die "target/quarkus-app has no embedded PostgreSQL: build with -Plocal (drop BENCH_SKIP_BUILD) or use BENCH_DB=system"
    fi
    if [ "$DB_MODE" = system ] && [ "$has_embedded_pg" = 1 ]; then
        die "target/quarkus-app was built with -Plocal and would start its own database: drop BENCH_SKIP_BUILD"
    fi
}

# --- Server --------------------------------------------------------------------------------------
start_server() {
    [ -n "$WORK" ] || die "start_server before server_setup"
    [ -f "$APP" ] || die "no $APP: build_server first"
    command -v curl >/dev/null 2>&1 || die "curl is required"
    [ "$DB_MODE" = system ] && [ -z "$PG_DIR" ] && start_system_postgres
    PORT="${BENCH_PORT:-$(free_port)}"
    BASE="http://$HOST:$PORT"
    # Health and metrics live on the management interface, a port of their own.
    MANAGEMENT_PORT="$(free_port)"
    MANAGEMENT="http://$HOST:$MANAGEMENT_PORT"
    log "starting Gatehouse on $BASE ($DB_MODE PostgreSQL)"
    (
        # Only this subshell, and the server it becomes, sees the key.
        GATEHOUSE_KEYS_ENCRYPTION_KEY="$(head -c 32 /dev/urandom | base64 -w0)"
        export GATEHOUSE_KEYS_ENCRYPTION_KEY
        for setting in "$@"; do export "$setting"; done
        # shellcheck disable=SC2086 # BENCH_JVM_OPTS is a list of options
        exec "$JAVA" ${BENCH_JVM_OPTS:-} -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$PORT" \
            -Dquarkus.management.host="$HOST" -Dquarkus.management.port="$MANAGEMENT_PORT" -jar "$APP"
    ) >"$WORK/server.log" 2>&1 </dev/null &
    SERVER_PID=$!

    local started=$SECONDS deadline=$((SECONDS + START_TIMEOUT))
    until curl -fsS -m 2 -o /dev/null "$MANAGEMENT/q/health/ready" 2>/dev/null; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            tail -40 "$WORK/server.log" >&2
            die "the server exited during start-up (log above)"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            tail -40 "$WORK/server.log" >&2
            die "the server was not ready within ${START_TIMEOUT}s (log above)"
        fi
        sleep 1
    done
    log "ready after $((SECONDS - started))s"
}
