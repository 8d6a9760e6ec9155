#!/usr/bin/env bash
# bench/bench_dsn.sh - speed of bounce.parse_dsn() against Sisimai (the perl
# reference, libsisimai-perl) on the same emails, in the same run: every
# email of the corpus beside the checkout (../shared/corpus/sisimai/emails)
# is parsed REPS times (default 20) in one SQL statement, and REPS times by
# Sisimai from memory.  Each side runs RUNS times (default 5), alternating;
# medians are compared.  Prints both times, the ratio and the MB/s.
# Usage (root; a fresh Debian 12 is fine): bench/bench_dsn.sh [reps] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${1:-20}
RUNS=${2:-5}
CORPUS=${BOUNCE_CORPUS:-../shared/corpus/sisimai}

if [ "${BENCH_DSN_INNER:-}" != 1 ]; then
    if [ ! -d "$CORPUS/emails" ]; then
        echo "skip - corpus $CORPUS not found: nothing to benchmark"; exit 0
    fi
    if ! perl -MSisimai -e 1 2>/dev/null; then
        echo "bench: installing libsisimai-perl"
        export DEBIAN_FRONTEND=noninteractive
        apt-get install -y -qq libsisimai-perl >/dev/null ||
            { apt-get update -qq && apt-get install -y -qq libsisimai-perl >/dev/null; }
    fi
    test/setup
    CORPUS=$(cd "$CORPUS" && pwd)
    export BENCH_DSN_INNER=1 CORPUS
    # the install is shared by every checkout of this machine: keep the lock
    # until the benchmark is done, so it measures this build
    exec flock /tmp/bounce-install.lock bash -c \
        'make -s install >/dev/null && exec test/virtualenv 15 "$0" "$1" "$2"' "$0" "$REPS" "$RUNS"
fi

# --- inside pg_virtualenv ---
psql() { PGOPTIONS='--client-min-messages=warning' command psql -X -q -v ON_ERROR_STOP=1 "$@"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=("$CORPUS"/emails/*.eml)
for f in "${files[@]}"; do
    printf '%s\t%s\n' "$(basename "$f")" "$(base64 -w0 "$f")"
done >"$tmp/mails.b64"

psql -d postgres <<SQL
CREATE EXTENSION bounce;
SET max_parallel_workers_per_gather = 0;
CREATE TABLE mails_b64 (name text, b64 text);
\\copy mails_b64 FROM '$tmp/mails.b64'
CREATE TABLE mails AS SELECT name, decode(b64, 'base64') AS body FROM mails_b64;
-- one statement parses every email reps times; returns the seconds it took
CREATE FUNCTION bench_once(reps int) RETURNS float8 LANGUAGE plpgsql AS \$\$
DECLARE
    t0 timestamptz := clock_timestamp();
    n bigint;
BEGIN
    SELECT count(*) INTO n
      FROM generate_series(1, reps) r(i), mails m,
           -- depends on r, so the planner cannot parse once and reuse the rows
           LATERAL bounce.parse_dsn(CASE WHEN r.i > 0 THEN m.body END) d;
    RETURN extract(epoch FROM clock_timestamp() - t0);
END \$\$;
SQL
bytes=$(psql -d postgres -At -c "SELECT sum(octet_length(body)) FROM mails")
rows=$(psql -d postgres -At -c "SELECT count(*) FROM mails m, LATERAL bounce.parse_dsn(m.body) d")
psql -d postgres -At -c "SELECT bench_once(1)" >/dev/null     # warm the cache

: >"$tmp/bounce.t"; : >"$tmp/sisimai.t"
for run in $(seq "$RUNS"); do
    psql -d postgres -At -c "SET max_parallel_workers_per_gather = 0; SELECT bench_once($REPS)" \
        | tail -n 1 >>"$tmp/bounce.t"
    perl bench/bench_dsn.pl "$REPS" "${files[@]}" >"$tmp/sisimai.out"
    cut -d' ' -f1 "$tmp/sisimai.out" >>"$tmp/sisimai.t"
    echo "run $run: bounce $(tail -n 1 "$tmp/bounce.t") s, sisimai $(tail -n 1 "$tmp/sisimai.t") s"
done
median() { sort -g "$1" | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
b=$(median "$tmp/bounce.t"); s=$(median "$tmp/sisimai.t")
srows=$(cut -d' ' -f2 "$tmp/sisimai.out")
awk -v b="$b" -v s="$s" -v bytes="$bytes" -v reps="$REPS" -v n="${#files[@]}" \
    -v rows="$rows" -v srows="$srows" -v runs="$RUNS" 'BEGIN {
    mb = bytes * reps / 1e6
    printf "emails: %d (%.2f MB) x %d passes, median of %d runs\n", n, bytes / 1e6, reps, runs
    printf "bounce.parse_dsn: %8.3f s  %8.1f MB/s  %7.0f emails/s  (%d rows per pass)\n", b, mb / b, n * reps / b, rows
    printf "Sisimai %s:  %8.3f s  %8.1f MB/s  %7.0f emails/s  (%d rows per pass)\n", "4.25", s, mb / s, n * reps / s, srows
    printf "ratio: bounce is %.1fx faster (target >= 30x): %s\n", s / b, (s / b >= 30) ? "met" : "NOT met"
}'
