-- policy.sql - the per-address state machine: hard and soft bounces,
-- monitoring, promotion, streak resets, retries, alerts, configuration.
-- Every time comes from the events themselves, so the output is fixed.
CREATE EXTENSION IF NOT EXISTS bounce;
SET timezone = 'UTC';

-- what a row of bounce.addresses looks like, compactly
CREATE FUNCTION pstate(a text) RETURNS TABLE (state bounce.address_state,
    streak int, soft int, hard int, last_soft timestamptz, next_retry timestamptz,
    suppressed_at timestamptz, why text)
    LANGUAGE sql AS $$
    SELECT state, consecutive_soft, soft_total, hard_total, last_soft_at,
           next_retry_at, suppressed_at, suppressed_reason
      FROM bounce.addresses WHERE address = bounce.normalize_address(a) $$;

-- the issue's first example: a hard bounce suppresses at once, whatever the case
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('Jane@Example.com', 'spring-sale', '550 5.1.1 User unknown', '2026-01-01 10:00+00');
SELECT bounce.is_suppressed('jane@example.com'), bounce.is_suppressed(' <JANE@EXAMPLE.COM> '),
       bounce.is_suppressed('nobody@example.com');
SELECT address, class, reason, applied FROM bounce.events;
SELECT * FROM pstate('jane@example.com');
-- which event suppressed it
SELECT a.suppressed_event = e.id AS by_that_event
  FROM bounce.addresses a JOIN bounce.events e USING (address);
-- a hard bounce is never retried
SELECT count(*) AS retries FROM bounce.retries WHERE address = 'jane@example.com';
-- later events still count, and do not move the suppression
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('jane@example.com', 'summer', '452 4.2.2 Mailbox full', '2026-02-01 10:00+00'),
    ('jane@example.com', 'summer', '550 5.1.1 User unknown', '2026-02-02 10:00+00');
SELECT * FROM pstate('jane@example.com');

-- soft bounces: one step per campaign, monitored at 2, promoted at 3
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('bob@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00');
SELECT * FROM pstate('bob@example.com');
-- a retry of the same campaign is an attempt, not a new step of the streak
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('bob@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-08 00:00+00');
SELECT * FROM pstate('bob@example.com');
SELECT campaign, reason, attempts, last_bounce_at, next_retry_at FROM bounce.retries
 WHERE address = 'bob@example.com';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('bob@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-10 00:00+00');
SELECT * FROM pstate('bob@example.com');
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('bob@example.com', 'c3', '452 4.2.2 Mailbox full', '2026-01-20 00:00+00');
SELECT * FROM pstate('bob@example.com');
SELECT bounce.is_suppressed('bob@example.com'), promoted_at
  FROM bounce.addresses WHERE address = 'bob@example.com';
-- promoted: its retries stay, idle (a delivery would lift the promotion
-- and find them as they were); none is due while it lasts
SELECT count(*) AS retries, count(*) FILTER (WHERE r.next_retry_at <= '2027-01-01') AS would_be_due,
       (SELECT a.next_retry_at FROM bounce.addresses a WHERE a.address = 'bob@example.com') AS next_retry_at
  FROM bounce.retries r WHERE address = 'bob@example.com';

-- several events of one address in one statement are applied in time order,
-- whatever order they come in
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('carol@example.com', 'c3', '452 4.2.2 Mailbox full', '2026-01-20 00:00+00'),
    ('carol@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('carol@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-10 00:00+00');
SELECT * FROM pstate('carol@example.com');

-- the streak starts over when the last soft bounce is 90+ days old
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('dave@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('dave@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00');
SELECT * FROM pstate('dave@example.com');
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('dave@example.com', 'c3', '452 4.2.2 Mailbox full', '2026-04-03 00:00+00');
SELECT * FROM pstate('dave@example.com');

-- a delivery ends the streak and the campaign's retry
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('erin@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('erin@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00');
SELECT * FROM pstate('erin@example.com');
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('ERIN@example.com', 'c2', '2026-01-03 00:00+00');
SELECT * FROM pstate('erin@example.com');
SELECT campaign FROM bounce.retries WHERE address = 'erin@example.com' ORDER BY 1;
-- a bounce older than that delivery arrives late: counted, and the address
-- folded again in time order: with it c0, c1, c2 are three campaigns in a
-- row (a promotion), but the delivery after them lifts it: active, no
-- streak, and the retries of c0 and c1 go on (c2 was delivered)
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('erin@example.com', 'c0', '452 4.2.2 Mailbox full', '2025-12-31 00:00+00');
SELECT * FROM pstate('erin@example.com');
-- a delivery older than the last soft bounce does not end the streak
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('erin@example.com', 'c4', '452 4.2.2 Mailbox full', '2026-01-05 00:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('erin@example.com', 'c9', '2026-01-04 00:00+00');
SELECT * FROM pstate('erin@example.com');

-- retry delays: greylisting in minutes, others with backoff, doubled per failure
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('grey@example.com', 'g', '450 4.2.1 Greylisted, try again later', '2026-01-01 00:00+00'),
    ('grey@example.com', 'g', '450 4.2.1 Greylisted, try again later', '2026-01-01 00:05+00'),
    ('grey@example.com', 'g', '450 4.2.1 Greylisted, try again later', '2026-01-01 00:15+00');
SELECT campaign, reason, attempts, next_retry_at - last_bounce_at AS delay
  FROM bounce.retries WHERE address = 'grey@example.com';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('slow@example.com', 'x', '451 4.3.0 Local error in processing', '2026-01-01 00:00+00');
SELECT reason, attempts, next_retry_at - last_bounce_at AS delay
  FROM bounce.retries WHERE address = 'slow@example.com';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('slow@example.com', 'x', '451 4.3.0 Local error in processing', '2026-01-02 00:00+00');
SELECT reason, attempts, next_retry_at - last_bounce_at AS delay
  FROM bounce.retries WHERE address = 'slow@example.com';
-- the retry count is exhausted at 5 failed attempts: promoted to hard
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('slow@example.com', 'x', '451 4.3.0 Local error in processing', '2026-01-04 00:00+00'),
    ('slow@example.com', 'x', '451 4.3.0 Local error in processing', '2026-01-07 00:00+00'),
    ('slow@example.com', 'x', '451 4.3.0 Local error in processing', '2026-01-10 00:00+00');
SELECT * FROM pstate('slow@example.com');

-- due_retries hands each due retry out once
SELECT * FROM bounce.due_retries(100, '2026-01-01 00:10+00');
SELECT * FROM bounce.due_retries(100, '2026-02-01 00:00+00');
SELECT * FROM bounce.due_retries(100, '2026-02-01 00:00+00');
-- (pending: not handed out; those of promoted addresses are idle)
SELECT count(*) FILTER (WHERE handed_out_at IS NULL) AS pending,
       count(*) FILTER (WHERE handed_out_at IS NOT NULL) AS handed_out
  FROM bounce.retries;
-- a new failure schedules the next attempt again
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('grey@example.com', 'g', '450 4.2.1 Greylisted', '2026-01-01 00:30+00');
SELECT * FROM bounce.due_retries(100, '2026-02-01 00:00+00');

-- message-level failures alert rather than suppress
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('big@example.com', 'c1', '552 5.3.4 Message size exceeds fixed limit', '2026-01-01 00:00+00');
SELECT * FROM pstate('big@example.com');
SELECT address, class, reason, message_level FROM bounce.alerts;

-- per-reason actions are one UPDATE away: stop suppressing on IP blocks
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('blocked1@example.com', 'c1', '550 5.7.1 Service unavailable; client host blocked', '2026-01-01 00:00+00');
UPDATE bounce.reason_policy SET action = 'alert' WHERE reason = 'blocked';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('blocked2@example.com', 'c1', '550 5.7.1 Service unavailable; client host blocked', '2026-01-01 00:00+00');
SELECT address, state, hard_total FROM bounce.addresses
 WHERE address LIKE 'blocked%' ORDER BY 1;
SELECT reason, class, action, builtin FROM bounce.reason_policy WHERE NOT builtin ORDER BY 1, 2;
SELECT class, reason, action FROM bounce.explain('550 5.7.1 client host blocked'::bounce.smtp_status);
SELECT class, reason, action FROM bounce.explain('550 5.7.1 client host blocked');
SELECT class, reason, action, retry_after FROM bounce.explain('452 4.2.2 Mailbox full');
UPDATE bounce.reason_policy SET action = bounce._effective_action(class, 'suppress') WHERE reason = 'blocked';
SELECT count(*) AS changed_rows FROM bounce.reason_policy WHERE NOT builtin;

-- thresholds live in bounce.config
UPDATE bounce.config SET soft_threshold = 2;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('fast@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('fast@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00');
SELECT state, streak, why FROM pstate('fast@example.com');
UPDATE bounce.config SET soft_threshold = 3;
-- the config keeps exactly one row
DELETE FROM bounce.config;
TRUNCATE bounce.config;
UPDATE bounce.config SET backoff_cap = '1 hour';
INSERT INTO bounce.config (soft_threshold) VALUES (4);
SELECT count(*), min(soft_threshold) FROM bounce.config;
UPDATE bounce.config SET soft_threshold = 3;
-- and the policy keeps a row per reason and class
DELETE FROM bounce.reason_policy WHERE reason = 'blocked';
UPDATE bounce.reason_policy SET reason = 'filtered' WHERE reason = 'blocked' AND class = 'hard';
SELECT count(*) FROM bounce.reason_policy;

-- manual suppression, audit trail, and a later hard bounce suppresses again
SELECT bounce.suppress('Zed@Example.com', 'complaint by phone', '2026-03-01 00:00+00');
SELECT bounce.suppress('zed@example.com', 'again', '2026-03-02 00:00+00');
SELECT * FROM pstate('zed@example.com');
SELECT bounce.unsuppress('zed@example.com', '2026-03-03 00:00+00');
SELECT bounce.unsuppress('zed@example.com', '2026-03-04 00:00+00');
SELECT bounce.unsuppress('never-seen@example.com');
SELECT * FROM pstate('zed@example.com');
-- a hard bounce older than the unsuppress does not count
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('zed@example.com', 'c1', '550 5.1.1 User unknown', '2026-03-02 12:00+00');
SELECT bounce.is_suppressed('zed@example.com');
-- a later one does
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('zed@example.com', 'c2', '550 5.1.1 User unknown', '2026-03-05 00:00+00');
SELECT * FROM pstate('zed@example.com');
SELECT address, at, action, reason, done_by = current_user AS by_me
  FROM bounce.suppression_log ORDER BY id;
-- unsuppress ends a promoted address's streak too
SELECT bounce.unsuppress('bob@example.com', '2026-03-01 00:00+00');
SELECT * FROM pstate('bob@example.com');

-- COPY runs the same policy
COPY bounce.events (address, campaign, status, occurred_at) FROM STDIN (FORMAT csv);
copy1@example.com,c1,550 5.1.1 User unknown,2026-01-01 00:00+00
COPY2@example.com,c1,452 4.2.2 Mailbox full,2026-01-01 00:00+00
copy2@example.com,c2,452 4.2.2 Mailbox full,2026-01-02 00:00+00
\.
SELECT a.address, p.state, p.streak, p.soft, p.hard FROM bounce.addresses a,
       LATERAL pstate(a.address) p WHERE a.address LIKE 'copy%' ORDER BY 1;

-- every counter agrees with the event log
SELECT a.address, a.soft_total, a.hard_total, e.soft, e.hard
  FROM bounce.addresses a
  LEFT JOIN (SELECT address, count(*) FILTER (WHERE class = 'soft') AS soft,
                    count(*) FILTER (WHERE class = 'hard') AS hard
               FROM bounce.events GROUP BY address) e USING (address)
 WHERE a.soft_total <> coalesce(e.soft, 0) OR a.hard_total <> coalesce(e.hard, 0);

DROP FUNCTION pstate(text);
