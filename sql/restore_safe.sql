-- restore_safe.sql - nothing is accepted that a restore cannot bring back.
-- pg_dump writes smtp_status as text, so every other way in (the
-- constructor, binary receive, the statuses parse_dsn builds) must give
-- exactly what text input gives for the value's output; times and settings
-- must stay inside what the policy's arithmetic and timestamptz can hold.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
RESET client_min_messages;
SET search_path = bounce, public;
SET TimeZone = 'UTC';

-- The constructor refuses parts that text input would read differently.
\set VERBOSITY default
SELECT smtp_status(550, NULL, '4.2.2 x');          -- hard as built, soft after a text round trip
SELECT smtp_status(552, NULL, '5.1.1 x');          -- the reverse
SELECT smtp_status(550, NULL, '5.1.1.1 four parts');
SELECT smtp_status(550, '5.1.1', '550 5.1.1 said twice');   -- text input folds a repeated reply
SELECT smtp_status(NULL, '5.1.1', '.1 x') IS NOT NULL AS dot_text_is_fine;
SELECT smtp_status(550, '5.1.1', repeat('x', 1048577));   -- over text input's 1 MB
-- with the SQLSTATE
\set VERBOSITY sqlstate
SELECT smtp_status(550, NULL, '4.2.2 x');
\set VERBOSITY terse

-- Whatever the constructor accepts reads back from its text as the same
-- value, with the same class and reason.
CREATE TEMP TABLE built AS
SELECT smtp_status(c, e, m) AS s
  FROM (VALUES (550, '5.1.1', 'User unknown'), (550, NULL, 'User unknown'), (NULL, '4.2.2', 'full'),
               (452, NULL, NULL), (550, '5.1.1', 'see RFC 5321, 4.2.2 and 550'), (550, '5.1.1', 'smtp; x'),
               (421, '4.7.0', '  spaced   out  '), (550, '5.1.1', E'multi\nline\r\ntext'),
               (550, '5.1.1', '#5.1.1 qmail style'), (554, NULL, '- dash'),
               (550, '5.1.1', repeat('y', 1048576 - 10))) AS v(c, e, m);
SELECT count(*) AS built,
       count(*) FILTER (WHERE s::text::smtp_status = s
                          AND classify(s::text::smtp_status) = classify(s)
                          AND reason(s::text::smtp_status) = reason(s)) AS read_back_same
  FROM built;

-- Binary receive: the same rule, and the bytes must be valid in the
-- database encoding, as text input requires.  Payloads are crafted as a
-- bytea column (its binary form is the raw bytes) and read as smtp_status.
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE raw_status (s smtp_status);
-- version 1, code 550, no enhanced code, text "4.2.2 x"
INSERT INTO raw VALUES ('\x0102260000000000'::bytea || convert_to('4.2.2 x', 'UTF8'));
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
-- text with an invalid byte, a UTF-16 surrogate, an overlong form
TRUNCATE raw; INSERT INTO raw VALUES ('\x010226050001000141ff42');
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
TRUNCATE raw; INSERT INTO raw VALUES ('\x01022605000100014eeda080');
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
TRUNCATE raw; INSERT INTO raw VALUES ('\x01022605000100014ec0af');
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
-- text over 1 MB
TRUNCATE raw; INSERT INTO raw VALUES ('\x0102260500010001'::bytea || convert_to(repeat('z', 1048576), 'UTF8'));
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
-- valid multibyte text is accepted and reads back
TRUNCATE raw; INSERT INTO raw VALUES ('\x0102260500010001'::bytea || convert_to('Benutzer unbekannt: müller', 'UTF8'));
\copy raw TO 'results/raw_safe.bin' WITH (FORMAT binary)
\copy raw_status FROM 'results/raw_safe.bin' WITH (FORMAT binary)
SELECT s, s::text::smtp_status = s AS read_back_same FROM raw_status;

-- parse_dsn cuts an over-long Diagnostic-Code to what text input accepts,
-- at a character boundary, and what it returns reads back unchanged.
SELECT length(d.status::text) AS status_length, d.status::text::smtp_status = d.status AS read_back_same,
       right(d.status::text, 3) AS ends_with, d.class, d.reason
  FROM parse_dsn('From: MAILER-DAEMON@mx.example.net
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: text/plain

Delivery failed.
--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; long@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 ' || repeat('é', 600000) || '
--b--
') d;
SELECT d.status, d.status::text::smtp_status = d.status AS read_back_same
  FROM parse_dsn('From: MAILER-DAEMON@mx.example.net
Subject: Delivery Status Notification (Failure)
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; twice@example.com
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 5.1.1 user unknown
--b--
') d;

-- A bounce whose retry would fall past the end of timestamptz is refused,
-- and nothing of its statement is kept; a hard bounce there needs no retry.
INSERT INTO events (address, campaign, status, occurred_at)
VALUES ('edge.soft@example.com', 'c', '452 4.2.2 Mailbox full', '294276-12-30 00:00+00');
SELECT count(*) AS half_written FROM addresses WHERE address = 'edge.soft@example.com';
INSERT INTO events (address, campaign, status, occurred_at)
VALUES ('edge.hard@example.com', 'c', '550 5.1.1 User unknown', '294276-12-30 00:00+00');
SELECT state, suppressed_at, next_retry_at FROM addresses WHERE address = 'edge.hard@example.com';
INSERT INTO events (address, campaign, status, occurred_at)
VALUES ('edge.late@example.com', 'c', '421 4.7.0 Try later', '294276-12-01 00:00+00');
SELECT state, next_retry_at FROM addresses WHERE address = 'edge.late@example.com';

-- Settings that the policy's arithmetic cannot hold are refused (23514):
-- no clamping, which would change the policy without saying so.
UPDATE config SET reset_window = '1000000 years';
UPDATE config SET backoff_base = '200 years', backoff_cap = '200 years';
UPDATE config SET backoff_cap = '101 years';
UPDATE reason_policy SET retry_after = '200000 years', retry_max = '200000 years' WHERE reason = 'mailboxfull';
-- the largest allowed values work end to end
BEGIN;
UPDATE config SET reset_window = '100 years', backoff_base = '100 years', backoff_cap = '100 years';
UPDATE reason_policy SET retry_after = '100 years', retry_max = '100 years' WHERE reason = 'mailboxfull';
INSERT INTO events (address, campaign, status, occurred_at)
VALUES ('long.delays@example.com', 'c', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
       ('long.delays@example.com', 'd', '421 4.7.0 Try later', '2026-01-02 00:00+00');
SELECT r.campaign, r.reason, r.next_retry_at FROM retries r WHERE r.address = 'long.delays@example.com' ORDER BY 1;
ROLLBACK;
