#!/usr/bin/env bash
# Gateway benchmark: requests through nginx with forward-auth (examples/nginx/gatehouse.conf: auth_request to
# Gatehouse's /forward-auth, then the upstream) against the same nginx proxying straight to the same upstream,
# in one run with alternating rounds. No pass mark: the ratio is the share of nginx's throughput left once
# every request is also decided by Gatehouse. See bench/README.md.
#
#   bash bench/run-gateway.sh                  # full run: 2 rounds of direct then forward-auth, 20 s each
#   BENCH_QUICK=1 bash bench/run-gateway.sh    # smoke run: 3 s per wrk run, 2 s warm-up
#   BENCH_REDIS=on BENCH_CREDITS=on bash bench/run-gateway.sh
#                                              # metered as a seed would be: rate limit and credits in Redis
#
# Environment (defaults in brackets):
#   BENCH_QUICK, BENCH_DURATION [20s], BENCH_WARMUP [10s], BENCH_THREADS [2], BENCH_CONNECTIONS [32],
#   BENCH_ROUNDS [2], BENCH_RATE_LIMITS [on], BENCH_CREDITS [off], BENCH_REDIS [off]: as for run-load.sh
#                          (bench/load.sh)
#   BENCH_MIN_RATIO        a pass mark for rps(forward-auth) / rps(direct), if wanted (default: none)
#   BENCH_NGINX_WORKERS [1] nginx worker_processes
#   BENCH_DB, BENCH_SKIP_BUILD, BENCH_PORT, BENCH_JVM_OPTS, BENCH_START_TIMEOUT: the server, see bench/server.sh
#   JAVA_HOME              a JDK 21+ (else Temurin 25)
#
# Starts, all on 127.0.0.1 and on free ports: Gatehouse (the prod jar, bench/server.sh) with a route table
# of one route, GET /api/** (scope profile:read, cost 1), unrouted requests denied and nginx trusted as a
# proxy; Redis when BENCH_REDIS=on; and one Debian nginx (installed with apt-get when missing) serving three
# listeners from one configuration: examples/nginx/gatehouse.conf as shipped (its three addresses
# substituted, as NginxGatewayTest does), the same upstream block proxied without auth_request, and the
# upstream itself, a constant JSON answer that also echoes the X-Gatehouse-Key-Id it was sent.
#
# Writes bench/results/gateway.txt (gateway-redis-credits.txt, ... for other modes). The key and the
# session cookie stay in a private temporary directory that is deleted at the end; never on a command line.
# Exits 0 when no request failed (and the ratio meets BENCH_MIN_RATIO when set), 3 when it does not, 4 when
# requests failed, anything else on failure. Every process it started is stopped on exit.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
source "$BENCH_DIR/redis.sh"
source "$BENCH_DIR/load.sh"
pick_java
load_settings
MIN_RATIO="${BENCH_MIN_RATIO:-}"
NGINX_WORKERS="${BENCH_NGINX_WORKERS:-1}"
[[ "$NGINX_WORKERS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_NGINX_WORKERS is a positive whole number, not '$NGINX_WORKERS'"
RESULTS="$(results_file gateway)"
EXAMPLE="$REPO_ROOT/examples/nginx/gatehouse.conf"
API_PATH=/api/jobs

server_setup gateway
require_wrk
[ "$REDIS_MODE" = on ] && require_redis
find_nginx() {
    local candidate
    for candidate in /usr/sbin/nginx /usr/local/sbin/nginx /usr/bin/nginx "$(command -v nginx || true)"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
}
NGINX="$(find_nginx)"
[ -n "$NGINX" ] || { apt_install nginx; NGINX="$(find_nginx)"; }
[ -n "$NGINX" ] || die "nginx could not be installed"
[ -f "$EXAMPLE" ] || die "no $EXAMPLE"

# --- Gatehouse: the route table, nginx trusted to name the client ---------------------------------
build_server
metering_env
start_server "${METERING_ENV[@]}" \
    GATEHOUSE_PROXY_TRUSTED_PROXIES=127.0.0.1/32 \
    GATEHOUSE_GATEWAY_UNMATCHED=deny \
    GATEHOUSE_ROUTES__BENCH__METHOD=GET \
    'GATEHOUSE_ROUTES__BENCH__PATH=/api/**' \
    GATEHOUSE_ROUTES__BENCH__SCOPE=profile:read \
    GATEHOUSE_ROUTES__BENCH__COST=1
mint_bench_key
key_id="$(sed -n -E 's/^\{"id" *: *"([^"]+)".*/\1/p' "$WORK/mint.out")"
[ -n "$key_id" ] || die "the answer to POST /settings/api-keys has no id"

# --- nginx: the example as shipped, a listener without auth, the upstream ---------------------------
NGINX_DIR="$WORK/nginx"
NGINX_PID=""
mkdir -p "$NGINX_DIR/conf" "$NGINX_DIR/logs" "$NGINX_DIR/tmp"
AUTH_PORT="$(free_port)"
DIRECT_PORT="$(free_port)"
UPSTREAM_PORT="$(free_port)"
[ "$AUTH_PORT" != "$DIRECT_PORT" ] && [ "$AUTH_PORT" != "$UPSTREAM_PORT" ] && [ "$DIRECT_PORT" != "$UPSTREAM_PORT" ] \
    || die "free_port gave the same port twice: run again"
# substitute_once FILE LITERAL REPLACEMENT: the example must contain LITERAL exactly once.
substitute_once() {
    local count
    count="$(grep -c -F -- "$2" "$1" || true)"
    [ "$count" = 1 ] || die "$EXAMPLE must contain '$2' exactly once (found $count): this script substitutes it"
    awk -v from="$2" -v to="$3" '{ i = index($0, from); if (i) $0 = substr($0, 1, i - 1) to substr($0, i + length(from)); print }' \
        "$1" >"$1.new" && mv "$1.new" "$1"
}
cp "$EXAMPLE" "$NGINX_DIR/conf/gatehouse.conf"
substitute_once "$NGINX_DIR/conf/gatehouse.conf" "server 127.0.0.1:8080;" "server $HOST:$PORT;"
substitute_once "$NGINX_DIR/conf/gatehouse.conf" "server 127.0.0.1:9000;" "server $HOST:$UPSTREAM_PORT;"
substitute_once "$NGINX_DIR/conf/gatehouse.conf" "listen 8000;" "listen $HOST:$AUTH_PORT;"
cat >"$NGINX_DIR/conf/nginx.conf" <<CONF
worker_processes $NGINX_WORKERS;
error_log $NGINX_DIR/logs/error.log warn;
pid $NGINX_DIR/nginx.pid;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $NGINX_DIR/tmp/body;
    proxy_temp_path $NGINX_DIR/tmp/proxy;
    fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
    uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
    scgi_temp_path $NGINX_DIR/tmp/scgi;

    # examples/nginx/gatehouse.conf, its three addresses substituted: every request asks Gatehouse first.
    include $NGINX_DIR/conf/gatehouse.conf;

    # The baseline: the same upstream block (protected_api, from the example), proxied without auth_request.
    server {
        listen $HOST:$DIRECT_PORT;
        location / {
            proxy_pass http://protected_api;
        }
    }

    # The upstream: a constant JSON answer, echoing the key id nginx passed on (empty, so absent, without auth).
    server {
        listen $HOST:$UPSTREAM_PORT;
        location / {
            default_type application/json;
            add_header X-Upstream-Saw-Key-Id \$http_x_gatehouse_key_id always;
            return 200 '{"upstream":"ok"}\n';
        }
    }
}
CONF
# As root, nginx would hand its workers to "nobody", who cannot read the private directory.
globals="daemon off;"
[ "$(id -u)" -eq 0 ] && globals="$globals user root;"
"$NGINX" -t -q -p "$NGINX_DIR" -c "$NGINX_DIR/conf/nginx.conf" -e "$NGINX_DIR/logs/startup.log" -g "$globals" \
    >"$NGINX_DIR/logs/test.log" 2>&1 || { cat "$NGINX_DIR/logs/test.log" "$NGINX_DIR/logs/startup.log" >&2 2>/dev/null; die "nginx -t refused the configuration"; }
stop_nginx() {
    [ -n "$NGINX_PID" ] && log "stopping nginx (pid $NGINX_PID)"
    stop_pid "$NGINX_PID" nginx
    NGINX_PID=""
}
on_cleanup stop_nginx
"$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/conf/nginx.conf" -e "$NGINX_DIR/logs/startup.log" -g "$globals" \
    >"$NGINX_DIR/logs/stdout.log" 2>&1 </dev/null &
NGINX_PID=$!
listening() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }
for _ in $(seq 1 150); do
    kill -0 "$NGINX_PID" 2>/dev/null || { cat "$NGINX_DIR"/logs/*.log >&2; die "nginx stopped at start-up (logs above)"; }
    listening "$AUTH_PORT" && listening "$DIRECT_PORT" && listening "$UPSTREAM_PORT" && break
    sleep 0.1
done
listening "$AUTH_PORT" && listening "$DIRECT_PORT" && listening "$UPSTREAM_PORT" || die "nginx did not listen within 15 s"
log "nginx $("$NGINX" -v 2>&1 | sed 's/.*nginx\///') (pid $NGINX_PID, $NGINX_WORKERS worker(s)): forward-auth on $HOST:$AUTH_PORT, direct on $HOST:$DIRECT_PORT, upstream on $HOST:$UPSTREAM_PORT"

# --- What each listener answers ---------------------------------------------------------------------
AUTH_URL="http://$HOST:$AUTH_PORT$API_PATH"
DIRECT_URL="http://$HOST:$DIRECT_PORT$API_PATH"
status="$(curl -sS -m 10 -o "$WORK/auth.out" -D "$WORK/auth.headers" -w '%{http_code}' -H @"$WORK/auth.header" "$AUTH_URL")"
[ "$status" = 200 ] || die "GET $API_PATH through forward-auth answered $status, not 200: $(head -c 300 "$WORK/auth.out")"
grep -q '"upstream":"ok"' "$WORK/auth.out" || die "GET $API_PATH through forward-auth did not reach the upstream"
grep -q -i -F "X-Upstream-Saw-Key-Id: $key_id" "$WORK/auth.headers" \
    || die "through forward-auth, the upstream was not sent X-Gatehouse-Key-Id: the key's id"
check_metering_headers "$WORK/auth.headers" "GET $API_PATH through forward-auth"
status="$(curl -sS -m 10 -o "$WORK/noauth.out" -w '%{http_code}' "$AUTH_URL")"
[ "$status" = 401 ] || die "GET $API_PATH through forward-auth without a key answered $status, not 401"
grep -q '"status":401' "$WORK/noauth.out" || die "the 401 through forward-auth has not the seed body: $(head -c 300 "$WORK/noauth.out")"
status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H @"$WORK/auth.header" "http://$HOST:$AUTH_PORT/elsewhere")"
[ "$status" = 404 ] || die "GET /elsewhere (no route) through forward-auth answered $status, not 404: the route table did not take effect"
status="$(curl -sS -m 10 -o "$WORK/direct.out" -D "$WORK/direct.headers" -w '%{http_code}' "$DIRECT_URL")"
[ "$status" = 200 ] || die "GET $API_PATH direct answered $status, not 200"
grep -q '"upstream":"ok"' "$WORK/direct.out" || die "GET $API_PATH direct did not reach the upstream"
! grep -q -i -E '^(X-Upstream-Saw-Key-Id|X-RateLimit-|X-Credits-)' "$WORK/direct.headers" \
    || die "the direct listener's answer carries Gatehouse's headers: it went through Gatehouse"
check_redis_used

# --- Load: alternating rounds of (direct, forward-auth) --------------------------------------------
measure_alternating direct "$DIRECT_URL" "$WORK/none.lua" forward-auth "$AUTH_URL" "$WORK/auth.lua"

# --- Report --------------------------------------------------------------------------------------
nginx_errors="$(wc -l <"$NGINX_DIR/logs/error.log" 2>/dev/null || echo 0)"
EXTRA_HEADER="# nginx: $("$NGINX" -v 2>&1 | sed 's/.*nginx\///'), worker_processes $NGINX_WORKERS, access_log off; forward-auth: examples/nginx/gatehouse.conf on :$AUTH_PORT; direct: proxy_pass to the same upstream block on :$DIRECT_PORT; upstream: nginx return 200 on :$UPSTREAM_PORT
# Gatehouse routes: GET /api/** (scope profile:read, cost 1), gatehouse.gateway.unmatched=deny, trusted proxy 127.0.0.1/32; wrk path $API_PATH
# nginx error.log lines (warn and above): $nginx_errors$( [ "$nginx_errors" = 0 ] || { echo; sed -E 's/^/#   /' "$NGINX_DIR/logs/error.log" | head -20; } )"
write_results "$RESULTS" "Gatehouse gateway benchmark: nginx forward-auth (auth_request to Gatehouse) vs nginx straight to the upstream" direct forward-auth
verdict_exit
