#!/usr/bin/env bash
# The OAuth flow in a real browser (headless Chromium): a third-party client through the consent page,
# and the first-party dashboard without one. Not part of .ci/run: it installs Debian's chromium and
# npm's playwright-core when they are missing. Usage: bash e2e/browser/run.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$root/bench/common.sh"
pick_java   # a JDK 21+ for the Maven wrapper

if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if [ ! -d "$here/node_modules/playwright-core" ]; then
  (cd "$here" && npm install --no-save --silent playwright-core@1 >/dev/null)
fi

log=$(mktemp)
# Its own process group (setsid), so stopping it stops Maven and the forked dev JVM, and nothing else.
(cd "$root" && exec setsid ./mvnw -B -q quarkus:dev -Plocal -Dquarkus.console.enabled=false >"$log" 2>&1) &
server=$!
trap 'kill -- -"$server" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 120); do
  curl -fs -o /dev/null http://localhost:8090/q/health/ready && break
  sleep 2
done
curl -fs -o /dev/null http://localhost:8090/q/health/ready || { echo "Gatehouse did not start; see $log" >&2; exit 1; }

cd "$here"
echo "== third-party client (consent page)"
node oauth-flow.mjs demo-app http://127.0.0.1:53999/callback demo-app-secret-change-me
echo "== first-party dashboard (no consent page)"
node oauth-flow.mjs gatehouse-dashboard http://localhost:3000/callback
