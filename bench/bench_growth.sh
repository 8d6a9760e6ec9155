#!/usr/bin/env bash
# bench/bench_growth.sh - what growth costs: bounce events loaded in steps
# (to 100k, 1M, then by 1M to TOTAL) over ADDRS addresses, 20 campaigns and
# 50 recipient domains, and at each step:
#   - the step's COPY throughput (events/s), and once, at the last step, the
#     same COPY into a plain table with the same primary key (the ratio);
#   - the size of bounce's tables (events, addresses, counters...) per
#     million events;
#   - SELECT * FROM bounce.campaign_stats / domain_stats / soft_to_hard,
#     medians of REPS, and their ratio to the 100k step (counters: the cost
#     follows what they return, not the log);
#   - at the end, is_suppressed() tps against a primary-key lookup on a
#     plain table of the same addresses (pgbench, one client).
# Usage (root, fresh Debian 12 fine):
#   bench/bench_growth.sh [total-events] [addresses] [reps]   (10000000 2000000 5)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${1:-}" != "--inside" ]; then
    TOTAL=${1:-10000000}
    ADDRS=${2:-2000000}
    REPS=${3:-5}
    test/setup
    exec flock /tmp/bounce-install.lock bash -c \
        'make -s install >/dev/null && test/virtualenv 15 bench/bench_growth.sh --inside "$@"' \
        _ "$TOTAL" "$ADDRS" "$REPS"
fi

TOTAL=$2
ADDRS=$3
REPS=$4
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

psql -X -q -v ON_ERROR_STOP=1 <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION bounce;
CREATE TABLE plain_events (id bigserial, address text NOT NULL, campaign text, status text,
                           occurred_at timestamptz NOT NULL, PRIMARY KEY (address, id));
SQL

# events FROM..TO-1, made by the server (no file): event i goes to address
# (i * 7919) mod ADDRS, so every step has new and known addresses; campaign
# i / (TOTAL / 20); domain by address; mostly soft replies, some hard and
# some blocks (sender-side), dated in order within a year
gen() {   # gen FROM TO
    echo "awk 'BEGIN { split(\"452 4.2.2 Mailbox full|421 4.7.0 Try again later|450 4.2.1 Greylisted|550 5.1.1 User unknown|554 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org\", s, \"|\");
      for (i = $1; i < $2; i++) { a = (i * 7919) % $ADDRS; r = i % 11;
        printf \"user%d@d%d.example\\tc%d\\t%s\\t%s\\n\", a, a % 50, int(i / ($TOTAL / 20)),
               s[r < 6 ? 1 + r % 3 : (r < 10 ? 4 : 5)], strftime(\"%Y-%m-%d %H:%M:%S+00\", 1767225600 + int(i * 31536000 / $TOTAL), 1) } }'"
}

copy_ms() {   # copy_ms TABLE FROM TO: the COPY's time in ms
    psql -X -q -v ON_ERROR_STOP=1 -At <<SQL | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
\timing on
COPY $1 (address, campaign, status, occurred_at) FROM PROGRAM \$\$$(gen "$2" "$3")\$\$;
SQL
}

median_ms() {   # median_ms SQL: median of REPS runs, result discarded
    local q=$1
    for _ in $(seq "$REPS"); do
        psql -X -q -At -c '\timing on' -c '\o /dev/null' -c "$q" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
    done | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

steps="100000 1000000"
for ((n = 2000000; n <= TOTAL; n += 1000000)); do steps="$steps $n"; done
steps="$(for n in $steps; do if [ "$n" -lt "$TOTAL" ]; then echo "$n"; fi; done) $TOTAL"
loaded=0
printf '%-10s %12s %10s %14s %16s %14s %14s\n' events "COPY ev/s" "MB/M ev" "campaign_stats" "domain_stats" "soft_to_hard" "addresses"
for n in $steps; do
    ms=$(copy_ms bounce.events "$loaded" "$n")
    rate=$(awk -v k=$((n - loaded)) -v ms="$ms" 'BEGIN { printf "%.0f", k / (ms / 1000) }')
    [ "$n" -eq "$TOTAL" ] && last_ms=$ms last_from=$loaded
    loaded=$n
    psql -X -q -c "VACUUM ANALYZE" >/dev/null
    size=$(psql -X -At -c "SELECT round(sum(pg_total_relation_size(c.oid)) / 1048576.0 / ($n / 1e6), 1)
                             FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                            WHERE s.nspname = 'bounce' AND c.relkind = 'r'")
    cs=$(median_ms "SELECT * FROM bounce.campaign_stats")
    ds=$(median_ms "SELECT * FROM bounce.domain_stats")
    sh=$(median_ms "SELECT * FROM bounce.soft_to_hard")
    na=$(psql -X -At -c "SELECT count(*) FROM bounce.addresses")
    printf '%-10s %12s %10s %11s ms %13s ms %11s ms %14s\n' "$n" "$rate" "$size" "$cs" "$ds" "$sh" "$na"
    echo "$n $cs $ds $sh" >>"$out/metrics"
done
awk 'NR == 1 { c = $2; d = $3 } $1 == 1000000 { printf "campaign_stats at 1M events / at 100k: %.2f; domain_stats: %.2f\n", $2 / c, $3 / d }
     END { printf "campaign_stats at %d events / at 100k: %.2f; domain_stats: %.2f\n", $1, $2 / c, $3 / d }' "$out/metrics"

# the last step again into a plain table holding the same rows so far
psql -X -q -c "INSERT INTO plain_events (address, campaign, status, occurred_at)
               SELECT address, campaign, status::text, occurred_at FROM bounce.events WHERE id <= (SELECT max(id) FROM bounce.events) - ($TOTAL - $last_from)" >/dev/null
psql -X -q -c "VACUUM ANALYZE plain_events" >/dev/null
plain_ms=$(copy_ms plain_events "$last_from" "$TOTAL")
awk -v p="$plain_ms" -v q="$last_ms" -v k=$((TOTAL - last_from)) 'BEGIN {
    printf "last step (%d events onto %d): policy %.0f events/s, plain %.0f events/s, ratio %.2f\n", k, '"$last_from"', k / (q / 1000), k / (p / 1000), q / p }'

# is_suppressed() against a primary-key lookup of the same addresses
psql -X -q -c "CREATE TABLE plain_addresses AS SELECT address, state FROM bounce.addresses;
               ALTER TABLE plain_addresses ADD PRIMARY KEY (address)" >/dev/null
psql -X -q -c "VACUUM ANALYZE plain_addresses" >/dev/null
cat >"$out/is_suppressed.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT bounce.is_suppressed('user' || :n || '@d' || (:n % 50) || '.example');
SQL
cat >"$out/pk_lookup.sql" <<SQL
\set n random(0, $ADDRS - 1)
SELECT state = 'suppressed' FROM plain_addresses WHERE address = 'user' || :n || '@d' || (:n % 50) || '.example';
SQL
for _ in $(seq "$REPS"); do
    for s in is_suppressed pk_lookup; do
        echo "$s $(pgbench -n -T 5 -f "$out/$s.sql" 2>/dev/null | sed -n 's/^tps = \([0-9.]*\).*/\1/p')"
    done
done >"$out/tps"
med() { grep "^$1 " "$out/tps" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
awk -v a="$(med is_suppressed)" -v b="$(med pk_lookup)" -v r="$REPS" 'BEGIN {
    printf "is_suppressed %.0f tps, primary-key lookup %.0f tps (medians of %d x 5 s): ratio %.2f\n", a, b, r, b / a }'
psql -X -At -c "SELECT 'bounce tables at the end: ' || string_agg(c.relname || ' ' || pg_size_pretty(pg_total_relation_size(c.oid)), ', ' ORDER BY pg_total_relation_size(c.oid) DESC)
                  FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
                 WHERE s.nspname = 'bounce' AND c.relkind = 'r' AND pg_total_relation_size(c.oid) > 1048576"
