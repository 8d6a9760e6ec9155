-- metrics.sql - the metrics views read counters the fold keeps: the same
-- figures as counting the log, with declared sends, per recipient domain,
-- through corrections and erasure.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts,
         bounce.suppression_log, bounce.baselines, bounce.baseline_retries, bounce.baseline_campaigns,
         bounce.campaigns;
RESET client_min_messages;
SET timezone = 'UTC';

INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT format('m%s@%s', g % 97, (ARRAY['gmail.com', 'yahoo.com', 'example.org'])[1 + g % 3]),
       CASE WHEN g % 11 = 0 THEN NULL ELSE 'c' || (g % 4) END,
       (ARRAY['452 4.2.2 Mailbox full', '550 5.1.1 User unknown', '421 4.7.0 Try again later',
              '550 5.7.1 Service unavailable; client host blocked using zen.spamhaus.org',
              '554 5.7.1 Message rejected due to DMARC policy'])[1 + g % 5]::bounce.smtp_status,
       '2026-01-01 00:00+00'::timestamptz + g * interval '1 hour'
  FROM generate_series(1, 600) g;
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
SELECT format('d%s@gmail.com', g), 'c1', '2026-02-01 00:00+00' FROM generate_series(1, 40) g;
INSERT INTO bounce.events (address, campaign, occurred_at, class, reason)
VALUES ('m5@yahoo.com', 'c2', '2026-02-02 00:00+00', 'none', 'feedback');

-- what counting the log gives (the view of 1.0), for comparison
CREATE VIEW counted AS
WITH per_address AS (
    SELECT x.campaign, x.address, max(x.class) FILTER (WHERE x.class > 'none') AS worst,
           count(*) FILTER (WHERE x.class > 'none' AND bounce.is_sender_side(x.reason)) AS sender_side
      FROM (SELECT e.campaign, e.address, e.class, e.reason FROM bounce.events e
            UNION ALL
            SELECT d.campaign, d.address, NULL, NULL FROM bounce.deliveries d) x
     GROUP BY 1, 2
)
SELECT campaign, substring(address FROM '@(.*)$') AS domain, count(*) AS addresses,
       count(worst) AS bounced, count(*) FILTER (WHERE worst = 'hard') AS hard,
       count(*) FILTER (WHERE worst = 'soft') AS soft, sum(sender_side) AS sender_side
  FROM per_address GROUP BY GROUPING SETS ((campaign), (campaign, domain));
CREATE FUNCTION mismatches() RETURNS bigint LANGUAGE sql AS $$
    SELECT (SELECT count(*) FROM (
                (SELECT campaign, sent, bounced, hard, soft FROM bounce.campaign_stats
                  WHERE campaign IS DISTINCT FROM 'declared')
                EXCEPT
                (SELECT campaign, addresses, bounced, hard, soft FROM counted WHERE domain IS NULL
                  AND NOT EXISTS (SELECT FROM bounce.campaigns d WHERE d.campaign = counted.campaign))) x)
         + (SELECT count(*) FROM (
                (SELECT campaign, domain, addresses, bounced, hard, soft, sender_side FROM bounce.domain_stats)
                EXCEPT
                (SELECT campaign, domain, addresses, bounced, hard, soft, sender_side FROM counted
                  WHERE domain IS NOT NULL)) y)
$$;
SELECT mismatches();
SELECT * FROM bounce.campaign_stats ORDER BY campaign NULLS FIRST;
SELECT * FROM bounce.domain_stats WHERE campaign = 'c1' ORDER BY domain;
SELECT * FROM bounce.soft_to_hard;
SELECT (SELECT count(*) FROM bounce.addresses WHERE soft_total > 0) AS soft_addresses,
       (SELECT count(*) FROM bounce.addresses WHERE promoted_at IS NOT NULL) AS promoted;

-- a declared send count is the denominator; a declared campaign with no
-- bounce yet is listed too
INSERT INTO bounce.campaigns (campaign, sent) VALUES ('c1', 10000), ('quiet', 5000);
SELECT campaign, sent, bounced, bounce_rate, over_threshold FROM bounce.campaign_stats
 WHERE campaign IN ('c1', 'quiet') ORDER BY 1;
DELETE FROM bounce.campaigns;

-- corrections, late events and erasure keep the counters exact
UPDATE bounce.events SET status = '452 4.2.2 Mailbox full' WHERE address = 'm1@yahoo.com';
DELETE FROM bounce.events WHERE address = 'm2@example.org';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('m3@gmail.com', 'c3', '550 5.1.1 User unknown', '2025-01-01 00:00+00');
SELECT bounce.forget('m4@gmail.com');
SELECT mismatches() AS after_changes, count(*) AS verify FROM bounce.verify();
-- retention removes log rows, not what they counted
CREATE TEMP TABLE stats_before AS SELECT * FROM bounce.campaign_stats;
SELECT bounce.prune('2026-01-10 00:00+00') > 0 AS pruned;
SELECT count(*) AS changed_by_prune FROM (
    (SELECT * FROM stats_before EXCEPT SELECT * FROM bounce.campaign_stats)
    UNION ALL (SELECT * FROM bounce.campaign_stats EXCEPT SELECT * FROM stats_before)) x;
SELECT count(*) AS verify FROM bounce.verify();

-- counters that drift are reported, and rebuild() counts them again
UPDATE bounce.campaign_counts SET hard = hard + 1 WHERE campaign = 'c1';
SELECT * FROM bounce.verify();
SELECT bounce.rebuild() AS changed;
SELECT * FROM bounce.verify();

-- every writer adds to its own slot; the views sum them
SELECT count(DISTINCT bucket) >= 1 AS slots FROM bounce.campaign_counts;

-- repeat_soft is read through its index, not the whole table
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM bounce.repeat_soft;
RESET enable_seqscan;

DROP FUNCTION mismatches();
DROP VIEW counted;
-- leave the tables empty for the tests after this one
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts,
         bounce.suppression_log, bounce.baselines, bounce.baseline_retries, bounce.baseline_campaigns,
         bounce.forgotten;
