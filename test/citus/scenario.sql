-- test/citus/scenario.sql - the policy scenarios test/checks/citus runs on a
-- single node and on a distributed install: the outputs must be the same.
-- Fixed times, so that both runs write the same rows.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET timezone = 'UTC';

-- a hard bounce suppresses; soft bounces promote at the threshold
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('hard@example.com', 'spring', '550 5.1.1 <hard@example.com>: User unknown', '2026-01-01 10:00+00'),
    ('soft@example.com', 'spring', '452 4.2.2 Mailbox full', '2026-01-01 10:00+00'),
    ('soft@example.com', 'spring', '452 4.2.2 Mailbox full', '2026-01-02 10:00+00'),
    ('soft@example.com', 'summer', '452 4.2.2 Mailbox full', '2026-01-03 10:00+00'),
    ('grey@example.org', 'spring', '450 4.7.1 Greylisted, try again later', '2026-01-01 10:00+00');
SELECT address, state, consecutive_soft, soft_total, hard_total, suppressed_reason
  FROM bounce.addresses ORDER BY address;
SELECT bounce.is_suppressed('hard@example.com') AS hard, bounce.is_suppressed('soft@example.com') AS soft,
       bounce.is_suppressed('grey@example.org') AS grey, bounce.is_suppressed('nobody@example.com') AS nobody;

-- a delivery resets the soft streak
INSERT INTO bounce.deliveries (address, campaign, delivered_at) VALUES
    ('grey@example.org', 'spring', '2026-01-02 10:00+00');
SELECT address, state, consecutive_soft, last_delivery_at FROM bounce.addresses
 WHERE address = 'grey@example.org';

-- by hand, also from a query over a table of one's own
SELECT bounce.suppress('manual@example.com', 'asked', '2026-01-04 00:00+00');
CREATE TEMP TABLE asked (email text);
INSERT INTO asked VALUES ('asked1@example.com'), ('asked2@example.com'), ('asked3@example.net');
SELECT email, bounce.suppress(email, 'asked', '2026-01-04 00:00+00') FROM asked ORDER BY email;
SELECT bounce.unsuppress(email, '2026-01-04 00:05+00') FROM asked WHERE email LIKE 'asked3%';
SELECT bounce.suppress('manual@example.com', 'asked again', '2026-01-04 00:01+00');
SELECT bounce.unsuppress('hard@example.com', '2026-01-05 00:00+00');
SELECT bounce.unsuppress('nobody@example.com', '2026-01-05 00:00+00');
SELECT address, action, reason, at FROM bounce.suppression_log ORDER BY address, at;

-- policy changes reach the fold
UPDATE bounce.reason_policy SET action = 'ignore' WHERE reason = 'mailboxfull' AND class = 'soft';
UPDATE bounce.config SET soft_threshold = 5;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('full@example.net', 'summer', '452 4.2.2 Mailbox full', '2026-01-06 10:00+00'),
    ('full@example.net', 'summer', '452 4.2.2 Mailbox full', '2026-01-07 10:00+00'),
    ('full@example.net', 'summer', '452 4.2.2 Mailbox full', '2026-01-08 10:00+00');
SELECT address, state, consecutive_soft, soft_total FROM bounce.addresses WHERE address = 'full@example.net';
UPDATE bounce.reason_policy SET action = 'suppress' WHERE reason = 'mailboxfull' AND class = 'soft';
UPDATE bounce.config SET soft_threshold = 3;

-- a webhook
SELECT bounce.ingest_webhook('{"eventType": "Bounce", "mail": {"messageId": "m-1", "timestamp": "2026-01-09T10:00:00Z"},
  "bounce": {"bounceType": "Permanent", "bounceSubType": "General", "feedbackId": "f-1", "timestamp": "2026-01-09T10:00:00Z",
   "bouncedRecipients": [{"emailAddress": "Hook@Example.com", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 user unknown"}]}}'::jsonb);
SELECT address, state, hard_total FROM bounce.addresses WHERE address = 'hook@example.com';

-- retries, the state check and the metrics
SELECT address, campaign, reason, attempts, next_retry_at FROM bounce.retries ORDER BY address, campaign;
SELECT * FROM bounce.due_retries(2, '2026-03-01 00:00+00');
SELECT * FROM bounce.due_retries(100, '2026-03-01 00:00+00');
SELECT * FROM bounce.due_retries(100, '2026-03-01 00:00+00');
SELECT * FROM bounce.verify();
SELECT bounce.rebuild();
SELECT * FROM bounce.campaign_stats ORDER BY campaign;
SELECT * FROM bounce.domain_stats ORDER BY campaign, domain;
SELECT * FROM bounce.soft_to_hard;

-- retention: the state stays, the old log goes
SELECT bounce.prune('2026-01-03 00:00+00');
SELECT * FROM bounce.verify();
SELECT address, state, consecutive_soft, soft_total, hard_total FROM bounce.addresses ORDER BY address;
SELECT count(*) FROM bounce.events;

-- erasure: a suppressed address leaves only its keyed hash, and a later
-- bounce starts a fresh history, suppressed
-- (several calls in one statement: each reaches its address's node)
SELECT bounce.forget('soft@example.com') AS forgot_suppressed, bounce.forget('grey@example.org') AS forgot_active,
       bounce.forget('nobody@example.com') AS forgot_nothing;
SELECT bounce.is_suppressed('soft@example.com') AS soft, bounce.is_suppressed('grey@example.org') AS grey;
SELECT count(*) AS rows_left FROM bounce.events WHERE address IN ('soft@example.com', 'grey@example.org');
SELECT count(*) AS hashes FROM bounce.forgotten;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('soft@example.com', 'autumn', '450 4.2.1 Greylisted', '2026-01-20 10:00+00');
SELECT address, state, soft_total FROM bounce.addresses WHERE address = 'soft@example.com';
SELECT address, action, reason FROM bounce.suppression_log WHERE address = 'soft@example.com';
SELECT count(*) AS hashes FROM bounce.forgotten;
SELECT bounce.forget('manual@example.com');
SELECT bounce.unsuppress('manual@example.com', '2026-02-02 00:00+00') AS unsuppressed_forgotten;
SELECT bounce.is_suppressed('manual@example.com') AS manual;
SELECT * FROM bounce.verify();

-- VERP: the settings and the key, read from the reference tables' placement
UPDATE bounce.config SET verp_return = 'bounces@lists.example.org', verp_require_signed = true;
SELECT * FROM bounce.verp_recipient(ARRAY[bounce.verp_encode('bounces', 'Jane@Example.com', 'lists.example.org', true)]);
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com@lists.example.org']);
SELECT recipient, original_recipient, evidence, class, reason
  FROM bounce.parse_dsn(pg_catalog.format(E'From: MAILER-DAEMON@mx.example.net\r\nTo: %s\r\n'
      'Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <verp-1@mx.example.net>\r\n\r\n'
      'This is the mail system at host mx.example.net.\r\n\r\n'
      '<jane@example.com>: host mx.example.com said: 550 5.1.1 User unknown\r\n',
      bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', true)));
UPDATE bounce.config SET verp_return = NULL, verp_require_signed = false;
