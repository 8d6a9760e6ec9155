-- bench/bench_policy.sql - run by bench/bench_policy.sh (psql -v rows= -v addrs= -v reps=)
SET client_min_messages = warning;
CREATE EXTENSION bounce;
SET max_parallel_workers_per_gather = 0;
SET jit = off;

-- the events: :rows bounces over :addrs addresses, two campaigns with a retry
-- each (so addresses end active, monitored or suppressed), a realistic
-- mix (user unknown, mailbox full, greylisting, throttling, blocks, too big),
-- written in mixed case as they come from MTAs
CREATE TEMP TABLE replies (i int, t text);
-- 20 slots: 4 hard (user unknown x2, block, too big), 16 soft
INSERT INTO replies VALUES
  (0, '550 5.1.1 <%u>: Recipient address rejected: User unknown in virtual mailbox table'),
  (1, '452 4.2.2 The email account that you tried to reach is over quota. - gsmtp'),
  (2, '450 4.2.1 <%u>: Recipient address rejected: Greylisted'),
  (3, '421 4.7.0 [TSS04] Messages temporarily deferred due to unexpected volume or user complaints'),
  (4, '451 4.3.0 Temporary lookup failure'),
  (5, '550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'),
  (6, '452 4.2.2 Mailbox full'),
  (7, '421 4.4.2 Error: timeout exceeded'),
  (8, '450 4.2.1 Greylisted, please try again later'),
  (9, '451 4.3.0 Local error in processing'),
  (10, '550 5.1.1 User unknown'),
  (11, '452 4.2.2 Mailbox full'),
  (12, '421 4.7.0 Try again later, closing connection'),
  (13, '450 4.2.1 Greylisted'),
  (14, '552 5.3.4 Message size exceeds fixed limit'),
  (15, '451 4.3.0 Temporary lookup failure'),
  (16, '452 4.2.2 Mailbox full'),
  (17, '421 4.4.2 Error: timeout exceeded'),
  (18, '450 4.2.1 Greylisted'),
  (19, '454 4.7.0 TLS not available due to local problem');
SELECT format('/tmp/bounce_bench_%s.csv', pg_backend_pid()) AS csv \gset
CREATE TEMP TABLE src AS
SELECT CASE WHEN g % 3 = 0 THEN 'User' ELSE 'user' END || (g % :addrs) || '@Example.com' AS address,
       'c' || (g / :addrs / 2) AS campaign,
       replace(r.t, '%u', 'user' || (g % :addrs) || '@example.com') AS status,
       timestamptz '2026-01-01 00:00+00' + g * interval '1 minute' AS occurred_at
  FROM generate_series(0, :rows - 1) g
  JOIN replies r ON r.i = ((g % :addrs) * 7919 + (g / :addrs) * 104729 + (g % :addrs) / 7) % 20;
COPY src TO :'csv' (FORMAT csv);

CREATE TABLE plain (id bigserial, address text NOT NULL, campaign text, status text NOT NULL,
                    occurred_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (address, id));
CREATE TABLE timings (what text, rep int, ms float8);

CREATE PROCEDURE bench_copy(reps int, csv text) LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
BEGIN
    FOR r IN 1 .. reps LOOP
        TRUNCATE plain;
        COMMIT;
        CHECKPOINT;
        t0 := clock_timestamp();
        EXECUTE format('COPY plain (address, campaign, status, occurred_at) FROM %L (FORMAT csv)', csv);
        COMMIT;
        INSERT INTO timings VALUES ('plain', r, extract(epoch FROM clock_timestamp() - t0) * 1000);
        COMMIT;

        TRUNCATE bounce.events, bounce.addresses, bounce.retries, bounce.address_campaigns,
                 bounce.campaign_counts, bounce.domain_counts, bounce.address_counts;
        COMMIT;
        CHECKPOINT;
        t0 := clock_timestamp();
        EXECUTE format('COPY bounce.events (address, campaign, status, occurred_at) FROM %L (FORMAT csv)', csv);
        COMMIT;
        INSERT INTO timings VALUES ('policy', r, extract(epoch FROM clock_timestamp() - t0) * 1000);
        COMMIT;
    END LOOP;
END $$;
CALL bench_copy(:reps, :'csv');

\echo
\echo 'COPY of' :rows 'events over' :addrs 'addresses (median of' :reps 'runs):'
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 0) AS median_ms,
       round(min(ms)::numeric, 0) AS min_ms, round(max(ms)::numeric, 0) AS max_ms
  FROM timings GROUP BY what ORDER BY what;
SELECT round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings WHERE what = 'policy')::numeric
           / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings WHERE what = 'plain')::numeric, 2)
       AS "COPY cost ratio policy/plain (target <= 2.5 repeating, <= 3 new addresses)";
-- The floor: the rows the policy leaves (the events, and the state the fold
-- writes: addresses, per-campaign rows, retries, audit trail, counters)
-- written into tables of the same shape and indexes without any policy,
-- the events by the same COPY, the state by INSERT ... SELECT.  What the
-- policy costs above it is reading, sorting and folding.
CREATE TABLE floor_events (LIKE bounce.events INCLUDING DEFAULTS INCLUDING INDEXES);
-- (class and reason are the policy's work: the floor leaves them empty)
ALTER TABLE floor_events ALTER class DROP NOT NULL, ALTER reason DROP NOT NULL;
CREATE TABLE floor_addresses (LIKE bounce.addresses INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE floor_address_campaigns (LIKE bounce.address_campaigns INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE floor_retries (LIKE bounce.retries INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE floor_suppression_log (LIKE bounce.suppression_log INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE floor_campaign_counts (LIKE bounce.campaign_counts INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE TABLE floor_domain_counts (LIKE bounce.domain_counts INCLUDING DEFAULTS INCLUDING INDEXES);
CREATE PROCEDURE bench_floor(reps int, csv text) LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
BEGIN
    FOR r IN 1 .. reps LOOP
        TRUNCATE floor_events, floor_addresses, floor_address_campaigns, floor_retries,
                 floor_suppression_log, floor_campaign_counts, floor_domain_counts;
        COMMIT;
        CHECKPOINT;
        t0 := clock_timestamp();
        EXECUTE format('COPY floor_events (address, campaign, status, occurred_at) FROM %L (FORMAT csv)', csv);
        INSERT INTO floor_addresses SELECT * FROM bounce.addresses;
        INSERT INTO floor_address_campaigns SELECT * FROM bounce.address_campaigns;
        INSERT INTO floor_retries SELECT * FROM bounce.retries;
        INSERT INTO floor_suppression_log SELECT * FROM bounce.suppression_log;
        INSERT INTO floor_campaign_counts SELECT * FROM bounce.campaign_counts;
        INSERT INTO floor_domain_counts SELECT * FROM bounce.domain_counts;
        COMMIT;
        INSERT INTO timings VALUES ('floor', r, extract(epoch FROM clock_timestamp() - t0) * 1000);
        COMMIT;
    END LOOP;
END $$;
CALL bench_floor(:reps, :'csv');
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 0) AS median_ms,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)
              / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings WHERE what = 'plain'))::numeric, 2)
       AS "ratio to plain"
  FROM timings WHERE what = 'floor' GROUP BY what;
SELECT (SELECT count(*) FROM floor_addresses) AS addresses, (SELECT count(*) FROM floor_address_campaigns) AS address_campaigns,
       (SELECT count(*) FROM floor_retries) AS retries, (SELECT count(*) FROM floor_suppression_log) AS suppression_log
  \gx
DROP TABLE floor_events, floor_addresses, floor_address_campaigns, floor_retries,
           floor_suppression_log, floor_campaign_counts, floor_domain_counts;

-- the policy ran: every event counted
SELECT count(*) AS addresses, sum(soft_total + hard_total) AS bounces_counted,
       count(*) FILTER (WHERE state = 'suppressed') AS suppressed,
       count(*) FILTER (WHERE state = 'monitored') AS monitored
  FROM bounce.addresses;

\if :lookups
-- is_suppressed() against a primary-key lookup: the same addresses and states
CREATE TABLE plain_addresses (address text PRIMARY KEY, state text NOT NULL);
INSERT INTO plain_addresses SELECT address, state::text FROM bounce.addresses;
VACUUM ANALYZE plain_addresses;
VACUUM ANALYZE bounce.addresses;
TRUNCATE timings;
CREATE PROCEDURE bench_lookup(reps int, addrs int) LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    n bigint;
BEGIN
    FOR r IN 1 .. reps LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM generate_series(1, 100000) g
         WHERE bounce.is_suppressed('user' || (g * 7919 % addrs) || '@example.com');
        INSERT INTO timings VALUES ('is_suppressed', r, extract(epoch FROM clock_timestamp() - t0) * 1000);
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM generate_series(1, 100000) g
         WHERE (SELECT p.state = 'suppressed' FROM plain_addresses p
                 WHERE p.address = 'user' || (g * 7919 % addrs) || '@example.com');
        INSERT INTO timings VALUES ('pk_lookup', r, extract(epoch FROM clock_timestamp() - t0) * 1000);
        COMMIT;
    END LOOP;
END $$;
CALL bench_lookup(:reps, :addrs);
\echo
\echo 'is_suppressed() in an in-server loop of 100000 calls (median of' :reps 'runs):'
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 0) AS median_ms
  FROM timings GROUP BY what ORDER BY what;
SELECT round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings WHERE what = 'is_suppressed')::numeric
           / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM timings WHERE what = 'pk_lookup')::numeric, 2)
       AS "loop cost ratio is_suppressed/pk_lookup";
\endif
-- the data file was written by the server: it removes it
DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'rm -f ' || format('/tmp/bounce_bench_%s.csv', pg_backend_pid())); END $$;
