#!/usr/bin/env bash
# Seeds API keys for one account straight into Gatehouse's PostgreSQL with COPY: no HTTP call per key.
# bench/seed/SeedKeys.java (JDK classes only, source launcher) makes each key and its token row as the server
# would (checksum, SHA-256 of the full key as secret_hash, display prefix, preview); psql's \copy loads them.
# See bench/README.md ("Scale with stored keys").
#
#   PGHOST=127.0.0.1 PGPORT=5432 PGUSER=gatehouse PGDATABASE=postgres \
#     bash bench/seed-keys.sh --email=someone@example.test --count=1000000 --sample=10000 --sample-file=/tmp/private/keys
#
# Options:
#   --account=UUID | --email=EMAIL   whose keys they are (the account must exist: sign up first)
#   --count=N [1000000]              keys to write
#   --sample=K [0], --sample-file=P  K of the keys' plaintexts, spread evenly, one a line, in a new file P (mode
#                                    600, refused if it exists): for a load test only, never for the repository
#   --label=TEXT [seed]              labels "TEXT 1", "TEXT 2", ... (--label-start=M to number from M)
#   --scopes=a,b [profile:read], --environment=live|test [live], --prefix, --alphabet, --random-length:
#                                    the deployment's key format (defaults: Gatehouse's, gth_live_ base62 32)
#   --no-vacuum                      skip VACUUM (ANALYZE) token and CHECKPOINT afterwards (by default they run,
#                                    so that neither autovacuum nor a checkpoint takes on the new rows in the
#                                    middle of a measurement)
#
# Connection: the usual libpq variables (PGHOST, PGPORT, PGUSER, PGDATABASE, PGPASSWORD or ~/.pgpass). No
# credential goes on a command line. Prints how long generating-and-copying and vacuuming took. The key
# plaintexts exist only in the generator's memory and the sample file.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
pick_java
command -v psql >/dev/null 2>&1 || die "psql is required"

account="" email="" count=1000000 vacuum=1 pass=()
for arg in "$@"; do
    case "$arg" in
        --account=*) account="${arg#*=}" ;;
        --email=*) email="${arg#*=}" ;;
        --count=*) count="${arg#*=}"; pass+=("$arg") ;;
        --no-vacuum) vacuum=0 ;;
        --sample=* | --sample-file=* | --label=* | --label-start=* | --scopes=* | --environment=* | --prefix=* | --alphabet=* | --random-length=*)
            pass+=("$arg") ;;
        *) die "unknown option '$arg' (see the head of $0)" ;;
    esac
done
[[ "$count" =~ ^[1-9][0-9]*$ ]] || die "--count is a positive whole number, not '$count'"

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

if [ -z "$account" ]; then
    [ -n "$email" ] || die "--account=UUID or --email=EMAIL is required"
    [[ "$email" =~ ^[A-Za-z0-9._+@-]+$ ]] || die "unexpected characters in --email"
    account="$(psql_q -At -c "select id from account where email = lower('$email')")"
    [ -n "$account" ] || die "no account with email $email"
fi
[[ "$account" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]] || die "--account is a UUID, not '$account'"

columns="$("$JAVA" "$BENCH_DIR/seed/SeedKeys.java" --columns)"
before="$(psql_q -At -c "select count(*) from token")"
log "seeding $count API keys for account $account ($before token rows before)"
started=$(date +%s.%N)
# One COPY, one transaction: all the keys or none. pipefail: a generator failure fails the copy too.
"$JAVA" -Xmx512m "$BENCH_DIR/seed/SeedKeys.java" --account="$account" "${pass[@]}" \
    | psql_q -c "\\copy token ($columns) from stdin"
copied=$(date +%s.%N)
after="$(psql_q -At -c "select count(*) from token")"
[ "$((after - before))" = "$count" ] || die "expected $count new token rows, found $((after - before))"
if [ "$vacuum" = 1 ]; then
    psql_q -c "vacuum (analyze) token"
    # And write the new pages out now rather than in a checkpoint during the next measurement (superuser or
    # pg_checkpoint only: skipped otherwise).
    psql_q -c "checkpoint" 2>/dev/null || true
fi
done_at=$(date +%s.%N)
awk -v c="$count" -v a="$after" -v s="$started" -v m="$copied" -v e="$done_at" -v v="$vacuum" 'BEGIN {
    printf "[bench] seeded %d keys in %.1f s (%.0f keys/s, generation and COPY)%s; token rows now %d\n",
        c, m - s, c / (m - s), (v ? sprintf(", then VACUUM (ANALYZE) token and CHECKPOINT in %.1f s", e - m) : ""), a }' >&2
