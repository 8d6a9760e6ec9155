-- classify(), reason(), explain(): the SPEC's code table, real-looking
-- replies, text without codes, and the built-in policy.
CREATE EXTENSION IF NOT EXISTS bounce;
SET search_path = bounce, public;

-- The examples of the issue.
SELECT '550-5.1.1 The email account does not exist. 550 5.1.1 Please try again'::bounce.smtp_status;
SELECT bounce.classify('552 5.2.2 Mailbox full');
SELECT bounce.reason('550 5.7.1 blocked using zen.spamhaus.org');
SELECT * FROM bounce.explain('450 4.2.1 Greylisted, try again later');

-- Every row of the SPEC's code table, as smtp_status and as text.
CREATE TEMP TABLE spec_table (reply text, want_class bounce_class);
INSERT INTO spec_table VALUES
  ('550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown', 'hard'),
  ('550 5.7.1 Message rejected due to local policy', 'hard'),
  ('551 5.1.6 User not local; please try <jane@example.org>', 'hard'),
  ('553 5.1.3 Invalid mailbox name', 'hard'),
  ('554 5.0.0 Transaction failed', 'hard'),
  ('551 User not local', 'hard'),
  ('553 Requested action not taken: mailbox name not allowed', 'hard'),
  ('554 Transaction failed', 'hard'),
  ('552 5.2.2 Mailbox full', 'soft'),
  ('421 4.7.0 Temporary System Problem. Try again later', 'soft'),
  ('450 4.2.1 Greylisted, try again later', 'soft'),
  ('451 4.3.0 Local server error, try again later', 'soft'),
  ('452 Insufficient system storage', 'soft'),
  ('454 4.7.0 TLS not available due to local problem', 'soft');
SELECT reply, classify(reply::smtp_status) AS class, reason(reply::smtp_status),
       classify(reply::smtp_status) = want_class AS as_spec,
       classify(reply) = classify(reply::smtp_status) AS text_agrees
FROM spec_table;
SELECT e.*
FROM spec_table, LATERAL explain(reply::smtp_status) e;

-- Real-looking replies: reason and the rule that decided.
CREATE TEMP TABLE real_replies (id serial, reply text);
INSERT INTO real_replies (reply) VALUES
  ('550-5.1.1 The email account that you tried to reach does not exist. Please try 550-5.1.1 double-checking the recipient''s email address for typos or 550 5.1.1 unnecessary spaces. https://support.google.com/mail/?p=NoSuchUser'),
  ('552-5.2.2 The email account that you tried to reach is over quota. Please direct 552 5.2.2 the recipient to https://support.google.com/mail/?p=OverQuotaPerm'),
  ('550 5.2.1 The email account that you tried to reach is disabled.'),
  ('421-4.7.0 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail originating from your IP address. 421 4.7.0 To protect our users from spam, mail sent from your IP address has been temporarily rate limited.'),
  ('550 5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders to authenticate with either SPF or DKIM.'),
  ('421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints'),
  ('554 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus''s list'),
  ('553 5.7.1 [BL21] Connections not accepted from IP addresses on Spamhaus PBL'),
  ('550 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org'),
  ('554 5.7.1 <unknown[192.0.2.1]>: Client host rejected: cannot find your reverse hostname'),
  ('550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown in virtual mailbox table'),
  ('550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'),
  ('550 5.7.606 Access denied, banned sending IP [192.0.2.1]'),
  ('550 5.4.1 Recipient address rejected: Access denied. AS(201806281)'),
  ('554 5.4.14 Hop count exceeded - possible mail loop ATTR34'),
  ('552 5.3.4 Message size exceeds fixed limit'),
  ('552 5.2.3 Message exceeds maximum size'),
  ('550 5.7.1 Message rejected as spam by Content Filtering.'),
  ('554 5.7.1 Virus found in message'),
  ('550 5.1.1 ... too many recipients this hour, slow down'),
  ('550 5.7.1 <jane@example.com>... User unknown'),
  ('550 Requested action not taken: mailbox unavailable'),
  ('550 Mailbox quota exceeded'),
  ('554 delivery error: dd This user doesn''t have a yahoo.com account (jane@yahoo.com) [0] - mta1.mail.yahoo.com'),
  ('554 delivery error: dd Sorry your message to jane@yahoo.com cannot be delivered. This mailbox is disabled (554.30)'),
  ('550 5.7.1 Relaying denied'),
  ('554 5.7.1 <jane@example.com>: Relay access denied'),
  ('451 4.7.1 Greylisting in action, please come back later'),
  ('450 4.7.1 Client host rejected: cannot find your hostname, [192.0.2.1]'),
  ('421 4.4.2 Connection timed out'),
  ('550 5.1.2 Host unknown: example.invalid'),
  ('556 5.1.10 Recipient address has null MX'),
  ('550 5.7.23 SPF validation failed'),
  ('550 5.7.25 Reverse DNS validation failed'),
  ('530 5.7.0 Must issue a STARTTLS command first'),
  ('554 5.6.1 Message content rejected'),
  ('250 2.0.0 Ok: queued as 4B7C21C0D2B'),
  ('452 4.5.3 Too many recipients'),
  ('550 4.4.7 Message expired: unable to deliver in 840 minutes'),
  ('5.2.2');
SELECT id, classify(reply) AS class, reason(reply), (explain(reply)).rule
FROM real_replies ORDER BY id;

-- Text without any code: classified by its words, soft when nothing matches.
SELECT t, classify(t), reason(t), (explain(t)).rule
FROM (VALUES
  ('Sorry, no mailbox here by that name. (#5.1.1)'),
  ('<jane@example.com>: host mx.example.com[192.0.2.10] said: 550 5.1.1 <jane@example.com>: Recipient address rejected: User unknown (in reply to RCPT TO command)'),
  ('SMTP error from remote mail server after RCPT TO:<jane@example.com>: host mx.example.com [192.0.2.153]: 550 5.1.1 unknown user'),
  ('retry timeout exceeded'),
  ('connect to mx.example.com[192.0.2.1]:25: Connection timed out'),
  ('Your mailbox is over quota'),
  ('I am out of the office until Monday'),
  ('mx.example.com: nothing we know about'),
  ('')
) v(t);

-- classify() is NULL on NULL (STRICT), and max() gives the worst class.
SELECT classify(NULL::smtp_status) IS NULL AS strict_status,
       classify(NULL::text) IS NULL AS strict_text,
       max(classify(r)) AS worst
FROM (VALUES ('250 ok'), ('452 4.2.2 full'), ('550 5.1.1 unknown')) v(r);

-- The built-in policy: one row per reason.
SELECT count(*) = (SELECT count(*) FROM unnest(enum_range(NULL::bounce_reason))) AS every_reason
FROM _default_policy();
SELECT * FROM _default_policy()
WHERE reason IN ('greylisting', 'mailboxfull', 'blocked', 'userunknown',
                 'mesgtoobig', 'feedback', 'vacation', 'undefined')
ORDER BY reason;

-- Every enhanced code of the registry (and every basic code) gets a reason.
SELECT count(*) AS codes, count(DISTINCT reason(s)) > 15 AS varied,
       count(*) FILTER (WHERE reason(s) IS NULL) AS without_reason
FROM (SELECT format('%s.%s.%s', c, s, d)::smtp_status AS s
      FROM generate_series(2, 5) c, generate_series(0, 7) s, generate_series(0, 30) d
      WHERE c <> 3) codes;
SELECT count(*) FILTER (WHERE classify(code::text) = 'hard') AS hard,
       count(*) FILTER (WHERE classify(code::text) = 'soft') AS soft,
       count(*) FILTER (WHERE classify(code::text) = 'none') AS none
FROM generate_series(200, 599) code;

-- A 4xx is never hard; 2xx and 3xx are never failures.
SELECT count(*) AS violations
FROM (SELECT format('%s %s.%s.%s some text', b, b / 100, s, d) AS r
      FROM generate_series(200, 599) b, generate_series(0, 7) s, generate_series(0, 9) d) x
WHERE (r LIKE '4%' AND classify(r) = 'hard')
   OR ((r LIKE '2%' OR r LIKE '3%') AND classify(r) <> 'none');
