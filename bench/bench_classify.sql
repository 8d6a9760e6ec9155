-- bench/bench_classify.sql - run by bench/bench_classify.sh (psql -v rows= -v reps=)
CREATE EXTENSION bounce;
SET max_parallel_workers_per_gather = 0;   -- one core per query: fair to both sides
SET jit = off;

-- Realistic replies: templates seen from big providers and common MTAs,
-- with varying addresses, hosts and numbers.
CREATE TABLE templates (id int, t text);
INSERT INTO templates SELECT row_number() OVER (), t FROM (VALUES
  ('550 5.1.1 <%u@example.com>: Recipient address rejected: User unknown in virtual mailbox table'),
  ('550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient''s email address for typos or 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser %n - gsmtp'),
  ('552-5.2.2 The email account that you tried to reach is over quota. Please direct 552 5.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaPerm %n - gsmtp'),
  ('452 4.2.2 The email account that you tried to reach is over quota. %n - gsmtp'),
  ('421 4.7.0 [TSS04] Messages from 192.0.2.%i temporarily deferred due to unexpected volume or user complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes'),
  ('554 5.7.1 Service unavailable; Client host [192.0.2.%i] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/192.0.2.%i'),
  ('550 5.7.1 Unfortunately, messages from [192.0.2.%i] weren''t sent. Please contact your Internet service provider since part of their network is on our block list (S3150).'),
  ('450 4.2.1 <%u@example.org>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/example.org.html'),
  ('550 5.4.1 Recipient address rejected: Access denied. AS(2018062%n) [DM6NAM12FT%n.eop-nam12.prod.protection.outlook.com]'),
  ('550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient %u@example.com not found by SMTP address lookup'),
  ('554 delivery error: dd This user doesn''t have a yahoo.com account (%u@yahoo.com) [0] - mta%i.mail.ne1.yahoo.com'),
  ('451 4.3.0 Temporary lookup failure, queue id %n'),
  ('421 4.4.2 mx%i.example.net Error: timeout exceeded'),
  ('550 5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked. %n - gsmtp'),
  ('552 5.3.4 Message size exceeds fixed limit of %n bytes'),
  ('553 5.1.3 <%u@@example.com>... Invalid mailbox name'),
  ('550 Requested action not taken: mailbox unavailable (%u)'),
  ('554 5.7.1 <%u@example.net>: Relay access denied'),
  ('550 5.2.1 <%u@example.com>: Mailbox disabled for this recipient'),
  ('454 4.7.0 TLS not available due to local problem'),
  ('550 5.7.1 [192.0.2.%i] Message rejected due to spam content, score %i'),
  ('421 4.7.0 Too many concurrent SMTP connections from this IP address; please try again later.'),
  ('550 5.1.1 <%u@example.jp>... User Unknown'),
  ('smtp; 550 5.1.1 <%u@example.com>... User unknown'),
  ('#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##')
) v(t);

CREATE TABLE replies (t text, s bounce.smtp_status);
INSERT INTO replies (t)
SELECT replace(replace(replace(tp.t, '%u', 'user' || g), '%i', (g % 250 + 1)::text), '%n', (1000000 + g * 7919)::text)
FROM generate_series(1, :rows) g
JOIN templates tp ON tp.id = 1 + g % (SELECT count(*) FROM templates);
UPDATE replies SET s = t::bounce.smtp_status;
VACUUM FULL ANALYZE replies;

-- The baseline: what a team would write without the extension.
CREATE FUNCTION baseline_classify(reply text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
  m text[];
BEGIN
  m := regexp_match(reply, '^\s*(?:[A-Za-z0-9-]+;\s*)?#?([2-5][0-9][0-9])?[ -]?#?([245]\.[0-9]{1,3}\.[0-9]{1,3})?');
  IF reply ~* '(mailbox|account).*(full|over quota)|quota exceeded|insufficient storage' THEN
    RETURN 'soft';
  END IF;
  IF reply ~* 'greylist|rate limit|too many|temporarily deferred|try again later' THEN
    RETURN 'soft';
  END IF;
  IF reply ~* 'user unknown|no such user|does not exist|not found|unknown user' THEN
    RETURN 'hard';
  END IF;
  IF m[1] LIKE '5%' OR (m[1] IS NULL AND m[2] LIKE '5%') THEN
    RETURN 'hard';
  END IF;
  IF m[1] LIKE '2%' OR m[1] LIKE '3%' THEN
    RETURN 'none';
  END IF;
  RETURN 'soft';
END $$;

-- Median wall time of each query over :reps rounds.  The queries take
-- turns within a round, so a burst of load on the machine hits all of them.
CREATE FUNCTION medians(names text[], qs text[], reps int)
RETURNS TABLE (name text, ms numeric) LANGUAGE plpgsql AS $$
DECLARE
  t0 timestamptz;
  times numeric[][] := array_fill(0::numeric, ARRAY[array_length(qs, 1), reps]);
BEGIN
  FOR i IN 1..array_length(qs, 1) LOOP
    EXECUTE qs[i];  -- warm-up: caches, automaton
  END LOOP;
  FOR r IN 1..reps LOOP
    FOR i IN 1..array_length(qs, 1) LOOP
      t0 := clock_timestamp();
      EXECUTE qs[i];
      times[i][r] := (extract(epoch FROM clock_timestamp() - t0) * 1000)::numeric;
    END LOOP;
  END LOOP;
  FOR i IN 1..array_length(qs, 1) LOOP
    name := names[i];
    ms := (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY x)
           FROM unnest(times[i:i][1:reps]) x);
    RETURN NEXT;
  END LOOP;
END $$;

\echo
\echo 'replies:' :rows ', rounds:' :reps '(medians; queries interleaved)'
CREATE TEMP TABLE results AS
SELECT * FROM medians(
  ARRAY['scan only', 'baseline plpgsql', 'classify(smtp_status)', 'classify(text)',
        'textin(textout(x))', 'smtp_status_in(textout(x))',
        '(explain(smtp_status)).* in the select list', 'explain(smtp_status) in FROM'],
  ARRAY['SELECT count(*) FILTER (WHERE t IS NOT NULL) FROM replies',
        'SELECT count(*) FILTER (WHERE baseline_classify(t) = ''hard'') FROM replies',
        'SELECT count(*) FILTER (WHERE bounce.classify(s) = ''hard'') FROM replies',
        'SELECT count(*) FILTER (WHERE bounce.classify(t) = ''hard'') FROM replies',
        'SELECT count(*) FILTER (WHERE textin(textout(t)) IS NOT NULL) FROM replies',
        'SELECT count(*) FILTER (WHERE bounce.smtp_status_in(textout(t)) IS NOT NULL) FROM replies',
        'SELECT count(*) FILTER (WHERE x.action = ''suppress'') FROM (SELECT (bounce.explain(s)).* FROM replies OFFSET 0) x',
        'SELECT count(*) FILTER (WHERE e.action = ''suppress'') FROM replies, bounce.explain(s) e'],
  :reps);

SELECT name, round(ms, 1) AS median_ms FROM results;

-- Agreement, so the speed is not bought with a classifier that says nothing.
SELECT round(100.0 * avg((bounce.classify(s)::text = baseline_classify(t))::int), 1) AS pct_agree_with_baseline
FROM replies;

WITH r AS (SELECT name, ms FROM results)
SELECT 'classify(smtp_status) vs baseline' AS ratio,
       round((SELECT ms FROM r WHERE name = 'baseline plpgsql') / (SELECT ms FROM r WHERE name = 'classify(smtp_status)'), 1) AS x,
       '>= 30' AS target
UNION ALL
SELECT 'classify(text) vs baseline',
       round((SELECT ms FROM r WHERE name = 'baseline plpgsql') / (SELECT ms FROM r WHERE name = 'classify(text)'), 1),
       '>= 15'
UNION ALL
SELECT '(explain(s)).* in a select list vs classify(s)',
       round((SELECT ms FROM r WHERE name = '(explain(smtp_status)).* in the select list') / (SELECT ms FROM r WHERE name = 'classify(smtp_status)'), 2),
       '<= 3'
UNION ALL
SELECT 'explain(s) in FROM vs classify(s)',
       round((SELECT ms FROM r WHERE name = 'explain(smtp_status) in FROM') / (SELECT ms FROM r WHERE name = 'classify(smtp_status)'), 2),
       'less'
UNION ALL
SELECT 'smtp_status input vs textin(textout)',
       round((SELECT ms FROM r WHERE name = 'smtp_status_in(textout(x))') / (SELECT ms FROM r WHERE name = 'textin(textout(x))'), 2),
       '<= 2.5';
