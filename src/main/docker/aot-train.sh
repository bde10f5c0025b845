#!/usr/bin/env bash
# Makes the JDK AOT cache for a built Gatehouse (JDK 25: JEP 483, 514, 515): one training start with the
# production JVM options and -XX:AOTCacheOutput, a few requests of the kinds a node answers most, then a
# graceful stop, as the JVM writes the cache when it exits. Starts with -XX:AOTCache=<cache> then load
# and link their classes from it instead of from the jars (README.md, "Production"; docs/benchmarks.md).
#
#   src/main/docker/aot-train.sh [APP_DIR [CACHE]]    # defaults: target/quarkus-app, APP_DIR/app.aot
#
# The training start needs what any start needs (QUARKUS_DATASOURCE_JDBC_URL, _USERNAME, _PASSWORD,
# GATEHOUSE_KEYS_ENCRYPTION_KEY, ...) in the environment; a throwaway database is fine (it is migrated if it
# is not). Use the very java that will run the server (JAVA_HOME, else java on the PATH): a cache made by
# another JDK build, or for other jars, is ignored with a warning. In the container image this script is
# /deployments/aot-train.sh (see src/main/docker/Dockerfile.jvm).
#
# Environment: GATEHOUSE_JVM_OPTIONS (default: the jvm.options file next to this script, else
# APP_DIR/jvm.options), AOT_TRAIN_PORT and AOT_TRAIN_MANAGEMENT_PORT (default 18080 and 18090, on
# 127.0.0.1), AOT_TRAIN_REQUESTS (default 100 rounds), AOT_TRAIN_TIMEOUT (default 300 seconds).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
app="${1:-target/quarkus-app}"
cache="${2:-$app/app.aot}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
port="${AOT_TRAIN_PORT:-18080}"
management="${AOT_TRAIN_MANAGEMENT_PORT:-18090}"
rounds="${AOT_TRAIN_REQUESTS:-100}"
timeout="${AOT_TRAIN_TIMEOUT:-300}"
log() { printf '[aot-train] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[ -f "$app/quarkus-run.jar" ] || die "no $app/quarkus-run.jar: build first (./mvnw package)"
if [ -z "${GATEHOUSE_JVM_OPTIONS:-}" ]; then
    for candidate in "$here/jvm.options" "$app/jvm.options"; do
        [ -f "$candidate" ] && GATEHOUSE_JVM_OPTIONS="@$candidate" && break
    done
fi
command -v curl >/dev/null 2>&1 || die "curl is required"
rm -f "$cache"
log "training start: $java ${GATEHOUSE_JVM_OPTIONS:-} -XX:AOTCacheOutput=$cache -jar $app/quarkus-run.jar"
# shellcheck disable=SC2086 # GATEHOUSE_JVM_OPTIONS is a list of options
"$java" ${GATEHOUSE_JVM_OPTIONS:-} -XX:AOTCacheOutput="$cache" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.management.host=127.0.0.1 -Dquarkus.management.port="$management" \
    -jar "$app/quarkus-run.jar" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null || true' EXIT

base="http://127.0.0.1:$port"
deadline=$((SECONDS + timeout))
until curl -fsS -m 2 -o /dev/null "http://127.0.0.1:$management/q/health/ready" 2>/dev/null; do
    kill -0 "$pid" 2>/dev/null || die "the server exited during the training start"
    [ "$SECONDS" -lt "$deadline" ] || die "the server was not ready within ${timeout}s"
    sleep 0.5
done
log "ready; $rounds rounds of requests"
for round in $(seq 1 "$rounds"); do
    # Metadata, keys, the API description, the no-op endpoint and a request without a key.
    for path in /.well-known/oauth-authorization-server /.well-known/openid-configuration /.well-known/jwks.json \
        /openapi.json /v1/ping /v1/me; do
        curl -s -m 5 -o /dev/null "$base$path" || true
    done
    # The token and introspection endpoints' refusals, a few times only (an unknown client, no client).
    if [ "$round" -le 3 ]; then
        curl -s -m 5 -o /dev/null -u aot-training:wrong -d grant_type=client_credentials "$base/oauth2/token" || true
        curl -s -m 5 -o /dev/null -d token=unknown "$base/oauth2/introspect" || true
    fi
done
curl -s -m 5 -o /dev/null "http://127.0.0.1:$management/q/metrics" || true

log "stopping; the JVM writes the cache as it exits"
trap - EXIT
kill -TERM "$pid"
wait "$pid" || true
[ -s "$cache" ] || die "no cache was written to $cache"
log "AOT cache: $cache ($(du -h "$cache" | cut -f1)); run with -XX:AOTCache=$cache"
