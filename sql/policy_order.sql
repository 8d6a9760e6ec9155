-- policy_order.sql - the outcome of a history does not depend on how it is
-- cut into statements or in which order the statements arrive: each
-- history below goes in four ways (one statement; one statement per entry
-- in time order; in reverse; shuffled) under four addresses, and the four
-- states must be equal.  And a late, older bounce never rewinds a retry.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
RESET client_min_messages;
SET timezone = 'UTC';

-- a history: kind ('b' bounce, 'd' delivery), campaign, reply, time
CREATE TEMP TABLE history (h int, n int, kind text, campaign text, reply text, at timestamptz);
INSERT INTO history VALUES
    -- two soft bounces of one campaign (the issue's rewound retry)
    (1, 1, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    (1, 2, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-03 00:00+00'),
    -- soft bounces, a delivery that ends the streak, more, then a hard one
    (2, 1, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    (2, 2, 'b', 'c2', '421 4.7.0 Try again later', '2026-01-02 00:00+00'),
    (2, 3, 'd', 'c3', NULL, '2026-01-03 00:00+00'),
    (2, 4, 'b', 'c4', '452 4.2.2 Mailbox full', '2026-01-04 00:00+00'),
    (2, 5, 'b', 'c5', '550 5.1.1 User unknown', '2026-01-05 00:00+00'),
    (2, 6, 'b', 'c6', '452 4.2.2 Mailbox full', '2026-01-06 00:00+00'),
    -- three campaigns in a row (a promotion), then a delivery lifts it
    (3, 1, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    (3, 2, 'b', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00'),
    (3, 3, 'b', 'c3', '452 4.2.2 Mailbox full', '2026-01-03 00:00+00'),
    (3, 4, 'd', 'c3', NULL, '2026-01-04 00:00+00'),
    (3, 5, 'b', 'c4', '452 4.2.2 Mailbox full', '2026-01-05 00:00+00'),
    -- a promotion, then a hard bounce: for good, the later delivery lifts nothing
    (4, 1, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    (4, 2, 'b', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00'),
    (4, 3, 'b', 'c3', '452 4.2.2 Mailbox full', '2026-01-03 00:00+00'),
    (4, 4, 'b', 'c4', '550 5.1.1 User unknown', '2026-01-04 00:00+00'),
    (4, 5, 'd', 'c9', NULL, '2026-01-05 00:00+00'),
    -- entries of the same time: bounce, then delivery
    (5, 1, 'd', 'c1', NULL, '2026-01-02 00:00+00'),
    (5, 2, 'b', 'c1', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00'),
    (5, 3, 'b', 'c2', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00');

-- way w of history h goes to address hH-wW@example.com
CREATE FUNCTION put(h int, w int, k text, c text, r text, t timestamptz) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF k = 'b' THEN
        INSERT INTO bounce.events (address, campaign, status, occurred_at)
        VALUES (format('h%s-w%s@example.com', h, w), c, r::bounce.smtp_status, t);
    ELSE
        INSERT INTO bounce.deliveries (address, campaign, delivered_at)
        VALUES (format('h%s-w%s@example.com', h, w), c, t);
    END IF;
END $$;

-- way 1: one statement per log table (all bounces, then all deliveries)
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT format('h%s-w1@example.com', h), campaign, reply::bounce.smtp_status, at
  FROM history WHERE kind = 'b';
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
SELECT format('h%s-w1@example.com', h), campaign, at FROM history WHERE kind = 'd';
-- way 2: an entry per statement, in time order; way 3: in reverse;
-- way 4: in a fixed shuffled order (by md5 of the entry)
DO $$
DECLARE x record;
BEGIN
    FOR x IN SELECT * FROM history ORDER BY h, at, kind DESC, n LOOP
        PERFORM put(x.h, 2, x.kind, x.campaign, x.reply, x.at);
    END LOOP;
    FOR x IN SELECT * FROM history ORDER BY h, at DESC, kind, n DESC LOOP
        PERFORM put(x.h, 3, x.kind, x.campaign, x.reply, x.at);
    END LOOP;
    FOR x IN SELECT * FROM history ORDER BY h, md5(n::text || kind) LOOP
        PERFORM put(x.h, 4, x.kind, x.campaign, x.reply, x.at);
    END LOOP;
END $$;

-- the four ways give one state per history (and one set of retries)
CREATE FUNCTION state_of(a text) RETURNS text LANGUAGE sql AS $$
    SELECT (s.state, s.consecutive_soft, s.soft_total, s.hard_total, s.first_bounce_at,
            s.last_bounce_at, s.last_soft_at, s.last_soft_campaign, s.last_delivery_at,
            s.next_retry_at, s.suppressed_at, s.suppressed_reason, s.promoted_at,
            s.unsuppressed_at, s.last_entry_at)::text
           || ' retries ' || coalesce((SELECT string_agg((r.campaign, r.reason, r.attempts,
                   r.last_bounce_at, r.next_retry_at)::text, ', ' ORDER BY r.campaign)
                   FROM bounce.retries r WHERE r.address = a), '-')
      FROM bounce.addresses s WHERE s.address = a
$$;
SELECT h, count(DISTINCT state_of(format('h%s-w%s@example.com', h, w))) AS distinct_states
  FROM generate_series(1, 5) h, generate_series(1, 4) w GROUP BY h ORDER BY h;
-- what they are
SELECT h, a.state, a.consecutive_soft AS streak, a.soft_total, a.hard_total,
       a.suppressed_reason, a.next_retry_at,
       (SELECT string_agg(r.campaign || ':' || r.attempts, ' ' ORDER BY r.campaign)
          FROM bounce.retries r WHERE r.address = a.address) AS retries
  FROM generate_series(1, 5) h
  JOIN bounce.addresses a ON a.address = format('h%s-w1@example.com', h)
 ORDER BY h;

-- a retry handed out is not handed out again by a late, older bounce, and
-- its next attempt never comes before the last failure
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('late@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-10 00:00+00');
SELECT address, campaign, failures, due_at FROM bounce.due_retries(1000, '2026-02-01 00:00+00')
 WHERE address = 'late@example.com';
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('late@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-05 00:00+00');
SELECT attempts, last_bounce_at, next_retry_at, next_retry_at > last_bounce_at AS after_last_failure,
       handed_out_at IS NOT NULL AS still_handed_out
  FROM bounce.retries WHERE address = 'late@example.com';
SELECT address FROM bounce.due_retries(1000, '2026-02-01 00:00+00') WHERE address = 'late@example.com';
-- a newer failure arms it again
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('late@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-20 00:00+00');
SELECT address, campaign, failures, due_at FROM bounce.due_retries(1000, '2026-03-01 00:00+00')
 WHERE address = 'late@example.com';

-- manual changes dated in the past are log entries like the others: an
-- unsuppress older than a complaint does not lift the complaint
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('manual@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00');
INSERT INTO bounce.events (address, campaign, occurred_at, class, reason)
VALUES ('manual@example.com', 'c2', '2026-01-05 00:00+00', 'none', 'feedback');
SELECT bounce.unsuppress('manual@example.com', '2026-01-03 00:00+00');
SELECT state, suppressed_reason, suppressed_at, unsuppressed_at
  FROM bounce.addresses WHERE address = 'manual@example.com';

-- a statement beyond bounce.fold_work_mem folds its addresses again from
-- the log: the same states
SET bounce.fold_work_mem = 64;
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT format('big%s@example.com', g % 50), 'c' || (g % 7),
       (ARRAY['452 4.2.2 Mailbox full', '550 5.1.1 User unknown', '421 4.7.0 Later'])[1 + g % 3]::bounce.smtp_status,
       '2026-01-01 00:00+00'::timestamptz + g * interval '1 hour'
  FROM generate_series(1, 3000) g;
RESET bounce.fold_work_mem;
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT format('small%s@example.com', g % 50), 'c' || (g % 7),
       (ARRAY['452 4.2.2 Mailbox full', '550 5.1.1 User unknown', '421 4.7.0 Later'])[1 + g % 3]::bounce.smtp_status,
       '2026-01-01 00:00+00'::timestamptz + g * interval '1 hour'
  FROM generate_series(1, 3000) g;
SELECT count(*) AS addresses,
       count(*) FILTER (WHERE state_of(format('big%s@example.com', i)) = state_of(format('small%s@example.com', i))) AS equal
  FROM generate_series(0, 49) i;

DROP FUNCTION put(int, int, text, text, text, timestamptz);
DROP FUNCTION state_of(text);
