# Shared by the bench/run-*.sh scripts (sourced, not run).

# The repository root, whatever directory the script was started from.
BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/.." && pwd)"
RESULTS_DIR="$BENCH_DIR/results"
FALLBACK_JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
# Decimal points, not commas, in JMH and wrk output and in awk.
export LC_ALL=C

log() { printf '[bench] %s\n' "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# Major version of the java in JDK home $1 (empty when there is none).
java_major() {
    [ -x "$1/bin/java" ] || return 0
    "$1/bin/java" -version 2>&1 | sed -n -E '1s/.*version "([0-9]+)(\.[0-9]+)*.*".*/\1/p'
}

# Sets and exports JAVA_HOME to a JDK 21+: $JAVA_HOME when it is one, else the Temurin 25 JDK.
# (The Maven wrapper builds with JAVA_HOME; the server and JMH run with $JAVA.)
pick_java() {
    local major
    if [ -n "${JAVA_HOME:-}" ]; then
        major="$(java_major "$JAVA_HOME")"
        if [ -n "$major" ] && [ "$major" -ge 21 ] && [ -x "$JAVA_HOME/bin/javac" ]; then
            export JAVA_HOME
            JAVA="$JAVA_HOME/bin/java"
            return
        fi
        log "JAVA_HOME=$JAVA_HOME is not a JDK 21+ (found '${major:-none}'); trying $FALLBACK_JAVA_HOME"
    fi
    major="$(java_major "$FALLBACK_JAVA_HOME")"
    if [ -n "$major" ] && [ "$major" -ge 21 ]; then
        export JAVA_HOME="$FALLBACK_JAVA_HOME"
        JAVA="$JAVA_HOME/bin/java"
        return
    fi
    die "no JDK 21+ found: set JAVA_HOME to one"
}

# Maven, quiet and non-interactive, through the project's wrapper.
mvnw() { (cd "$REPO_ROOT" && ./mvnw -q -B "$@"); }

# Installs Debian packages with apt-get (sudo -n when not root), updating the package lists only when a
# first attempt fails. Bounded: 5 minutes for the lists, 10 for the install.
apt_install() {
    local sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo -n)
    log "installing $* with apt-get"
    if ! DEBIAN_FRONTEND=noninteractive timeout 300 "${sudo[@]}" apt-get install -y -q "$@" >/dev/null 2>&1; then
        timeout 300 "${sudo[@]}" apt-get update -q >/dev/null
        DEBIAN_FRONTEND=noninteractive timeout 600 "${sudo[@]}" apt-get install -y -q "$@" >/dev/null
    fi
}

# Stops process $1 (described as $2): TERM, up to 30 s, then KILL. Nothing when it is not running.
stop_pid() {
    local pid="$1"
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 60); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    kill -0 "$pid" 2>/dev/null && { log "$2 still running: killing it"; kill -KILL "$pid"; }
    wait "$pid" 2>/dev/null || true
}
