-- dsn.sql - bounce.parse_dsn(): delivery status notifications, MTA bounce
-- texts, complaints and auto-replies, one row per recipient.
SET client_min_messages = warning;   -- same output whether or not it exists
CREATE EXTENSION IF NOT EXISTS bounce;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- A standard RFC 3464 report with two recipients: a failure and a delay
-- warning.  The delay is reported as such (action delayed, never hard).
CREATE TEMP TABLE msg (name text PRIMARY KEY, body text);
INSERT INTO msg VALUES ('postfix', $m$Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: sender@example.net
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
	boundary="3F2A81C0D2A.1715677964/mx.example.net"

This is a MIME-encapsulated message.

--3F2A81C0D2A.1715677964/mx.example.net
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

<alice@example.com>: host mx1.example.com[192.0.2.10] said: 550 5.1.1
    <alice@example.com>: Recipient address rejected: User unknown in virtual
    mailbox table (in reply to RCPT TO command)

--3F2A81C0D2A.1715677964/mx.example.net
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
Arrival-Date: Tue, 14 May 2024 09:12:40 +0000 (UTC)

Original-Recipient: rfc822;alice@example.com
Final-Recipient: rfc822; alice@example.com
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx1.example.com
Diagnostic-Code: smtp; 550 5.1.1 <alice@example.com>: Recipient address
    rejected: User unknown in virtual mailbox table
Last-Attempt-Date: Tue, 14 May 2024 09:12:44 +0000 (UTC)

Final-Recipient: rfc822; bob@example.org
Action: delayed
Status: 4.2.2
Remote-MTA: dns; mx.example.org
Diagnostic-Code: smtp; 452 4.2.2 Mailbox full
Last-Attempt-Date: Tue, 14 May 2024 09:12:44 +0000 (UTC)

--3F2A81C0D2A.1715677964/mx.example.net
Content-Type: text/rfc822-headers

From: Sender <sender@example.net>
To: alice@example.com, bob@example.org
Subject: Hello

--3F2A81C0D2A.1715677964/mx.example.net--
$m$);

SELECT recipient, original_recipient, action, status, class, reason
  FROM bounce.parse_dsn((SELECT body FROM msg WHERE name = 'postfix'));
SELECT recipient, remote_mta, reporting_mta, last_attempt, diagnostic
  FROM bounce.parse_dsn((SELECT body FROM msg WHERE name = 'postfix'));

-- Original-Recipient carries the ORCPT value, xtext-encoded (RFC 3461).
SELECT recipient, original_recipient
  FROM bounce.parse_dsn((SELECT replace(body, 'rfc822;alice@', 'rfc822;alice+2Bnews@')
                           FROM msg WHERE name = 'postfix'))
 WHERE action = 'failed';

-- The same message with CRLF and with bare CR line ends reads the same.
SELECT le, recipient, action, status::text, class, reason
  FROM (VALUES ('crlf', E'\r\n'), ('cr', E'\r')) AS v(le, sep),
       bounce.parse_dsn(replace((SELECT body FROM msg WHERE name = 'postfix'), E'\n', sep))
 ORDER BY le, recipient;

-- The status comes from the reply text, not from a generic Status field
-- the sending MTA made up; a Status alone is kept when there is no reply.
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: MAILER-DAEMON@relay.example.net
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="b"

--b
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; carol@example.com
Action: failed
Status: 4.0.0
Diagnostic-Code: smtp; 550 5.7.1 Client host blocked for spamming issues

Final-Recipient: rfc822; dave@example.com
Action: failed
Status: 4.4.1
Diagnostic-Code: X-Postfix; connect to mx.example.com[192.0.2.7]:25: Connection
    timed out
--b--
$m$);

-- Quoted-printable and base64 parts, nested multiparts, an mbox From line.
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From MAILER-DAEMON Tue May 14 09:12:44 2024
From: postmaster@example.org
Subject: Delivery Status Notification (Failure)
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: multipart/alternative; boundary="inner"

--inner
Content-Type: text/plain; charset=iso-8859-1
Content-Transfer-Encoding: quoted-printable

Delivery to erin@example.com failed.
--inner--
--outer
Content-Type: message/delivery-status
Content-Transfer-Encoding: base64

UmVwb3J0aW5nLU1UQTogZG5zOyBteC5leGFtcGxlLm9yZwoKRmluYWwtUmVjaXBpZW50OiByZmM4
MjI7IGVyaW5AZXhhbXBsZS5jb20KQWN0aW9uOiBmYWlsZWQKU3RhdHVzOiA1LjIuMgpEaWFnbm9z
dGljLUNvZGU6IHNtdHA7IDU1MiA1LjIuMiBNYWlsYm94IGZ1bGwK
--outer--
$m$);

-- A report whose fields sit in a quoted-printable text part, with soft
-- line breaks in the middle of names and values.
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: MAILER-DAEMON@example.com
Subject: Delivery Status Notification (Failure)
Content-Type: multipart/mixed; boundary="q"

--q
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: quoted-printable

Reporting-MTA=
: dns; a.example.com

Final-Recipient: rfc822; frank@example.com
Action: failed
Status: 5.=
3.0
Diagnostic-Code: smtp; 550 5.3.0 The recipi=
ent mailbox is disabled
--q--
$m$);

-- Plain-text bounces with no report part: qmail and Exim.
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: MAILER-DAEMON@mx.example.jp
Subject: failure notice

Hi. This is the qmail-send program at mx.example.jp.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<grace@example.ne.jp>:
192.0.2.32 does not like recipient.
Remote host said: 550 5.1.1 <grace@example.ne.jp>... User Unknown
Giving up on 192.0.2.32.

<heidi@example.ne.jp>:
Sorry, no mailbox here by that name. (#5.1.1)

--- Below this line is a copy of the message.

To: grace@example.ne.jp, heidi@example.ne.jp
$m$);
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: Mail Delivery System <Mailer-Daemon@e1.example.org>
To: ivan@example.jp
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: judy@example.ed.jp

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  judy@example.ed.jp
    SMTP error from remote mail server after RCPT TO:<judy@example.ed.jp>:
    host mx.example.ed.jp [192.0.2.20]: 452 4.2.2 <judy@example.ed.jp>... Mailbox is full

------ This is a copy of the message, including all the headers. ------

To: judy@example.ed.jp
$m$);

-- An ARF complaint gives reason feedback; an auto-reply gives vacation.
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: <abusedesk@example.com>
Subject: FW: Earn money
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report;
     boundary="part1_13d.2e68ed54_boundary"

--part1_13d.2e68ed54_boundary
Content-Type: text/plain; charset="US-ASCII"

This is an email abuse report.

--part1_13d.2e68ed54_boundary
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Rcpt-To: <mallory@example.com>
Reporting-MTA: dns; mail.example.com

--part1_13d.2e68ed54_boundary
Content-Type: message/rfc822

From: <somespammer@example.net>
To: <mallory@example.com>
Subject: Earn money

Spam Spam Spam

--part1_13d.2e68ed54_boundary--
$m$);
SELECT recipient, action, status, class, reason FROM bounce.parse_dsn($m$From: Niaj <niaj@example.com>
To: sender@example.net
Subject: Out of office: Hello
Auto-Submitted: auto-replied

I am away until Monday and will read your mail when I am back.
$m$);

-- Amazon SES notifications arrive as JSON (bounces, complaints, deliveries).
SELECT recipient, action, status, reporting_mta, class, reason FROM bounce.parse_dsn($m$From: SES <no-reply@sns.amazonaws.com>
Subject: AWS Notification Message
Content-Type: text/plain; charset=UTF-8

{"notificationType":"Bounce","bounce":{"bounceType":"Permanent","bouncedRecipients":[{"emailAddress":"rupert@example.com","action":"failed","status":"5.1.1","diagnosticCode":"smtp; 550 5.1.1 user unknown"},{"emailAddress":"sybil@example.com","action":"failed","status":"5.2.2","diagnosticCode":"smtp; 552 5.2.2 \"mailbox\" full"}],"reportingMTA":"dsn; a.example.com"},"mail":{"source":"sender@example.net"}}
$m$);
SELECT recipient, action, class, reason FROM bounce.parse_dsn($m$From: SES <no-reply@sns.amazonaws.com>
Subject: AWS Notification Message

{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"trent@example.com"}],"complaintFeedbackType":"abuse"},"mail":{"source":"sender@example.net"}}
$m$);

-- Not a bounce: no rows, never an error (a read receipt, a letter, junk).
SELECT count(*) AS rows FROM bounce.parse_dsn($m$From: Olivia <olivia@example.com>
To: peggy@example.net
Subject: lunch?

550 reasons to meet. Write to olivia@example.com.
$m$);
SELECT count(*) AS rows FROM bounce.parse_dsn($m$From: Olivia <olivia@example.com>
Subject: Read: lunch?
Content-Type: multipart/report; report-type=disposition-notification; boundary="r"

--r
Content-Type: message/disposition-notification

Reporting-UA: mail.example.com
Final-Recipient: rfc822; olivia@example.com
Disposition: manual-action/MDN-sent-manually; displayed
--r--
$m$);
SELECT count(*) AS rows FROM bounce.parse_dsn('');
SELECT count(*) AS rows FROM bounce.parse_dsn(E'--\n--\r\n\r\n: : ;;; Content-Type: multipart/report; boundary=""');

-- Raw bytes that are not UTF-8 are read as opaque bytes.
SELECT recipient, status, class, reason
  FROM bounce.parse_dsn(convert_to(E'Content-Type: multipart/report; boundary=x\n\n--x\nContent-Type: message/global-delivery-status\n\nFinal-Recipient: rfc822; quentin@example.de\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 unbekannter Empf\u00e4nger\n--x--\n', 'LATIN1'));

-- What the report says beyond the reply: the same "User unknown" answering
-- RCPT TO (a missing mailbox) or end of DATA (a filter refused the message
-- after the recipient was accepted); a local delivery program's failure.
SELECT recipient, status, class, reason
  FROM bounce.parse_dsn($m$From: MAILER-DAEMON@mx.example.net
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="c"

--c
Content-Type: text/plain

<rachel@example.com>: host mx.example.com[192.0.2.9] said: 550 User unknown
    (in reply to RCPT TO command)

<sam@example.com>: host mx.example.com[192.0.2.9] said: 550 User unknown
    (in reply to end of DATA command)

--c
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; rachel@example.com
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 User unknown

Final-Recipient: rfc822; sam@example.com
Action: failed
Status: 5.0.0
Diagnostic-Code: smtp; 550 User unknown

Final-Recipient: rfc822; tina@example.com
Action: failed
Status: 5.0.0
Diagnostic-Code: x-unix; procmail: Couldn't create "/var/mail/tina"
--c--
$m$);

-- The documented way in: keep the failures as events.
CREATE TEMP TABLE events (address text, campaign text,
                          status bounce.smtp_status, occurred_at timestamptz);
INSERT INTO events (address, campaign, status, occurred_at)
SELECT d.recipient, 'spring-sale', d.status, '2024-05-14 09:13:00+00'
  FROM bounce.parse_dsn((SELECT body FROM msg WHERE name = 'postfix')) d
 WHERE d.action = 'failed';
SELECT address, campaign, status FROM events;

-- Into the real event log: the address the sender used, and only rows that
-- name one.  A report whose addresses are no addresses (a..b, a 73-byte
-- local part, a domain starting with '-') gives NULL there, with the text
-- as written in recipient_raw, so the INSERT never fails on an address.
INSERT INTO msg VALUES ('odd-addresses', $m$From: MAILER-DAEMON@mx.example.net
Subject: Undelivered Mail Returned to Sender
Content-Type: multipart/report; report-type=delivery-status; boundary="o"

--o
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; a..b@example.com
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; a234567890123456789012345678901234567890123456789012345678901234567890123@example.com
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; x@-example.com
Action: failed
Status: 5.1.1

Original-Recipient: rfc822; Uma.Alias@Example.org
Final-Recipient: rfc822; uma@mail.example.org
Action: failed
Status: 5.1.1
--o--
$m$);
SELECT recipient, original_recipient, left(recipient_raw, 24) AS recipient_raw,
       original_recipient_raw, evidence
  FROM bounce.parse_dsn((SELECT body FROM msg WHERE name = 'odd-addresses'));
BEGIN;   -- (rolled back: the policy tests that follow start from an empty log)
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT coalesce(d.original_recipient, d.recipient), 'odd', d.status, '2024-05-14 09:13:00+00'
  FROM bounce.parse_dsn((SELECT body FROM msg WHERE name = 'odd-addresses')) d
 WHERE d.action = 'failed' AND coalesce(d.original_recipient, d.recipient) IS NOT NULL;
SELECT address, state FROM bounce.addresses WHERE address LIKE 'uma%';
ROLLBACK;

-- Which evidence named each row, for an audit of a suppression.
SELECT m.name, d.recipient, d.evidence
  FROM msg m, bounce.parse_dsn(m.body) d
 ORDER BY m.name, d.recipient COLLATE "C";
