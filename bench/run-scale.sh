#!/usr/bin/env bash
# Scale with stored keys (issue 11): verify (GET /v1/me with an API key) and introspection of an API key
# (POST /oauth2/introspect) with 1,000 keys stored, then with 1,000,000, on one server in one run. Target: with
# 1,000,000 keys stored, both keep at least 90% of their requests per second with 1,000. Also: database
# lookups and Redis commands per request during every measured run (read from /q/metrics), a run proving that
# a cached verify makes neither, and the heap that cached keys take. See bench/README.md.
#
# Server A (default settings) runs the phases small (1,000 stored), large (1,000,000 stored) and wide (as many
# stored, 100,000 keys presented). Then, beside it, server B (cache TTL 1 h) runs the proof and the memory
# figure and stops; the large batch is deleted and A measures the small store again. The ratio is the large
# phase against the mean of both small phases, so drift during the run (JIT, other work) moves both sides.
#
#   BENCH_QUICK=1 bash bench/run-scale.sh   # smoke run: 100,000 keys at most, 3 s runs
#   bash bench/run-scale.sh                 # full run: 1,000 then 1,000,000 keys, 2 rounds of 20 s per endpoint
#
# The keys are written straight into PostgreSQL (bench/seed-keys.sh: COPY, no HTTP call per key). The load
# (wrk) presents BENCH_SAMPLE keys in turn, the same number in both phases, so only the stored count differs.
#
# Environment (defaults in brackets):
#   BENCH_STORED_SMALL [1000]    keys stored in the first phase
#   BENCH_STORED_LARGE [1000000] keys stored in the second phase (quick: 100000)
#   BENCH_SAMPLE [1000]          keys presented under load in both phases (at most BENCH_STORED_SMALL)
#   BENCH_WIDE_SAMPLE [100000]   keys presented in an extra run with the large store, and cached for the
#                                memory figure (quick: 10000; 0: neither)
#   BENCH_PROOF_TTL [1h]         gatehouse.token-cache.ttl of the proof run, longer than the run (see below)
#   BENCH_MIN_RATIO [0.90]       the pass mark for rps(large) / rps(small), per endpoint
#   BENCH_REDIS [on]             a redis-server of this script's own as the shared hot state (bench/redis.sh)
#   BENCH_RATE_LIMITS [off], BENCH_CREDITS [off]   metering (bench/load.sh); off: the verify alone
#   BENCH_DURATION [20s], BENCH_WARMUP [10s], BENCH_ROUNDS [2], BENCH_THREADS [2], BENCH_CONNECTIONS [32]
#   BENCH_DB [system]            system only: the script writes into the database itself
#   BENCH_SKIP_BUILD, BENCH_PORT, BENCH_JVM_OPTS, BENCH_START_TIMEOUT, BENCH_SERVER_ENV: see bench/server.sh
#
# Writes bench/results/scale.txt. The key plaintexts (a sample of them: the rest are never kept) and the
# session cookie live in a private temporary directory that is deleted at the end; they reach neither the
# results nor a command line. Exits 0 when both ratios meet the mark, 3 when one does not, 4 when requests
# failed (or an introspection answered inactive), anything else on failure.
set -euo pipefail

export BENCH_DB="${BENCH_DB:-system}"
export BENCH_REDIS="${BENCH_REDIS:-on}"
export BENCH_RATE_LIMITS="${BENCH_RATE_LIMITS:-off}"
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$BENCH_DIR/server.sh"
source "$BENCH_DIR/redis.sh"
source "$BENCH_DIR/load.sh"
pick_java
load_settings
[ "$DB_MODE" = system ] || die "run-scale.sh writes keys into the database itself: BENCH_DB=system only"

if [ "${BENCH_QUICK:-0}" = 1 ]; then
    STORED_LARGE="${BENCH_STORED_LARGE:-100000}"
    WIDE="${BENCH_WIDE_SAMPLE:-10000}"
else
    STORED_LARGE="${BENCH_STORED_LARGE:-1000000}"
    WIDE="${BENCH_WIDE_SAMPLE:-100000}"
fi
STORED_SMALL="${BENCH_STORED_SMALL:-1000}"
SAMPLE="${BENCH_SAMPLE:-1000}"
PROOF_TTL="${BENCH_PROOF_TTL:-1h}"
MIN_RATIO="${BENCH_MIN_RATIO:-0.90}"
for n in "$STORED_SMALL" "$STORED_LARGE" "$SAMPLE"; do
    [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_STORED_SMALL, BENCH_STORED_LARGE and BENCH_SAMPLE are positive whole numbers, not '$n'"
done
[[ "$WIDE" =~ ^[0-9]+$ ]] || die "BENCH_WIDE_SAMPLE is a whole number, not '$WIDE'"
[ "$SAMPLE" -le "$STORED_SMALL" ] || die "BENCH_SAMPLE ($SAMPLE) cannot exceed BENCH_STORED_SMALL ($STORED_SMALL)"
[ "$STORED_LARGE" -gt "$STORED_SMALL" ] || die "BENCH_STORED_LARGE must exceed BENCH_STORED_SMALL"
[ "$WIDE" -le $((STORED_LARGE - STORED_SMALL)) ] || die "BENCH_WIDE_SAMPLE cannot exceed the keys added in the second phase"
[[ "$PROOF_TTL" =~ ^[0-9]+[smhd]$ ]] || die "BENCH_PROOF_TTL is a duration like 1h, not '$PROOF_TTL'"
RESULTS="$RESULTS_DIR/scale.txt"
LUA="$BENCH_DIR/scale/keys.lua"
STARTED_AT=$SECONDS

server_setup scale
require_wrk
[ "$REDIS_MODE" = on ] && require_redis
command -v psql >/dev/null 2>&1 || die "psql is required"
JCMD="$JAVA_HOME/bin/jcmd"
[ -x "$JCMD" ] || die "jcmd is required (a JDK, not a JRE)"
CLK_TCK="$(getconf CLK_TCK)"
LOAD_AT_START="$(cut -d' ' -f1-3 /proc/loadavg)"
OTHERS_AT_START="$(ps -eo pcpu=,comm= --sort=-pcpu | head -5 | awk '{ printf "%s%s %s%%", (NR > 1 ? ", " : ""), $2, $1 }')"

# --- Build and start the server (bench/server.sh), with Redis first ---------------------------------
build_server
metering_env
# demo-app: the confidential client that introspects (client_secret_basic, the demo's published secret).
# One key-encryption key for both servers (B opens the signing keys A sealed in the shared database);
# like bench/server.sh's own, it lives only in this script's memory and the server's environment.
# A longer wait for a new PostgreSQL connection than the default 700 ms: on a busy machine the first one, at
# start-up, can take longer (Flyway then fails the start). No measured run waits for the pool.
SERVER_ENV=(GATEHOUSE_DEMO_ENABLED=true "${METERING_ENV[@]}" QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=10s
    "GATEHOUSE_KEYS_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 -w0)")
start_server "${SERVER_ENV[@]}"
export PGHOST="$HOST" PGPORT="$PG_PORT" PGUSER=gatehouse PGDATABASE=postgres
psql_at() { psql -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }

# --- One person, one key minted over HTTP (the reference row), the client's credential --------------
mint_bench_key
KEY_ID="$(sed -n -E 's/.*"id" *: *"([0-9a-f-]{36})".*/\1/p' "$WORK/mint.out")"
[ -n "$KEY_ID" ] || die "the answer to POST /settings/api-keys has no id"
ACCOUNT="$(psql_at "select account_id from token where id = '$KEY_ID'")"
[ -n "$ACCOUNT" ] || die "the minted key $KEY_ID is not in the token table"
printf 'Basic %s\n' "$(printf 'demo-app:demo-app-secret-change-me' | base64 -w0)" >"$WORK/client.auth"

# seed COUNT SAMPLE SAMPLE_FILE LABEL: bench/seed-keys.sh, its timing kept for the results
SEED_LOG=()
seed() {
    local count="$1" sample="$2" file="$3" label="$4" line
    bash "$BENCH_DIR/seed-keys.sh" --account="$ACCOUNT" --count="$count" --sample="$sample" --sample-file="$file" \
        --label="$label" 2>"$WORK/seed.log" || { cat "$WORK/seed.log" >&2; die "seeding failed"; }
    line="$(grep -E '^\[bench\] seeded' "$WORK/seed.log" | sed 's/^\[bench\] //')"
    log "$line"
    SEED_LOG+=("$line")
}

# Checks a seeded key as the server sees it: /v1/me 200 with its scope, introspection active, and the same key
# with one character changed refused (401) without a lookup (the checksum fails).
check_seeded_key() {
    local key status
    key="$(head -1 "$1")"
    printf 'Authorization: Bearer %s\n' "$key" >"$WORK/probe.header"
    status="$(curl -sS -m 10 -o "$WORK/probe.out" -w '%{http_code}' -H @"$WORK/probe.header" "$BASE/v1/me")"
    [ "$status" = 200 ] || die "GET /v1/me with a seeded key answered $status, not 200: the seeded row does not match what the server computes"
    grep -q '"profile:read"' "$WORK/probe.out" || die "GET /v1/me with a seeded key did not show its scope"
    printf 'token=%s' "$key" >"$WORK/probe.form"
    status="$(curl -sS -m 10 -o "$WORK/probe.out" -w '%{http_code}' -H @<(printf 'Authorization: %s\n' "$(cat "$WORK/client.auth")") \
        -H 'Content-Type: application/x-www-form-urlencoded' --data-binary @"$WORK/probe.form" "$BASE/oauth2/introspect")"
    [ "$status" = 200 ] && grep -q '"active":true' "$WORK/probe.out" || die "introspection of a seeded key answered $status, not active"
    local last="${key: -1}" other=A
    [ "$last" = A ] && other=B
    printf 'Authorization: Bearer %s%s\n' "${key%?}" "$other" >"$WORK/probe.header"
    status="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H @"$WORK/probe.header" "$BASE/v1/me")"
    [ "$status" = 401 ] || die "GET /v1/me with a mistyped seeded key answered $status, not 401"
    rm -f "$WORK/probe.header" "$WORK/probe.form" "$WORK/probe.out"
}

# The seeded rows look like the minted one: same kind, scopes, environment, metadata, allowlist, expiry,
# lengths of display prefix, preview and hash (label and times differ by design).
ROW_SHAPE="kind, scopes, environment, metadata, ip_allowlist, expires_at is null, revoked_at is null, usage_count,
    char_length(display_prefix), char_length(preview), octet_length(secret_hash), client_id is null, replaces is null"
check_row_shape() {
    local minted seeded
    minted="$(psql_at "select $ROW_SHAPE from token where id = '$KEY_ID'")"
    seeded="$(psql_at "select $ROW_SHAPE from token where account_id = '$ACCOUNT' and label like 'scale %' limit 1")"
    [ "$minted" = "$seeded" ] || die "a seeded row differs from a minted one: minted '$minted', seeded '$seeded'"
    ROW_SHAPE_CHECK="seeded rows have the minted key's shape: $minted"
}

# --- Metrics around every measured run --------------------------------------------------------------
# One line per counter: the server's (/q/metrics: database lookups, Redis commands sent), Redis's own
# (INFO commandstats), CPU ticks (the machine, the server, our PostgreSQL, our Redis), and with "pg" PostgreSQL's
# own counts (transactions; scans of the secret-hash index) after waiting out its 10 s statistics delay.
our_pg_pids() {
    local postmaster
    postmaster="$(head -1 "$PG_DIR/data/postmaster.pid" 2>/dev/null || true)"
    [ -n "$postmaster" ] || return 0
    echo "$postmaster"
    ps -o pid= --ppid "$postmaster" 2>/dev/null || true
}
ticks_of() { # utime + stime of the given pids (gone ones count 0)
    local pid total=0 t
    for pid in "$@"; do
        t="$(sed -E 's/^.*\) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || true)"
        total=$((total + ${t:-0}))
    done
    echo "$total"
}
snapshot() {
    local file="$1" with_pg="${2:-}"
    if [ "$with_pg" = pg ]; then sleep 11; fi
    {
        curl -sS -m 10 "$MANAGEMENT/q/metrics" | awk '
            /^gatehouse_token_lookups_total\{source="database"\} / { print "lookups", $NF }
            /^gatehouse_redis_commands_total\{/ { match($0, /command="[^"]*"/); c = substr($0, RSTART + 9, RLENGTH - 10)
                gsub(" ", "_", c); print "sent_" c, $NF }'
        if [ "$REDIS_MODE" = on ]; then
            redis_commandstats "$WORK/snapshot.redis"
            sed 's/^/redis_/' "$WORK/snapshot.redis"
        fi
        awk '/^cpu / { print "cpu_machine", $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
        echo "cpu_server $(ticks_of "$SERVER_PID")"
        # shellcheck disable=SC2046 # a list of pids
        echo "cpu_postgres $(ticks_of $(our_pg_pids))"
        echo "cpu_redis $(ticks_of ${REDIS_PID:-})"
        if [ "$with_pg" = pg ]; then
            psql_at "select 'pg_transactions', xact_commit + xact_rollback from pg_stat_database where datname = current_database()
                union all select 'pg_hash_index_scans', idx_scan from pg_stat_user_indexes where indexrelname = 'token_secret_hash_key'" | tr '|' ' '
        fi
    } >"$file"
}
# delta NAME KEY: the change of one counter over run NAME (0 when absent)
delta() {
    awk -v k="$2" 'FNR == NR { if ($1 == k) b = $2; next } $1 == k { a = $2 } END { printf "%d", a - b }' \
        "$WORK/$1.before" "$WORK/$1.after"
}
# deltas NAME PREFIX: "name count" for every counter starting with PREFIX that changed over run NAME
deltas() {
    awk -v p="$2" 'FNR == NR { b[$1] = $2; next } index($1, p) == 1 && $2 - b[$1] > 0 { printf "%s %d\n", substr($1, length(p) + 1), $2 - b[$1] }' \
        "$WORK/$1.before" "$WORK/$1.after"
}

# run_keys NAME MODE KEYS DURATION [pg]: one measured wrk run presenting the keys of file KEYS in turn
RUNS=()
run_keys() {
    local name="$1" mode="$2" keys="$3" duration="$4" with_pg="${5:-}" extra=()
    [ "$mode" = introspect ] && extra=("$WORK/client.auth")
    log "$name: $mode over $(wc -l <"$keys") keys for $duration"
    snapshot "$WORK/$name.before" "$with_pg"
    local TIMEFORMAT='%U %S'
    { time timeout $(($(seconds "$duration") + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s --latency \
        -s "$LUA" "$BASE" -- "$mode" "$keys" "${extra[@]}" >"$WORK/$name.wrk" 2>&1; } 2>"$WORK/$name.wrk-cpu" \
        || { cat "$WORK/$name.wrk" >&2; die "wrk failed on $mode"; }
    snapshot "$WORK/$name.after" "$with_pg"
    # wrk's own CPU time, in ticks like the others
    awk -v hz="$CLK_TCK" '{ printf "cpu_wrk %d\n", ($1 + $2) * hz }' "$WORK/$name.wrk-cpu" >>"$WORK/$name.after"
    echo "cpu_wrk 0" >>"$WORK/$name.before"
    RUNS+=("$name")
}
# A warm-up: the same, not recorded
warm_up() {
    local mode="$1" keys="$2" duration="$3" extra=()
    [ "$mode" = introspect ] && extra=("$WORK/client.auth")
    log "warm-up: $mode over $(wc -l <"$keys") keys for $duration"
    timeout $(($(seconds "$duration") + 60)) wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout 10s \
        -s "$LUA" "$BASE" -- "$mode" "$keys" "${extra[@]}" >"$WORK/warmup.wrk" 2>&1 \
        || { cat "$WORK/warmup.wrk" >&2; die "wrk failed on the $mode warm-up"; }
    [ "$(wrk_errors "$WORK/warmup.wrk")" = 0 ] || { cat "$WORK/warmup.wrk" >&2; die "the $mode warm-up had failed requests"; }
}
# Presents the keys of a file in turn (GET /v1/me) until each one not cached before has been looked up once
# (the lookups counter has grown by that many; with the proof server's long TTL nothing is read twice), then
# stops wrk (SIGINT: it prints its summary). $2: how many of the keys are cached already.
lookups_now() { curl -sS -m 10 "$MANAGEMENT/q/metrics" | awk '/^gatehouse_token_lookups_total\{source="database"\} / { printf "%d", $NF }'; }
touch_all() {
    local keys="$1" cached="$2" want before pid deadline
    want=$(($(wc -l <"$keys") - cached))
    before="$(lookups_now)"
    log "presenting $(wc -l <"$keys") keys until the $want not cached yet have been looked up"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d600s --timeout 10s -s "$LUA" "$BASE" -- me "$keys" >"$WORK/touch.wrk" 2>&1 &
    pid=$!
    deadline=$((SECONDS + 600))
    while kill -0 "$pid" 2>/dev/null && [ $(($(lookups_now) - before)) -lt "$want" ] && [ "$SECONDS" -lt "$deadline" ]; do
        sleep 0.2
    done
    kill -INT "$pid" 2>/dev/null || true
    wait "$pid" || { cat "$WORK/touch.wrk" >&2; die "wrk failed presenting the keys"; }
    [ $(($(lookups_now) - before)) -ge "$want" ] || die "only $(($(lookups_now) - before)) of $want keys were looked up within 600 s"
    # Only the lookups count here (checked above): an answer other than 200 stops the run, a slow one does not.
    ! grep -q 'Non-2xx' "$WORK/touch.wrk" || { cat "$WORK/touch.wrk" >&2; die "presenting the keys had answers other than 200"; }
    TOUCH_LINE="$(awk '/ requests in / { r = $1; t = $4 } /^Requests\/sec:/ { s = $2 } END { printf "%d requests in %s (%s/s)", r, t, s }' "$WORK/touch.wrk")"
}
inactive_of() { awk '/^inactive answers:/ { print $3 }' "$WORK/$1.wrk"; }

# --- Phase 1: the small store ---------------------------------------------------------------------
SMALL_KEYS="$WORK/keys-small"
seed "$STORED_SMALL" "$SAMPLE" "$SMALL_KEYS" "scale small"
check_row_shape
check_seeded_key "$SMALL_KEYS"
STORED_1="$(psql_at "select count(*) from token where kind = 'api_key'")"
# A longer first warm-up: the JIT is coldest now, and the second phase must not gain from what it compiles.
warm_up me "$SMALL_KEYS" "$(($(seconds "$WARMUP") * 2))s"
warm_up introspect "$SMALL_KEYS" "$(($(seconds "$WARMUP") * 2))s"
for round in $(seq 1 "$ROUNDS"); do
    run_keys "small-r$round-me" me "$SMALL_KEYS" "$DURATION"
    run_keys "small-r$round-introspect" introspect "$SMALL_KEYS" "$DURATION"
done

# --- Phase 2: the large store -----------------------------------------------------------------------
# The keys presented now are new ones, spread over the whole large batch, as many as in phase 1.
WIDE_KEYS="$WORK/keys-wide"
LARGE_KEYS="$WORK/keys-large"
seed "$((STORED_LARGE - STORED_SMALL))" "$((WIDE > SAMPLE ? WIDE : SAMPLE))" "$WIDE_KEYS" "scale large"
awk -v every="$(((WIDE > SAMPLE ? WIDE : SAMPLE) / SAMPLE))" -v most="$SAMPLE" \
    '(NR - 1) % every == 0 && taken < most { print; taken++ }' "$WIDE_KEYS" >"$LARGE_KEYS"
chmod 600 "$LARGE_KEYS"
[ "$(wc -l <"$LARGE_KEYS")" = "$SAMPLE" ] || die "could not take $SAMPLE keys from the large sample"
check_seeded_key "$LARGE_KEYS"
STORED_2="$(psql_at "select count(*) from token where kind = 'api_key'")"
TABLE_SIZE="$(psql_at "select pg_size_pretty(pg_table_size('token')) || ' table, ' || pg_size_pretty(pg_indexes_size('token')) || ' indexes'")"
warm_up me "$LARGE_KEYS" "$WARMUP"
warm_up introspect "$LARGE_KEYS" "$WARMUP"
for round in $(seq 1 "$ROUNDS"); do
    run_keys "large-r$round-me" me "$LARGE_KEYS" "$DURATION"
    run_keys "large-r$round-introspect" introspect "$LARGE_KEYS" "$DURATION"
done
# Many keys in use at once: more than the cache TTL lets stay fresh at this request rate.
if [ "$WIDE" -gt 0 ]; then
    warm_up me "$WIDE_KEYS" "$WARMUP"
    run_keys "wide-me" me "$WIDE_KEYS" "$DURATION"
    run_keys "wide-introspect" introspect "$WIDE_KEYS" "$DURATION"
fi

# --- Proof and memory: a second server whose cache TTL outlasts the runs ------------------------------
# With the default TTL (5 s) every cached key is read again once it is 5 s old, so the runs above make a few
# lookups per key and TTL whatever the request rate. With a TTL longer than the run, any lookup at all would be
# a cached verify going to the database. Server A waits meanwhile (idle), for the last phase.
A_PID="$SERVER_PID" A_PORT="$PORT" A_BASE="$BASE" A_MANAGEMENT="$MANAGEMENT"
on_cleanup "stop_pid $A_PID 'server A'"
# Server A keeps writing its log (renamed: same file); B gets a new one.
mv "$WORK/server.log" "$WORK/server-a.log"
MAX_ENTRIES=$((WIDE + 2 * SAMPLE + 10000))
[ "$MAX_ENTRIES" -ge 100000 ] || MAX_ENTRIES=100000
BENCH_PORT="" start_server "${SERVER_ENV[@]}" GATEHOUSE_TOKEN_CACHE_TTL="$PROOF_TTL" GATEHOUSE_TOKEN_CACHE_MAX_ENTRIES="$MAX_ENTRIES"
touch_all "$LARGE_KEYS" 0 # every key of the sample cached before the warm-up
warm_up me "$LARGE_KEYS" "$WARMUP"
warm_up introspect "$LARGE_KEYS" "$WARMUP"
run_keys "proof-me" me "$LARGE_KEYS" "$DURATION" pg
run_keys "proof-introspect" introspect "$LARGE_KEYS" "$DURATION" pg

# heap_after_gc FILE: heap used after two full collections (KiB), and the class histogram
heap_after_gc() {
    # The usage flush (every 2 s; a large batch takes a few seconds) has written and dropped what the load
    # counted: its pending counts are not the cache's.
    sleep 10
    "$JCMD" "$SERVER_PID" GC.run >/dev/null
    "$JCMD" "$SERVER_PID" GC.run >/dev/null
    "$JCMD" "$SERVER_PID" GC.heap_info >"$1.heap"
    "$JCMD" "$SERVER_PID" GC.class_histogram >"$1.histogram"
    sed -n -E 's/.* used ([0-9]+)K.*/\1/p' "$1.heap" | head -1
}
histogram_count() { awk -v c="$2" '$4 == c { print $2; found = 1 } END { if (!found) print 0 }' "$1.histogram"; }
MEMORY_KEYS=0
if [ "$WIDE" -gt 0 ]; then
    HEAP_BEFORE="$(heap_after_gc "$WORK/memory-before")"
    ENTRIES_BEFORE="$(histogram_count "$WORK/memory-before" 'dev.gatehouse.token.TokenCache$Entry')"
    # The proof runs cached the large sample, which is part of the wide one.
    touch_all "$WIDE_KEYS" "$(grep -c -x -F -f "$LARGE_KEYS" "$WIDE_KEYS")"
    HEAP_AFTER="$(heap_after_gc "$WORK/memory-after")"
    ENTRIES_AFTER="$(histogram_count "$WORK/memory-after" 'dev.gatehouse.token.TokenCache$Entry')"
    MEMORY_KEYS=$((ENTRIES_AFTER - ENTRIES_BEFORE))
    # The histogram's own total (live objects after its full collection), as a second reading.
    LIVE_BEFORE="$(awk '/^Total / { print $3 }' "$WORK/memory-before.histogram")"
    LIVE_AFTER="$(awk '/^Total / { print $3 }' "$WORK/memory-after.histogram")"
    [ "$MEMORY_KEYS" -gt 0 ] || die "the cache holds no more entries after presenting $WIDE keys"
    HEAP_LINE="$(grep -m1 -E 'heap' "$WORK/memory-after.heap" | sed -E 's/^ +//; s/ *\[.*//')"
    RSS_AFTER="$(awk '/^VmRSS:/ { printf "%d MiB", $2 / 1024 }' "/proc/$SERVER_PID/status")"
    # Where the bytes went: the classes whose instances grew most, by shallow size.
    awk 'FNR == NR && $1 ~ /^[0-9]+:$/ { b[$4] = $3; n[$4] = $2; next }
         $1 ~ /^[0-9]+:$/ { d = $3 - b[$4]; if (d > 0) printf "%d %d %s\n", d, $2 - n[$4], $4 }' \
        "$WORK/memory-before.histogram" "$WORK/memory-after.histogram" | sort -rn | head -12 >"$WORK/memory.classes"
fi
stop_server || true # server B (the JVM exits 143 on SIGTERM)
mv "$WORK/server.log" "$WORK/server-b.log"

# --- Phase 3: the small store again, on server A ---------------------------------------------------
# Back to the first phase's store (the large batch deleted, the table and its indexes rebuilt), measured on
# the same server: the large phase is compared with the mean of the small phases before and after it, so a
# machine or JIT that drifts during the run moves both sides alike.
SERVER_PID="$A_PID" PORT="$A_PORT" BASE="$A_BASE" MANAGEMENT="$A_MANAGEMENT"
log "deleting the large batch, then VACUUM FULL token"
deleting=$SECONDS
psql_at "delete from token where account_id = '$ACCOUNT' and label like 'scale large %'" >/dev/null
deleted=$SECONDS
psql_at "vacuum full token" >/dev/null
psql_at "analyze token" >/dev/null
psql_at "checkpoint" >/dev/null 2>&1 || true
DELETE_LINE="deleted the large batch in $((deleted - deleting)) s, then VACUUM FULL, ANALYZE and CHECKPOINT in $((SECONDS - deleted)) s"
STORED_3="$(psql_at "select count(*) from token where kind = 'api_key'")"
[ "$STORED_3" = "$STORED_1" ] || die "after the deletion $STORED_3 API keys are stored, not $STORED_1"
TABLE_SIZE_3="$(psql_at "select pg_size_pretty(pg_table_size('token')) || ' table, ' || pg_size_pretty(pg_indexes_size('token')) || ' indexes'")"
warm_up me "$SMALL_KEYS" "$WARMUP"
warm_up introspect "$SMALL_KEYS" "$WARMUP"
for round in $(seq 1 "$ROUNDS"); do
    run_keys "again-r$round-me" me "$SMALL_KEYS" "$DURATION"
    run_keys "again-r$round-introspect" introspect "$SMALL_KEYS" "$DURATION"
done
cat "$WORK/server-a.log" "$WORK/server-b.log" >"$WORK/server.log"

LOAD_AT_END="$(cut -d' ' -f1-3 /proc/loadavg)"
ELAPSED=$((SECONDS - STARTED_AT))

# --- Report ---------------------------------------------------------------------------------------
per_request() { awk -v n="$1" -v r="$2" 'BEGIN { printf "%.4f", (r > 0 ? n / r : 0) }'; }
# Background PSETEX: the revocation listener's "PostgreSQL reached" mark, every heartbeat (500 ms), whatever the load.
run_line() {
    local name="$1" f="$WORK/$1.wrk" requests lookups sent psetex redis_all cpu_line
    requests="$(wrk_requests "$f")"
    lookups="$(delta "$name" lookups)"
    sent="$(deltas "$name" sent_ | awk '{ s += $2 } END { print s + 0 }')"
    psetex="$(delta "$name" sent_psetex)"
    redis_all="$(deltas "$name" redis_ | awk '{ s += $2 } END { print s + 0 }')"
    cpu_line="$(awk -v hz="$CLK_TCK" 'FNR == NR { b[$1] = $2; next } { a[$1] = $2 }
        END { m = a["cpu_machine"] - b["cpu_machine"]; o = m - (a["cpu_server"] - b["cpu_server"]) - (a["cpu_postgres"] - b["cpu_postgres"]) \
              - (a["cpu_redis"] - b["cpu_redis"]) - a["cpu_wrk"]; if (o < 0) o = 0
              if (m <= 0) m = 1
              printf "%5.0f%% %5.0f%% %5.0f%%", 100 * (a["cpu_server"] - b["cpu_server"]) / m,
                100 * (a["cpu_postgres"] - b["cpu_postgres"]) / m, 100 * o / m }' \
        "$WORK/$name.before" "$WORK/$name.after")"
    printf '%-24s %10s %8s %8s %6s %8s %9s %8s %10s %s\n' "$name" "$(wrk_rps "$f")" "$(wrk_pct "$f" 50%)" "$(wrk_pct "$f" 99%)" \
        "$(wrk_errors "$f")" "$(inactive_of "$name")" "$(per_request "$lookups" "$requests")" \
        "$(per_request "$((sent - psetex))" "$requests")" "$(per_request "$redis_all" "$requests")" "$cpu_line"
}
mean_rps() { # mean requests/s of the runs named PHASE-r*-MODE
    local phase="$1" mode="$2" round all=""
    for round in $(seq 1 "$ROUNDS"); do all="$all $(wrk_rps "$WORK/$phase-r$round-$mode.wrk")"; done
    echo "$all" | awk '{ for (i = 1; i <= NF; i++) s += $i; printf "%.1f", s / NF }'
}
bad=0
for name in "${RUNS[@]}"; do
    [ "$(wrk_errors "$WORK/$name.wrk")" = 0 ] || bad=1
    [ "$(inactive_of "$name")" = 0 ] || bad=1
done

mkdir -p "$RESULTS_DIR"
{
    echo "# Gatehouse scale with stored keys: GET /v1/me and POST /oauth2/introspect (API keys), $STORED_SMALL vs $STORED_LARGE keys stored"
    echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown) (application: $(git -C "$REPO_ROOT" log -1 --format=%h -- src pom.xml 2>/dev/null || echo unknown)$(git -C "$REPO_ROOT" diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ', with local changes')), $(nproc) cores, quick=${BENCH_QUICK:-0}, whole run $((ELAPSED / 60)) min $((ELAPSED % 60)) s"
    echo "# java: $("$JAVA" -version 2>&1 | head -1); database: system PostgreSQL $(psql_at 'show server_version'); server: prod jar, ${BENCH_JVM_OPTS:-default JVM options}"
    echo "# metering: $METERING; quarkus.datasource.jdbc.acquisition-timeout=10s (start-up on a busy machine)"
    echo "# settings: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, keys presented in turn (bench/scale/keys.lua); $ROUNDS rounds of (me, introspect) per phase; warm-up $WARMUP per endpoint and phase (twice that in phase 1); introspection by demo-app (client_secret_basic)"
    echo "# machine: load average $LOAD_AT_START at the start, $LOAD_AT_END at the end; busiest processes at the start: $OTHERS_AT_START"
    echo "# server logs (A, then B), WARN/ERROR lines by logger: $(log_problems "$WORK/server.log")"
    log_problem_samples "$WORK/server.log"
    echo "#"
    echo "# seeding (bench/seed-keys.sh: bench/seed/SeedKeys.java | psql \\copy, then VACUUM (ANALYZE) token and CHECKPOINT):"
    for line in "${SEED_LOG[@]}"; do echo "#   $line"; done
    echo "#   $ROW_SHAPE_CHECK"
    echo "#   $DELETE_LINE"
    echo "# server A (default settings): phase small: $STORED_1 API keys stored, $SAMPLE presented; phase large: $STORED_2 stored ($TABLE_SIZE),"
    echo "#   another $SAMPLE presented (spread over the new keys); wide: $WIDE of those presented; phase again: the large batch deleted, $STORED_3 stored"
    echo "#   ($TABLE_SIZE_3), phase small's keys presented"
    echo "# server B (started beside A while it waited, $STORED_2 stored): gatehouse.token-cache.ttl=$PROOF_TTL, max-entries=$MAX_ENTRIES: the proof runs and the memory figure"
    echo
    for name in "${RUNS[@]}"; do
        echo "=== $name ==="
        cat "$WORK/$name.wrk"
        echo "database lookups (gatehouse_token_lookups_total{source=database}): $(delta "$name" lookups)"
        echo "Redis commands sent (gatehouse_redis_commands_total): $(deltas "$name" sent_ | tr '\n' ' ')"
        [ "$REDIS_MODE" = on ] && echo "Redis commands executed (INFO commandstats): $(deltas "$name" redis_ | tr '\n' ' ')"
        if grep -q '^pg_' "$WORK/$name.after"; then
            echo "PostgreSQL (pg_stat_*, 11 s after the run): transactions $(delta "$name" pg_transactions), scans of token_secret_hash_key $(delta "$name" pg_hash_index_scans)"
        fi
        echo
    done
} >"$RESULTS"

SUMMARY="$WORK/summary.txt"
{
    echo "=== summary ==="
    echo "lookups/req: database lookups per request (gatehouse_token_lookups_total{source=database}); redis/req: commands Gatehouse"
    echo "sent (gatehouse_redis_commands_total) per request, the background PSETEX (2 a second) left out; executed/req: all commands"
    echo "Redis ran, background and scripts' own included (and, in the proof runs, idle server A's PSETEX). CPU: share of the machine's busy time taken by the server,"
    echo "our PostgreSQL, and other processes (not wrk, not ours): a high 'other' means a noisy run."
    printf '%-24s %10s %8s %8s %6s %8s %9s %8s %10s %6s %6s %6s\n' run "requests/s" p50 p99 errors inactive "lookups/req" "redis/req" "executed/req" server pg other
    for name in "${RUNS[@]}"; do run_line "$name"; done
    echo
    verdict=PASS
    echo "ratio: the large phase's mean requests/s over the mean of both small phases (before and after it, same server)"
    for mode in me introspect; do
        small="$(mean_rps small "$mode")"
        large="$(mean_rps large "$mode")"
        again="$(mean_rps again "$mode")"
        ratio="$(awk -v l="$large" -v s="$small" -v a="$again" 'BEGIN { printf "%.3f", l / ((s + a) / 2) }')"
        awk -v r="$ratio" -v m="$MIN_RATIO" 'BEGIN { exit !(r + 0 >= m + 0) }' || verdict=FAIL
        echo "$mode: mean requests/s with $STORED_1 keys stored $small, with $STORED_2 $large, with $STORED_3 again $again;" \
            "ratio $ratio (large/small before $(awk -v l="$large" -v s="$small" 'BEGIN { printf "%.3f", l / s }')," \
            "large/small after $(awk -v l="$large" -v a="$again" 'BEGIN { printf "%.3f", l / a }'); pass mark $MIN_RATIO)"
    done
    if [ "$WIDE" -gt 0 ]; then
        echo "$WIDE keys presented in turn ($STORED_2 stored): me $(wrk_rps "$WORK/wide-me.wrk") requests/s ($(awk -v w="$(wrk_rps "$WORK/wide-me.wrk")" -v l="$(mean_rps large me)" 'BEGIN { printf "%.3f", w / l }') of $SAMPLE keys), introspect $(wrk_rps "$WORK/wide-introspect.wrk") ($(awk -v w="$(wrk_rps "$WORK/wide-introspect.wrk")" -v l="$(mean_rps large introspect)" 'BEGIN { printf "%.3f", w / l }'))"
    fi
    lookups_default="$(for name in "${RUNS[@]}"; do case "$name" in small-* | large-* | again-*) delta "$name" lookups; echo;; esac; done | awk '{ s += $1 } END { print s + 0 }')"
    echo "database lookups in the $((ROUNDS * 6)) runs of $SAMPLE keys with the default cache TTL (5 s): $lookups_default, i.e. re-reads of cached"
    echo "  keys at their TTL (about $SAMPLE keys x $(seconds "$DURATION") s / 5 s = $((SAMPLE * $(seconds "$DURATION") / 5)) per run, whatever the request rate)"
    proof_lookups=$(( $(delta proof-me lookups) + $(delta proof-introspect lookups) ))
    proof_sent=$(( $(deltas proof-me sent_ | awk '{ s += $2 } END { print s + 0 }') - $(delta proof-me sent_psetex) \
        + $(deltas proof-introspect sent_ | awk '{ s += $2 } END { print s + 0 }') - $(delta proof-introspect sent_psetex) ))
    proof_requests=$(( $(wrk_requests "$WORK/proof-me.wrk") + $(wrk_requests "$WORK/proof-introspect.wrk") ))
    proof_scans=$(( $(delta proof-me pg_hash_index_scans) + $(delta proof-introspect pg_hash_index_scans) ))
    proof_xacts=$(( $(delta proof-me pg_transactions) + $(delta proof-introspect pg_transactions) ))
    echo "cached verify (proof runs, cache TTL $PROOF_TTL, $proof_requests requests): database lookups $proof_lookups,"
    echo "  Redis commands sent other than the background PSETEX $proof_sent; PostgreSQL: $proof_scans scans of the secret-hash index,"
    echo "  $proof_xacts transactions in all (background: heartbeats, usage flushes) = $(per_request "$proof_xacts" "$proof_requests") per request"
    if [ "$proof_lookups" = 0 ] && [ "$proof_sent" = 0 ] && [ "$proof_scans" = 0 ]; then
        echo "  => a cached verify or introspection made no database lookup and no Redis call"
    else
        verdict=FAIL
        echo "  => NOT PROVEN: a cached verify reached the database or Redis. (By design a few lookups follow a stall of the"
        echo "     server of a second or more, as on an overloaded machine: its broadcast is untrusted until its next heartbeat"
        echo "     and entries older than 250 ms are read again. See bench/README.md.)"
    fi
    if [ "$MEMORY_KEYS" -gt 0 ]; then
        awk -v b="$HEAP_BEFORE" -v a="$HEAP_AFTER" -v n="$MEMORY_KEYS" -v lb="$LIVE_BEFORE" -v la="$LIVE_AFTER" 'BEGIN {
            per = (a - b) * 1024 / n
            printf "memory: %d more cache entries, heap used after full GC %.1f -> %.1f MiB: %.0f bytes per cached key, %.0f MiB per million\n",
                n, b / 1024, a / 1024, per, per * 1e6 / 1048576
            per = (la - lb) / n
            printf "  (class histogram, live objects: %.1f -> %.1f MiB: %.0f bytes per cached key, %.0f MiB per million)\n",
                lb / 1048576, la / 1048576, per, per * 1e6 / 1048576 }'
        echo "  ($TOUCH_LINE to cache them; $HEAP_LINE; RSS $RSS_AFTER; cache maxEntries $MAX_ENTRIES for this server)"
        echo "  grew most (bytes, instances, class):"
        sed 's/^/    /' "$WORK/memory.classes"
    fi
    if [ "$bad" = 1 ]; then
        verdict=INVALID
        echo "verdict: INVALID: some requests failed or an introspection answered inactive (see above)"
    else
        echo "verdict: $verdict"
    fi
} >"$SUMMARY"
cat "$SUMMARY" >>"$RESULTS"
cat "$SUMMARY"
VERDICT="$verdict"

# Belt and braces: the results must hold neither a key nor the cookie nor the client's credential.
if grep -q -E 'gth_(live|test)_[0-9A-Za-z]{20,}|gatehouse_session|Bearer |Basic [A-Za-z0-9+/=]{8,}' "$RESULTS"; then
    rm -f "$RESULTS"
    die "a credential reached the results file: removed it"
fi
log "results: $RESULTS"
verdict_exit
