-- replay.sql - the state against its log: verify() finds what differs from
-- a replay, rebuild() mends it, corrections (UPDATE, DELETE of events and
-- deliveries) refold their addresses, prune() keeps every suppression,
-- forget() leaves no trace of an address but its keyed hash.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts,
         bounce.suppression_log, bounce.baselines, bounce.baseline_retries, bounce.forgotten;
RESET client_min_messages;
SET timezone = 'UTC';

-- a history of a few dozen addresses: soft, hard, deliveries, by hand
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT format('r%s@example.com', g % 40), 'c' || (g % 6),
       (ARRAY['452 4.2.2 Mailbox full', '421 4.7.0 Try again later', '550 5.1.1 User unknown',
              '450 4.2.1 Greylisted', '552 5.3.4 Message too big'])[1 + (g * 7) % 5]::bounce.smtp_status,
       '2025-01-01 00:00+00'::timestamptz + (g * 13 % 400) * interval '1 day'
  FROM generate_series(1, 400) g;
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
SELECT format('r%s@example.com', g % 40), 'c' || (g % 6),
       '2025-01-01 00:00+00'::timestamptz + (g * 29 % 400) * interval '1 day'
  FROM generate_series(1, 60) g;
SELECT bounce.suppress('r3@example.com', 'asked', '2025-03-01 00:00+00');
SELECT bounce.unsuppress('r5@example.com', '2025-06-01 00:00+00');
SELECT count(*) AS addresses, count(*) FILTER (WHERE state = 'suppressed') AS suppressed
  FROM bounce.addresses;

-- the state the triggers kept is the replay of the log
SELECT * FROM bounce.verify();

-- a state changed by hand, a lost retry, a missing row: verify() names them
UPDATE bounce.addresses SET consecutive_soft = consecutive_soft + 1 WHERE address = 'r1@example.com';
DELETE FROM bounce.retries WHERE address = (SELECT min(address) FROM bounce.retries);
DELETE FROM bounce.addresses WHERE address = 'r2@example.com';
SELECT * FROM bounce.verify() ORDER BY 1;
-- rebuild() mends them (3 changed) and nothing else
SELECT bounce.rebuild();
SELECT * FROM bounce.verify();
SELECT bounce.rebuild('R1@Example.com') AS again;

-- corrections: a misread hard bounce becomes soft, and the state follows
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('fix@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00');
SELECT state, hard_total, soft_total FROM bounce.addresses WHERE address = 'fix@example.com';
UPDATE bounce.events SET status = '452 4.2.2 Mailbox full' WHERE address = 'fix@example.com';
SELECT class, reason FROM bounce.events WHERE address = 'fix@example.com';
SELECT state, hard_total, soft_total, next_retry_at FROM bounce.addresses WHERE address = 'fix@example.com';
-- an UPDATE that changes the verdict itself keeps it
UPDATE bounce.events SET status = '550 5.1.1 User unknown', class = 'soft', reason = 'blocked'
 WHERE address = 'fix@example.com';
SELECT class, reason FROM bounce.events WHERE address = 'fix@example.com';
-- an event moved to another address refolds both
UPDATE bounce.events SET address = 'Fixed@Example.com' WHERE address = 'fix@example.com';
SELECT address, state, soft_total FROM bounce.addresses
 WHERE address IN ('fix@example.com', 'fixed@example.com') ORDER BY 1;
-- a deleted delivery no longer ends the streak; a deleted bounce no longer counts
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('del@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('del@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-03 00:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at) VALUES ('del@example.com', 'c9', '2026-01-02 00:00+00');
SELECT state, consecutive_soft FROM bounce.addresses WHERE address = 'del@example.com';
DELETE FROM bounce.deliveries WHERE address = 'del@example.com';
SELECT state, consecutive_soft FROM bounce.addresses WHERE address = 'del@example.com';
DELETE FROM bounce.events WHERE address = 'del@example.com' AND campaign = 'c2';
SELECT state, consecutive_soft, soft_total FROM bounce.addresses WHERE address = 'del@example.com';
SELECT * FROM bounce.verify();

-- retention: prune() folds what is older than the cut into baselines and
-- removes it; no state changes, so no suppression is lost
CREATE TEMP TABLE before_prune AS
SELECT a.address, (a.state, a.consecutive_soft, a.soft_total, a.hard_total, a.first_bounce_at,
                   a.last_bounce_at, a.last_soft_at, a.last_soft_campaign, a.last_delivery_at,
                   a.next_retry_at, a.suppressed_at, a.suppressed_reason, a.promoted_at,
                   a.unsuppressed_at)::text AS s
  FROM bounce.addresses a;
SELECT (SELECT count(*) FROM bounce.events WHERE occurred_at < '2025-09-01')
     + (SELECT count(*) FROM bounce.deliveries WHERE delivered_at < '2025-09-01') AS older_than_cut;
SELECT bounce.prune('2025-09-01 00:00+00') AS removed;
SELECT count(*) AS events_before_cut FROM bounce.events WHERE occurred_at < '2025-09-01';
SELECT count(*) AS deliveries_before_cut FROM bounce.deliveries WHERE delivered_at < '2025-09-01';
SELECT count(*) AS baselines FROM bounce.baselines;
SELECT count(*) AS states_changed
  FROM before_prune b JOIN bounce.addresses a USING (address)
 WHERE b.s IS DISTINCT FROM (a.state, a.consecutive_soft, a.soft_total, a.hard_total, a.first_bounce_at,
                   a.last_bounce_at, a.last_soft_at, a.last_soft_campaign, a.last_delivery_at,
                   a.next_retry_at, a.suppressed_at, a.suppressed_reason, a.promoted_at,
                   a.unsuppressed_at)::text;
-- every address suppressed before is suppressed after, and the replay
-- (baseline + the rest) agrees
SELECT count(*) AS lost_suppressions FROM before_prune b JOIN bounce.addresses a USING (address)
 WHERE b.s LIKE '(suppressed,%' AND a.state <> 'suppressed';
SELECT * FROM bounce.verify();
SELECT bounce.rebuild() AS changed_by_rebuild;
-- the audit log keeps its entries; they are not applied twice
SELECT count(*) AS audit_entries FROM bounce.suppression_log;
-- a second prune at a later cut moves the baselines on
SELECT bounce.prune('2025-12-01 00:00+00') > 0 AS removed_more;
SELECT count(*) FILTER (WHERE pruned_before = '2025-12-01 00:00+00') AS moved, count(*) AS baselines
  FROM bounce.baselines;
SELECT * FROM bounce.verify();
-- a late event older than the cut, after the prune, is folded after the baseline
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('r7@example.com', 'late', '550 5.1.1 User unknown', '2025-02-01 00:00+00');
SELECT state FROM bounce.addresses WHERE address = 'r7@example.com';
SELECT * FROM bounce.verify();

-- TRUNCATE of the log alone leaves the state as it is; verify() then
-- reports the difference (use prune() for retention)
BEGIN;
TRUNCATE bounce.events, bounce.deliveries;
SELECT count(*) > 0 AS verify_reports FROM bounce.verify();
SELECT count(*) FILTER (WHERE state = 'suppressed') > 0 AS still_suppressed FROM bounce.addresses;
ROLLBACK;

-- erasure: forget() removes the address from every table; a suppressed
-- one stays suppressed through a keyed hash (not the address, not an
-- unkeyed hash of it)
CREATE FUNCTION traces(addr text) RETURNS SETOF text LANGUAGE plpgsql AS $$
DECLARE
    r record;
    n bigint;
BEGIN
    FOR r IN SELECT c.oid::regclass AS t FROM pg_class c JOIN pg_namespace s ON s.oid = c.relnamespace
              WHERE s.nspname = 'bounce' AND c.relkind = 'r' ORDER BY 1 LOOP
        EXECUTE format('SELECT count(*) FROM %s x WHERE x::text ILIKE %L', r.t, '%' || addr || '%') INTO n;
        IF n > 0 THEN
            RETURN NEXT r.t::text;
        END IF;
    END LOOP;
END
$$;
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('eve@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-02-01 00:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at) VALUES ('eve@example.com', 'c0', '2026-01-01 00:00+00');
SELECT bounce.suppress('eve@example.com', 'asked by eve', '2026-02-02 00:00+00');
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('eve@example.com', 'c2', '550 5.1.1 User unknown', '2026-02-03 00:00+00');
SELECT bounce.prune('2026-01-15 00:00+00') >= 1 AS pruned;
SELECT traces('eve@example.com');
SELECT bounce.forget('EVE@example.com');
SELECT traces('eve@example.com');
SELECT bounce.is_suppressed('eve@example.com') AS still_suppressed,
       bounce.is_suppressed('adam@example.com') AS other;
SELECT count(*) AS hashes,
       count(*) FILTER (WHERE hash = sha256(convert_to('eve@example.com', 'UTF8'))) AS unkeyed
  FROM bounce.forgotten;
SELECT * FROM bounce.verify();
-- a later bounce starts a fresh history, suppressed from when it was forgotten
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('eve@example.com', 'c3', '452 4.2.2 Mailbox full', '2099-01-01 00:00+00');
SELECT state, soft_total, hard_total, suppressed_reason FROM bounce.addresses WHERE address = 'eve@example.com';
SELECT count(*) AS hashes FROM bounce.forgotten;
SELECT * FROM bounce.verify();
-- forgetting an address that was not suppressed keeps nothing at all
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('plain@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-02-01 00:00+00');
SELECT bounce.forget('plain@example.com') AS removed;
SELECT bounce.is_suppressed('plain@example.com') AS suppressed, count(*) AS hashes FROM bounce.forgotten;
SELECT traces('plain@example.com');
-- unsuppress() of a forgotten address removes its hash
SELECT bounce.forget('eve@example.com');
SELECT count(*) AS hashes FROM bounce.forgotten;
SELECT bounce.unsuppress('eve@example.com') AS lifted;
SELECT bounce.is_suppressed('eve@example.com') AS suppressed, count(*) AS hashes FROM bounce.forgotten;
SELECT traces('eve@example.com');
SELECT bounce.forget('nobody@example.com') AS removed;

-- these change state or erase it: EXECUTE is the owner's to grant
SELECT p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public_may
  FROM pg_proc p WHERE p.pronamespace = 'bounce'::regnamespace
   AND p.proname IN ('rebuild', 'prune', 'forget', 'verify') ORDER BY 1;
DROP FUNCTION traces(text);
