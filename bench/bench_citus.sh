#!/usr/bin/env bash
# bench/bench_citus.sh - COPY throughput of bounce distributed on Citus (a
# coordinator and two workers on this machine, test/citus_cluster) against
# one node, measured in the same run on the same server build:
#   one node:  COPY of ROWS events over ADDRS addresses into bounce.events
#              of a database of the coordinator without Citus;
#   cluster:   the same COPY through the coordinator into the distributed
#              install (bounce.distribute(SHARDS)).
# Each runs REPS times into a fresh install; medians are compared, as
# events per second and as the ratio cluster / one node.
# Usage (root): bench/bench_citus.sh [rows] [addrs] [reps] [shards]
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-200000}
ADDRS=${2:-50000}
REPS=${3:-5}
SHARDS=${4:-8}

test/setup
test/citus_build || { echo "bench_citus: no Citus (see test/citus_build)" >&2; exit 1; }
dir=$(mktemp -d /tmp/bounce-bench-citus.XXXXXX)
port=55450
cleanup() { CITUS_PORT=$port test/citus_cluster stop "$dir" >/dev/null 2>&1; rm -rf "$dir"; }
trap cleanup EXIT
exec 9>/tmp/bounce-install.lock
flock 9
make -s install >/dev/null
CITUS_PRELOAD=citus,bounce CITUS_PORT=$port test/citus_cluster start "$dir" >/dev/null
q() { PGOPTIONS='--client-min-messages=warning' psql -X -q -At -v ON_ERROR_STOP=1 -h "$dir" -p $port -U postgres -d "$1" -c "$2"; }

q postgres "CREATE DATABASE single"
q single "COPY (SELECT 'user' || (g * 7919 % $ADDRS) || '@example.com', 'c' || (g % 10),
                   (ARRAY['550 5.1.1 User unknown', '452 4.2.2 Mailbox full', '450 4.2.1 Greylisted'])[g % 3 + 1],
                   timestamptz '2026-01-01 00:00+00' + g * interval '1 second'
              FROM generate_series(1, $ROWS) g) TO '$dir/events.tsv'"
chown postgres "$dir/events.tsv"

copy_ms() {   # copy_ms DB: milliseconds of the COPY into a fresh install
    local db=$1 t0 t1
    q "$db" "DROP EXTENSION IF EXISTS bounce CASCADE"
    q "$db" "CREATE EXTENSION bounce"
    [ "$db" = citus_test ] && q "$db" "SELECT bounce.distribute($SHARDS)" >/dev/null
    q "$db" "CHECKPOINT"
    t0=$(date +%s%N)
    q "$db" "COPY bounce.events (address, campaign, status, occurred_at) FROM '$dir/events.tsv'"
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }

single=(); cluster=()
for r in $(seq "$REPS"); do
    single+=("$(copy_ms single)")
    cluster+=("$(copy_ms citus_test)")
done
s=$(printf '%s\n' "${single[@]}" | median)
c=$(printf '%s\n' "${cluster[@]}" | median)
check=$(q citus_test "SELECT count(*) FROM bounce.events")
[ "$check" = "$ROWS" ] || { echo "bench_citus: the cluster holds $check events, not $ROWS" >&2; exit 1; }
echo "COPY of $ROWS events over $ADDRS addresses, median of $REPS (ms): one node ${single[*]} -> $s; two workers ($SHARDS shards) ${cluster[*]} -> $c"
awk -v s="$s" -v c="$c" -v n="$ROWS" 'BEGIN {
    printf "one node      %8.0f events/s\n", n / (s / 1000)
    printf "two workers   %8.0f events/s\n", n / (c / 1000)
    printf "ratio (two workers / one node): %.2f\n", s / c }'
