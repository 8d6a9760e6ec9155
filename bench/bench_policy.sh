#!/usr/bin/env bash
# bench/bench_policy.sh - cost of the bounce policy, as ratios against
# baselines measured in the same run:
#   COPY of ROWS bounce events over ADDRS addresses (and over ROWS: every
#   event a new address) into bounce.events (the
#   whole policy: address normalization, smtp_status parsing, class/reason,
#   the set-based state update) vs the same COPY into a plain table with the
#   same columns (status as text) and the same primary key;
#   bounce.is_suppressed() vs a primary-key lookup on a plain table, with
#   pgbench (one statement per transaction) and with an in-server loop.
# Each measurement runs REPS times; medians are compared.
# Usage (root, fresh Debian 12 fine): bench/bench_policy.sh [rows] [addrs] [reps]
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
    ROWS=${1:-200000}
    ADDRS=${2:-50000}
    REPS=${3:-5}
    test/setup
    # the install is shared by every checkout on this machine: keep it ours
    # (under the same lock as test/run) until the run is over
    exec flock /tmp/bounce-install.lock bash -c \
        'make -s install >/dev/null && test/virtualenv 15 bench/bench_policy.sh --inside "$@"' \
        _ "$ROWS" "$ADDRS" "$REPS"
fi

# --- inside the throwaway cluster ---
ROWS=$2
ADDRS=$3
REPS=$4
# the usual shape of one campaign's bounces, every event a new address,
# in a database of its own (first, so the other one is left for pgbench)
echo "== every event a new address ($ROWS over $ROWS)"
createdb bench_new
psql -X -q -d bench_new -v ON_ERROR_STOP=1 -v rows="$ROWS" -v addrs="$ROWS" -v reps="$REPS" \
     -v lookups=0 -f bench/bench_policy.sql
dropdb bench_new
echo
echo "== repeating addresses ($ROWS over $ADDRS)"
psql -X -q -v ON_ERROR_STOP=1 -v rows="$ROWS" -v addrs="$ADDRS" -v reps="$REPS" \
     -v lookups=1 -f bench/bench_policy.sql

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/is_suppressed.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT bounce.is_suppressed('user' || :n || '@example.com');
SQL
cat >"$tmp/pk_lookup.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT state = 'suppressed' FROM plain_addresses WHERE address = 'user' || :n || '@example.com';
SQL
# the second probe: an address with no row, while bounce.forgotten holds
# erased addresses (1000 forgotten here), against a lookup that misses
psql -X -q -c "SELECT count(bounce.forget(address)) FROM (SELECT address FROM bounce.addresses
               WHERE state = 'suppressed' ORDER BY address LIMIT 1000) a" >/dev/null
psql -X -q -c "VACUUM ANALYZE bounce.addresses, bounce.forgotten" >/dev/null
cat >"$tmp/is_suppressed_absent.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT bounce.is_suppressed('nobody' || :n || '@example.com');
SQL
cat >"$tmp/pk_lookup_absent.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT state = 'suppressed' FROM plain_addresses WHERE address = 'nobody' || :n || '@example.com';
SQL
# REPS rounds, each running every script one after the other (so a burst of
# load from elsewhere hits every side), then the median tps of each
for _ in $(seq 1 "$REPS"); do
    for script in is_suppressed pk_lookup is_suppressed_absent pk_lookup_absent; do
        pgbench -n -T 4 -c 1 -M prepared -f "$tmp/$script.sql" 2>/dev/null |
            sed -n 's/^tps = \([0-9.]*\).*/\1/p' >>"$tmp/$script.tps"
    done
done
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
f=$(median "$tmp/is_suppressed.tps")
p=$(median "$tmp/pk_lookup.tps")
awk -v f="$f" -v p="$p" -v reps="$REPS" 'BEGIN {
    printf "is_suppressed() with pgbench (median of %d runs of 4 s, 1 client, prepared):\n", reps;
    printf "  bounce.is_suppressed(): %.0f tps; primary-key lookup: %.0f tps; cost ratio %.2f (target <= 1.5)\n", f, p, p / f }'
f=$(median "$tmp/is_suppressed_absent.tps")
p=$(median "$tmp/pk_lookup_absent.tps")
awk -v f="$f" -v p="$p" 'BEGIN {
    printf "  addresses with no row (the second probe, bounce.forgotten not empty): %.0f tps; primary-key miss: %.0f tps; cost ratio %.2f (target <= 1.5)\n", f, p, p / f }'
