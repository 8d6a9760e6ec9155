-- test/demo.sql - a tour of bounce, run by test/demo on a throwaway cluster.
\pset footer off
\echo '== CREATE EXTENSION bounce'
CREATE EXTENSION bounce;

\echo '== A reply as a value: parsed, canonical, with accessors'
SELECT s AS status, bounce.code(s), bounce.enhanced(s), bounce.message(s)
FROM (SELECT '550-5.1.1 The email account does not exist. 550 5.1.1 Please try again'::bounce.smtp_status AS s) x;

\echo '== Hard or soft, why, and what to do'
SELECT r AS reply, e.class, e.reason, e.action, e.retry_after, e.rule
FROM (VALUES ('550 5.1.1 <jane@example.com>: User unknown'),
             ('552 5.2.2 Mailbox full'),
             ('550 5.7.1 blocked using zen.spamhaus.org'),
             ('450 4.2.1 Greylisted, try again later'),
             ('550 5.1.1 too many recipients this hour'),
             ('Sorry, no mailbox here by that name. (#5.1.1)')) v(r),
     LATERAL bounce.explain(r) e;

\echo '== Bad input is refused with SQLSTATE 22P02'
\set ON_ERROR_STOP 0
\set VERBOSITY verbose
SELECT 'hello world'::bounce.smtp_status;
\set ON_ERROR_STOP 1

\echo '== A bounce email, parsed: one row per recipient (RFC 3464 DSN)'
SELECT recipient, action, status, class, reason, remote_mta
FROM bounce.parse_dsn($mail$From: MAILER-DAEMON@mx.example.net
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"

--B1
Content-Type: text/plain

Your message could not be delivered to one or more recipients.

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; alice@example.com
Action: failed
Status: 5.0.0
Remote-MTA: dns; mx1.example.com
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.com>: Recipient address
    rejected: User unknown in virtual mailbox table

Final-Recipient: rfc822; bob@example.org
Action: delayed
Status: 4.2.2
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full

--B1--
$mail$);

\echo '== Not a bounce: no rows, no error'
SELECT count(*) FROM bounce.parse_dsn('From: a@example.com
Subject: hello

just a letter');

\echo '== Bounces drive per-address state (times from the events)'
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
  ('Jane@Example.com',     'spring-sale', '550 5.1.1 <jane@example.com>: User unknown', '2026-03-01 10:00+00'),
  ('<bob@example.org>',    'spring-sale', '452 4.2.2 Mailbox full',                     '2026-03-01 10:00+00'),
  ('carol@example.net',    'spring-sale', '421 4.7.0 Try again later',                  '2026-03-01 10:00+00'),
  ('carol@example.net',    'april-news',  '421 4.7.0 Try again later',                  '2026-04-01 10:00+00'),
  ('dave@example.com',     'spring-sale', '450 4.2.1 Greylisted, try again later',      '2026-03-01 10:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at) VALUES
  ('erin@example.com', 'spring-sale', '2026-03-01 10:00+00'),
  ('frank@example.com', 'spring-sale', '2026-03-01 10:00+00');
SELECT address, state, consecutive_soft, soft_total, hard_total, next_retry_at, suppressed_reason
FROM bounce.addresses ORDER BY address;
SELECT bounce.is_suppressed('JANE@example.com') AS jane_suppressed;

\echo '== A third soft bounce in a row promotes carol to hard'
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('carol@example.net', 'may-news', '421 4.7.0 Try again later', '2026-05-01 10:00+00');
SELECT address, state, consecutive_soft, suppressed_reason FROM bounce.addresses WHERE address = 'carol@example.net';

\echo '== Retries due, handed out once even to many workers'
SELECT * FROM bounce.due_retries(10, '2026-12-31');

\echo '== Campaign metrics (hard rate over 2% is flagged)'
SELECT * FROM bounce.campaign_stats ORDER BY campaign;

\echo '== Policy is one UPDATE away: IP blocks alert instead of suppressing'
UPDATE bounce.reason_policy SET action = 'alert' WHERE reason = 'blocked';
SELECT class, reason, action FROM bounce.explain('554 5.7.1 Client host blocked using zen.spamhaus.org');

\echo '== A bad address leaves nothing half-written'
\set ON_ERROR_STOP 0
INSERT INTO bounce.events (address, campaign, status) VALUES
  ('ok@example.com', 'x', '550 5.1.1 unknown'), ('not an address', 'x', '550 5.1.1 unknown');
\set ON_ERROR_STOP 1
SELECT count(*) AS rows_for_ok FROM bounce.events WHERE address = 'ok@example.com';
