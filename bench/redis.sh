# One Redis for the benchmarks (bench/run-load.sh with BENCH_REDIS=on, bench/run-gateway.sh,
# bench/run-revocation.sh). Sourced after bench/common.sh and bench/server.sh, not run.
#
#   require_redis              finds Debian's redis-server and redis-cli, installing them with apt-get
#                              when missing (the package also starts a system-wide Redis on 6379: unused)
#   start_redis                its own redis-server on $HOST:$REDIS_PORT (a free port, chosen the first
#                              time and kept, so a restart comes back at the same address), no persistence,
#                              files in $WORK; stopped on exit (on_cleanup)
#   stop_redis                 stops it
#   redis_commandstats FILE    writes "<command> <calls>" per command Redis has run since it started
#                              (INFO commandstats), the INFO calls themselves left out
#   redis_commands_between BEFORE AFTER REQUESTS
#                              one line: the commands run between two redis_commandstats, in all, EVALSHA
#                              alone, and by command, per request

REDIS_SERVER=""
REDIS_CLI=""
REDIS_PID=""
REDIS_PORT=""
REDIS_HOOKED=0

require_redis() {
    find_redis() { command -v "$1" || { [ -x "/usr/bin/$1" ] && echo "/usr/bin/$1"; } || true; }
    REDIS_SERVER="$(find_redis redis-server)"
    REDIS_CLI="$(find_redis redis-cli)"
    if [ -z "$REDIS_SERVER" ] || [ -z "$REDIS_CLI" ]; then
        apt_install redis-server
        REDIS_SERVER="$(find_redis redis-server)"
        REDIS_CLI="$(find_redis redis-cli)"
    fi
    [ -n "$REDIS_SERVER" ] && [ -n "$REDIS_CLI" ] || die "redis-server and redis-cli could not be installed"
}

# Answers PONG? (in a subshell: the connection and its errors stay there)
redis_ping() {
    (
        exec 3<>"/dev/tcp/$HOST/$REDIS_PORT" || exit 1
        printf 'PING\r\n' >&3
        read -r -t 2 reply <&3 || exit 1
        [[ "$reply" == +PONG* ]]
    ) 2>/dev/null
}

start_redis() {
    [ -n "$WORK" ] || die "start_redis before server_setup"
    [ -n "$REDIS_SERVER" ] || require_redis
    [ -n "$REDIS_PORT" ] || REDIS_PORT="$(free_port)"
    [ "$REDIS_HOOKED" = 1 ] || { on_cleanup stop_redis; REDIS_HOOKED=1; }
    "$REDIS_SERVER" --bind "$HOST" --port "$REDIS_PORT" --save '' --appendonly no --daemonize no \
        --dir "$WORK" --logfile '' >>"$WORK/redis.log" 2>&1 </dev/null &
    REDIS_PID=$!
    for _ in $(seq 1 100); do
        redis_ping && { log "Redis ready on $HOST:$REDIS_PORT (pid $REDIS_PID)"; return; }
        kill -0 "$REDIS_PID" 2>/dev/null || { tail -20 "$WORK/redis.log" >&2; die "redis-server exited"; }
        sleep 0.1
    done
    die "Redis did not answer within 10 s"
}

stop_redis() {
    [ -n "$REDIS_PID" ] && log "stopping Redis (pid $REDIS_PID)"
    stop_pid "$REDIS_PID" "redis-server"
    REDIS_PID=""
}

redis_version() { "$REDIS_SERVER" --version | awk '{ sub("v=", "", $3); print $3 }'; }

redis_commandstats() {
    # cmdstat_evalsha:calls=12,usec=...  ->  evalsha 12
    timeout 10 "$REDIS_CLI" -h "$HOST" -p "$REDIS_PORT" INFO commandstats \
        | tr -d '\r' | sed -n -E 's/^cmdstat_([^:]+):calls=([0-9]+),.*/\1 \2/p' | grep -v '^info ' | sort >"$1" || true
}

redis_commands_between() {
    # INFO commandstats counts the commands a Lua script runs as well as the EVALSHA that ran it: the
    # round trips are the EVALSHA calls plus any other command sent on its own.
    awk -v requests="$3" '
        function per(n) { return requests > 0 ? n / requests : 0 }
        FNR == NR { before[$1] = $2; next }
        { n = $2 - before[$1]; if (n > 0) { by[$1] = n; total += n; names[++count] = $1 } }
        END {
            line = sprintf("%d commands executed for %d requests = %.3f per request, scripts\x27 own commands included; EVALSHA %d = %.3f per request",
                total, requests, per(total), by["evalsha"], per(by["evalsha"]))
            sep = "; by command: "
            for (i = 1; i <= count; i++) { line = line sprintf("%s%s %.3f", sep, names[i], per(by[names[i]])); sep = ", " }
            print line
        }' "$1" "$2"
}
