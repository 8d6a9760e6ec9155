-- verp_reader.sql - parse_dsn() reads the VERP return address a notice was
-- sent to, under bounce.config.verp_return: off by default; unsigned,
-- signed, forged, case-mangled, malformed and conflicting addresses; a
-- notice naming no recipient or another one; signatures required; not
-- VERP; bounce.verp_recipient(); a role that can read neither the config
-- nor the key; the config's checks and its restore guard.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
SET timezone = 'UTC';
\set VERBOSITY default

-- a known key: jane@example.com's tag is 4vhm3auf33 (see sender.sql)
INSERT INTO bounce.secrets (name, value) VALUES ('verp', convert_to('0123456789abcdef0123456789abcdef', 'UTF8'));

-- A plain-text bounce to the return path 'rp', about 'named' (no
-- recipient line when NULL), with extra header lines 'hdrs'.
CREATE FUNCTION pg_temp.notice(rp text, named text, hdrs text DEFAULT '') RETURNS text
LANGUAGE sql AS $$
SELECT 'Return-Path: <>' || E'\n' || hdrs ||
       'From: MAILER-DAEMON@mx.example.net (Mail Delivery System)' || E'\n' ||
       'To: ' || rp || E'\n' ||
       'Subject: Undelivered Mail Returned to Sender' || E'\n' ||
       'Message-ID: <n-' || md5(rp || coalesce(named, '') || hdrs) || '@mx.example.net>' || E'\n\n' ||
       'This is the mail system at host mx.example.net.' || E'\n\n' ||
       CASE WHEN named IS NULL
            THEN 'A message that you sent could not be delivered.' || E'\n'
            ELSE '<' || named || '>: host mx.example.com said: 550 5.1.1 no such user' || E'\n'
       END
$$;

-- An RFC 3464 report to 'rp' with one block per element of 'finals'
-- (Original-Recipient 'orig' on the first).
CREATE FUNCTION pg_temp.report(rp text, finals text[], orig text DEFAULT NULL) RETURNS text
LANGUAGE sql AS $$
SELECT 'From: MAILER-DAEMON@mx.example.net' || E'\n' ||
       'To: ' || rp || E'\n' ||
       'Subject: Delivery Status Notification (Failure)' || E'\n' ||
       'Content-Type: multipart/report; report-type=delivery-status; boundary="b"' || E'\n\n' ||
       '--b' || E'\n' || 'Content-Type: message/delivery-status' || E'\n\n' ||
       'Reporting-MTA: dns; mx.example.net' || E'\n' ||
       (SELECT string_agg(E'\n' ||
                CASE WHEN i = 1 AND orig IS NOT NULL THEN 'Original-Recipient: rfc822;' || orig || E'\n' ELSE '' END ||
                'Final-Recipient: rfc822; ' || f || E'\n' ||
                'Action: failed' || E'\n' || 'Status: 5.1.1' || E'\n' ||
                'Diagnostic-Code: smtp; 550 5.1.1 user unknown' || E'\n', '' ORDER BY i)
          FROM unnest(finals) WITH ORDINALITY AS u(f, i)) ||
       E'\n--b--\n'
$$;

-- ---------------------------------------------------------------------------
-- Off by default: the VERP address in To is not read
-- ---------------------------------------------------------------------------

SELECT verp_return, verp_require_signed FROM bounce.config;
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com@lists.example.org', 'jane.doe@example.net'));
SELECT count(*) AS rows_naming_nobody_as_today
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com@lists.example.org', NULL))
 WHERE recipient IS NULL AND evidence = 'notice';
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com@lists.example.org']);

-- ---------------------------------------------------------------------------
-- On: the return path of our verp_encode() calls
-- ---------------------------------------------------------------------------

UPDATE bounce.config SET verp_return = 'bounces@lists.example.org';

-- unsigned: the notice names a forwarded address; the VERP address is the
-- one we sent to, so it is original_recipient (the address the sender
-- used), and the notice's own stays in recipient and recipient_raw
SELECT recipient, original_recipient, recipient_raw, original_recipient_raw, evidence, class, reason
  FROM bounce.parse_dsn(pg_temp.notice(bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org'),
                                       'jane.doe@example.net'));
-- a notice naming no recipient: the VERP address names it
SELECT recipient, original_recipient, recipient_raw, evidence, action, class
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com@lists.example.org', NULL));
-- the notice names the same address: still evidence verp
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('<bounces+jane=example.com@lists.example.org>', 'jane@example.com'));
-- specials of the local part round-trip
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice(bounce.verp_encode('bounces', 'a+b=c@example.com', 'lists.example.org'), NULL));

-- signed, good; and case-mangled by an MTA (the tag reads in any case)
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', 'jane.doe@example.net'));
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('BOUNCES+JANE=EXAMPLE.COM+4VHM3AUF33@LISTS.EXAMPLE.ORG', NULL));
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('Bounces+Jane=Example.Com+4vHm3AuF33@Lists.Example.Org', 'jane@example.com'));

-- signed, forged or altered: no row at all, whatever the notice names
SELECT x AS notice_to, (SELECT count(*) FROM bounce.parse_dsn(pg_temp.notice(x, 'jane@example.com'))) AS rows
  FROM (VALUES ('bounces+jane=example.com+4vhm3auf34@lists.example.org'),   -- a wrong tag character
               ('bounces+john=example.com+4vhm3auf33@lists.example.org'),   -- jane's tag on john
               ('bounces+jane=example.com+aaaaaaaaaa@lists.example.org'),   -- a guess
               ('bounces+jane=example.com+4vhm3auf3@lists.example.org'),    -- truncated
               ('bounces+jane=example.com+4vhm3auf333@lists.example.org'),  -- padded
               ('bounces+jane=example.org+4vhm3auf33@lists.example.org'),   -- the domain changed
               ('bounces+garbage@lists.example.org'),                       -- no VERP at all
               ('bounces+jane=6a=example.com@lists.example.org'),           -- not the canonical escape
               ('bounces+@lists.example.org')) AS t(x);

-- not VERP, or not ours: read as today (the prose's recipient, evidence prose)
SELECT x AS notice_to, d.recipient, d.original_recipient, d.evidence
  FROM (VALUES ('sender@example.net'),
               ('bounces@lists.example.org'),                               -- the bare return path
               ('postmaster@lists.example.org'),                            -- another mailbox there
               ('bounces+jane=example.com@other.example.org'),              -- another return domain
               ('news+jane=example.com@lists.example.org'),                 -- another return local part
               ('bouncesx+jane=example.com@lists.example.org')) AS t(x),
       LATERAL bounce.parse_dsn(pg_temp.notice(x, 'jane.doe@example.net')) d;

-- where the MTA wrote it: Delivered-To and X-Original-To count as To does
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces@lists.example.org', 'x@example.net',
                        'Delivered-To: bounces+jane=example.com+4vhm3auf33@lists.example.org' || E'\n'));
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('sender@example.net', NULL,
                        'X-Original-To: bounces+jane=example.com@lists.example.org' || E'\n'));
-- two that agree (in different case) are one; two that disagree: no row
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL,
                        'Delivered-To: BOUNCES+JANE=EXAMPLE.COM@LISTS.EXAMPLE.ORG' || E'\n'));
SELECT count(*) AS conflicting
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com@lists.example.org', 'jane@example.com',
                        'Delivered-To: bounces+john=example.com@lists.example.org' || E'\n'));
-- one forged address among good ones refuses the notice
SELECT count(*) AS one_forged
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', 'jane@example.com',
                        'Delivered-To: bounces+jane=example.com+4vhm3auf34@lists.example.org' || E'\n'));

-- a report: every block is about the one message we sent to jane, so
-- every row has her as original_recipient; the report's own
-- Original-Recipient stays in original_recipient_raw
SELECT recipient, original_recipient, original_recipient_raw, evidence
  FROM bounce.parse_dsn(pg_temp.report('bounces+jane=example.com+4vhm3auf33@lists.example.org',
                                       ARRAY['jane@new.example.net', 'jane@backup.example.net'],
                                       'jane@old.example.net'));

-- an mbox: each mail is decided on its own
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn('From MAILER-DAEMON Tue May 14 09:12:44 2024' || E'\n' ||
                        pg_temp.notice('bounces+john=example.com+4vhm3auf33@lists.example.org', 'john@example.com') ||
                        E'\nFrom MAILER-DAEMON Tue May 14 09:12:45 2024\n' ||
                        pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL) ||
                        E'\nFrom MAILER-DAEMON Tue May 14 09:12:46 2024\n' ||
                        pg_temp.notice('sender@example.net', 'kim@example.com'));
-- the bytea variant reads the same
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(convert_to(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL), 'UTF8'));

-- what bounce.events gets from the README's INSERT: the VERP recipient
CREATE TEMP TABLE got AS
SELECT coalesce(d.original_recipient, d.recipient) AS address, d.class, d.reason
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', 'jane.doe@example.net')) d
 WHERE d.action = 'failed';
SELECT * FROM got;

-- ---------------------------------------------------------------------------
-- Signatures required
-- ---------------------------------------------------------------------------

UPDATE bounce.config SET verp_require_signed = true;
SELECT x AS notice_to, (SELECT string_agg(coalesce(original_recipient, recipient, '-') || ' ' || evidence, ', ')
                          FROM bounce.parse_dsn(pg_temp.notice(x, 'jane.doe@example.net'))) AS rows
  FROM (VALUES ('bounces+jane=example.com+4vhm3auf33@lists.example.org'),   -- signed: read
               ('bounces+jane=example.com@lists.example.org'),              -- unsigned: no row
               ('bounces@lists.example.org'),                               -- the bare return path: no row
               ('sender@example.net')) AS t(x);                             -- not ours: as today
-- an unsigned one next to a signed one is a forgery too; the bare return
-- path next to a signed one is how an alias delivers it
SELECT count(*) AS unsigned_beside_signed
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL,
                        'Delivered-To: bounces+jane=example.com@lists.example.org' || E'\n'));
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL,
                        'Delivered-To: bounces@lists.example.org' || E'\n'));
UPDATE bounce.config SET verp_require_signed = false;

-- ---------------------------------------------------------------------------
-- bounce.verp_recipient(): the decision itself, for bounce-ingest and others
-- ---------------------------------------------------------------------------

SELECT a AS notice_to, r.recipient, r.verdict
  FROM (VALUES (ARRAY['bounces+jane=example.com@lists.example.org']),
               (ARRAY[' <Bounces+Jane=Example.com+4VHM3AUF33@Lists.Example.ORG> ']),
               (ARRAY['sender@example.net', NULL, 'bounces+jane=example.com@lists.example.org']),
               (ARRAY['bounces+jane=example.com+4vhm3auf34@lists.example.org']),
               (ARRAY['bounces+jane=example.com@lists.example.org', 'bounces+john=example.com@lists.example.org']),
               (ARRAY['bounces@lists.example.org']),
               (ARRAY['not an address', '', 'bounces+jane=example.com']),
               (ARRAY[]::text[]),
               (ARRAY[NULL]::text[])) AS t(a),
       LATERAL bounce.verp_recipient(a) r;
SELECT * FROM bounce.verp_recipient(NULL);
UPDATE bounce.config SET verp_require_signed = true;
SELECT a AS notice_to, r.recipient, r.verdict
  FROM (VALUES (ARRAY['bounces+jane=example.com@lists.example.org']),
               (ARRAY['bounces@lists.example.org']),
               (ARRAY['bounces@lists.example.org', 'bounces+jane=example.com+4vhm3auf33@lists.example.org']),
               (ARRAY['sender@example.net'])) AS t(a),
       LATERAL bounce.verp_recipient(a) r;
UPDATE bounce.config SET verp_require_signed = false;

-- no key: a signed address cannot verify, so it is refused
DELETE FROM bounce.secrets WHERE name = 'verp';
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com+4vhm3auf33@lists.example.org']);
SELECT count(*) AS rows_without_key
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', NULL));
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com@lists.example.org']) AS unsigned_needs_none;
INSERT INTO bounce.secrets (name, value) VALUES ('verp', convert_to('0123456789abcdef0123456789abcdef', 'UTF8'));

-- a change of the setting is seen by the next statement
UPDATE bounce.config SET verp_return = 'Returns@Mail.Example.COM';
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com@lists.example.org']) AS old_path,
              bounce.verp_recipient(ARRAY[bounce.verp_encode('returns', 'jane@example.com', 'mail.example.com', true)]) AS new_path;
UPDATE bounce.config SET verp_return = 'bounces@lists.example.org';

-- ---------------------------------------------------------------------------
-- A feeder that can read neither bounce.config nor the key gets the same
-- ---------------------------------------------------------------------------

CREATE ROLE regress_verp_feeder;
GRANT USAGE ON SCHEMA bounce TO regress_verp_feeder;
SET ROLE regress_verp_feeder;
SELECT verp_return FROM bounce.config;
SELECT value FROM bounce.secrets;
SELECT recipient, original_recipient, evidence
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf33@lists.example.org', 'jane.doe@example.net'));
SELECT count(*) AS forged_rows
  FROM bounce.parse_dsn(pg_temp.notice('bounces+jane=example.com+4vhm3auf34@lists.example.org', 'jane.doe@example.net'));
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com+4vhm3auf33@lists.example.org']);
RESET ROLE;
REVOKE ALL ON SCHEMA bounce FROM regress_verp_feeder;
DROP ROLE regress_verp_feeder;

-- ---------------------------------------------------------------------------
-- The settings: what a return path may be, and the restore guard
-- ---------------------------------------------------------------------------

\set VERBOSITY terse
UPDATE bounce.config SET verp_return = 'bounces';
UPDATE bounce.config SET verp_return = 'bou+nces@lists.example.org';
UPDATE bounce.config SET verp_return = 'bou=nces@lists.example.org';
UPDATE bounce.config SET verp_return = 'bounces@localhost';
UPDATE bounce.config SET verp_return = 'bounces@lists..example.org';
UPDATE bounce.config SET verp_return = 'a@b@lists.example.org';
UPDATE bounce.config SET verp_return = '<bounces@lists.example.org>';
UPDATE bounce.config SET verp_return = repeat('r', 65) || '@lists.example.org';
UPDATE bounce.config SET verp_require_signed = NULL;
\set VERBOSITY default
UPDATE bounce.config SET verp_return = 'bounce.s_1@mail-1.example.org';
SELECT verp_return FROM bounce.config;

-- pg_dump restores the row with an INSERT: the guard copies every column
INSERT INTO bounce.config (verp_return, verp_require_signed, soft_threshold)
VALUES ('bounces@restored.example.org', true, 4);
SELECT count(*) AS config_rows, min(verp_return) AS verp_return, bool_and(verp_require_signed) AS required,
       min(soft_threshold) AS soft_threshold
  FROM bounce.config;

-- back to the defaults for the tests after this one
UPDATE bounce.config SET verp_return = NULL, verp_require_signed = false, soft_threshold = 3;
SELECT * FROM bounce.verp_recipient(ARRAY['bounces+jane=example.com@lists.example.org']) AS off_again;
