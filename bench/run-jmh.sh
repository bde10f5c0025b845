#!/usr/bin/env bash
# JMH benchmark of the in-process API-key verify path (bench/jmh). See bench/README.md.
#
#   bash bench/run-jmh.sh                  # full run: 5 benchmarks x (3x2 s warm-up + 5x2 s), about 1.5-2 min
#   BENCH_QUICK=1 bash bench/run-jmh.sh    # smoke run: 1x1 s warm-up + 1x1 s measurement each
#   bash bench/run-jmh.sh verifyCachedKey  # extra arguments go to JMH (here: a benchmark regex)
#
# Environment: BENCH_QUICK=1 (short run), BENCH_SKIP_BUILD=1 (reuse bench/jmh/target/benchmarks.jar),
# BENCH_TARGET_NS (default 2000: the budget for verifyCachedKey), JAVA_HOME (a JDK 21+; else Temurin 25).
#
# Writes bench/results/jmh.txt (JMH's output and the verdict) and bench/results/jmh.json (-rf json).
# Exits 0 when verifyCachedKey is within budget, 3 when it is over, anything else on failure.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pick_java

TARGET_NS="${BENCH_TARGET_NS:-2000}"
JAR="$BENCH_DIR/jmh/target/benchmarks.jar"
mkdir -p "$RESULTS_DIR"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$JAR" ]; then
    log "compiling Gatehouse (./mvnw compile) with JAVA_HOME=$JAVA_HOME"
    mvnw compile
    log "building $JAR"
    mvnw -f bench/jmh/pom.xml package
fi

jmh_args=(-rf json -rff "$RESULTS_DIR/jmh.json")
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    jmh_args+=(-wi 1 -w 1s -i 1 -r 1s)
    log "quick mode: 1 warm-up and 1 measurement iteration of 1 s per benchmark"
fi

log "running JMH with $("$JAVA" -version 2>&1 | head -1)"
{
    echo "# Gatehouse verify-path JMH run, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD 2>/dev/null || echo ' (with local changes)'), $(nproc) cores, quick=${BENCH_QUICK:-0}"
    echo "# java: $("$JAVA" -version 2>&1 | head -1)"
} >"$RESULTS_DIR/jmh.txt"
# timeout: a full run takes about 2 minutes; nothing should ever take 15.
timeout 900 "$JAVA" -jar "$JAR" "${jmh_args[@]}" "$@" 2>&1 | tee -a "$RESULTS_DIR/jmh.txt"

# The score of verifyCachedKey from JMH's closing table. Columns: name, (param), mode, [cnt], score,
# [± error], units; the score is the field before "±", or before the units when there is no error column.
score="$(awk '$1 ~ /\.verifyCachedKey$/ {
    for (i = 2; i <= NF; i++) {
        if ($i == "±" || $i ~ /\/op$/) { print $(i - 1); exit }
    }
}' "$RESULTS_DIR/jmh.txt")"
if [ -z "$score" ]; then
    log "verifyCachedKey was not run (or its score was not found): no verdict"
    exit 0
fi
verdict="$(awk -v s="$score" -v t="$TARGET_NS" 'BEGIN { print (s + 0 <= t + 0) ? "PASS" : "FAIL" }')"
line="verdict: verifyCachedKey = $score ns/op, budget $TARGET_NS ns/op -> $verdict"
echo "$line" | tee -a "$RESULTS_DIR/jmh.txt"
log "results: $RESULTS_DIR/jmh.txt and $RESULTS_DIR/jmh.json"
[ "$verdict" = PASS ] || exit 3
