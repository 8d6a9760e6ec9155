#!/usr/bin/env bash
# bench/bench_large.sh - parse_dsn on large crafted reports against md5()
# over the same bytes, in the same run (the linear-time target: an 8 MB
# report of 256 recipients within 20x md5()).  Two shapes, built in SQL:
#   - 256 recipients, each with a DSN block and a prose paragraph naming it,
#     padded with prose to SIZE MB;
#   - 200,000 recipients in one report (the row table's growth).
# Each measurement is the median of RUNS.  Prints times, MB/s and ratios.
# Usage (root; a fresh Debian 12 is fine): bench/bench_large.sh [size-mb] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" != "--inside" ]; then
    test/setup
    exec flock /tmp/bounce-install.lock bash -c \
        'make -s install >/dev/null && test/virtualenv 15 bench/bench_large.sh --inside "$@"' \
        _ "${1:-8}" "${2:-7}"
fi
SIZE=$2
RUNS=$3
psql -X -q -v ON_ERROR_STOP=1 -v size="$SIZE" -v runs="$RUNS" <<'SQL'
SET client_min_messages = warning;
CREATE EXTENSION bounce;
CREATE FUNCTION report(nrcpt int, pad_mb int) RETURNS text LANGUAGE sql AS $f$
SELECT 'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>' || E'\r\n' ||
       'To: list-bounces@example.com' || E'\r\n' ||
       'Subject: Undelivered Mail Returned to Sender' || E'\r\n' ||
       'MIME-Version: 1.0' || E'\r\n' ||
       'Content-Type: multipart/report; report-type=delivery-status; boundary="B"' || E'\r\n\r\n' ||
       '--B' || E'\r\nContent-Type: text/plain\r\n\r\n' ||
       (SELECT string_agg(format(E'<user%s@example.org>: host mx.example.org said: 550 5.1.1 user unknown\r\n%s\r\n', g,
                                 repeat(E'The mail system could not deliver your message to this recipient after several attempts.\r\n',
                                        greatest(0, pad_mb * 1048576 / nrcpt / 90))), '')
          FROM generate_series(1, nrcpt) g) ||
       E'\r\n--B\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n' ||
       (SELECT string_agg(format(E'Final-Recipient: rfc822; user%s@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 user unknown\r\n\r\n', g), '')
          FROM generate_series(1, nrcpt) g) ||
       E'--B--\r\n'
$f$;
CREATE TABLE mails AS SELECT 'wide' AS shape, report(256, :size) AS m
                      UNION ALL SELECT 'many', report(200000, 0);
CREATE TABLE timings (shape text, what text, ms float8, nrows bigint);
SET bench.runs = :runs;
DO $$
DECLARE t0 timestamptz; r record; n bigint; h text;
BEGIN
  FOR i IN 1 .. current_setting('bench.runs')::int LOOP
    FOR r IN SELECT shape, m FROM mails LOOP
      t0 := clock_timestamp();
      SELECT count(*) INTO n FROM bounce.parse_dsn(r.m);
      INSERT INTO timings VALUES (r.shape, 'parse_dsn', extract(epoch FROM clock_timestamp() - t0) * 1000, n);
      t0 := clock_timestamp();
      h := md5(r.m);
      INSERT INTO timings VALUES (r.shape, 'md5', extract(epoch FROM clock_timestamp() - t0) * 1000, 0);
    END LOOP;
  END LOOP;
END $$ ;
\pset footer off
WITH med AS (
  SELECT shape, what, percentile_disc(0.5) WITHIN GROUP (ORDER BY ms) AS ms, max(nrows) AS nrows
    FROM timings GROUP BY shape, what
)
SELECT p.shape, round(octet_length(m.m) / 1048576.0, 1) AS mb, p.nrows AS rows,
       round(p.ms::numeric, 1) AS parse_dsn_ms, round(h.ms::numeric, 1) AS md5_ms,
       round((octet_length(m.m) / 1048576.0 / (p.ms / 1000))::numeric, 0) AS parse_mb_s,
       round((p.ms / h.ms)::numeric, 2) AS ratio_to_md5
  FROM med p JOIN med h ON h.shape = p.shape AND h.what = 'md5'
  JOIN mails m ON m.shape = p.shape
 WHERE p.what = 'parse_dsn' ORDER BY p.shape DESC;
SQL
