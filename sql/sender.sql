-- sender.sql - the sender's side: VERP return addresses (plain, signed,
-- case-mangled, forged, too long), the key table and who may read it, the
-- sender-side reasons and their one switch, and bounce.sender_alerts.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
SET timezone = 'UTC';
\set VERBOSITY default

-- ---------------------------------------------------------------------------
-- VERP, unsigned
-- ---------------------------------------------------------------------------

-- the Postfix/Mailman style; the recipient comes out normalized
SELECT bounce.verp_encode('bounces', 'Jane@Example.com', 'lists.example.org');
SELECT bounce.verp_decode('bounces+jane=example.com@lists.example.org');
SELECT bounce.verp_decode(' <bounces+jane=example.com@lists.example.org> ') AS with_brackets;

-- '+', '=' and every other special of a local part are escaped as =xx,
-- and come back as they were
SELECT a AS address, e AS encoded, bounce.verp_decode(e) AS decoded,
       bounce.verp_decode(e) = bounce.normalize_address(a) AS round_trip
  FROM (VALUES ('a+b=c@example.com'), ('o''brien@example.com'), ('first_last-x@sub.example.co.uk'),
               ('"john doe"@example.com'), ('"a..b"@example.com'), ('"a\"b@c"@example.com'),
               ('{x}|~#$%&*/?^`!@example.com'), ('jörg@example.com')) AS t(a),
       LATERAL bounce.verp_encode('bounces', a, 'lists.example.org') AS e;

-- MTAs may change the case of a return path: decoding does not mind
SELECT bounce.verp_decode('BOUNCES+A=2BB=3DC=EXAMPLE.COM@LISTS.EXAMPLE.ORG') AS upper_case,
       bounce.verp_decode('Bounces+A=2Bb=3Dc=Example.Com@Lists.Example.Org') AS mixed_case;

-- what is not a VERP address of this scheme (or not its one spelling) is
-- NULL, never an error
SELECT left(x, 50) AS input, bounce.verp_decode(x) AS decoded
  FROM (VALUES ('jane@example.com'), ('bounces+jane@lists.example.org'),
               ('bounces+jane=localhost@lists.example.org'), ('bounces+a=zz=example.com@lists.example.org'),
               ('bounces+=6aane=example.com@lists.example.org'), ('+jane=example.com@lists.example.org'),
               ('bounces+=example.com@lists.example.org'), ('not an address at all'), (''),
               (repeat('x', 10000))) AS t(x);

-- NULL in, NULL out
SELECT bounce.verp_encode(NULL, 'jane@example.com', 'lists.example.org') IS NULL AS no_local,
       bounce.verp_encode('bounces', NULL, 'lists.example.org') IS NULL AS no_address,
       bounce.verp_encode('bounces', 'jane@example.com', NULL) IS NULL AS no_domain,
       bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', NULL) IS NULL AS no_signed,
       bounce.verp_decode(NULL) IS NULL AS decode_null,
       bounce.verp_decode('bounces+jane=example.com@lists.example.org', NULL) IS NULL AS decode_null_flag;

-- ---------------------------------------------------------------------------
-- Encoding errors, with SQLSTATEs
-- ---------------------------------------------------------------------------

-- 7 + 1 + 44 + 1 + 11 = 64 octets fit; one more does not, and the error
-- says how long it would be (54000, program_limit_exceeded)
SELECT length(split_part(bounce.verp_encode('bounces', repeat('a', 44) || '@example.com', 'lists.example.org'), '@', 1)) AS local_octets;
\set VERBOSITY sqlstate
SELECT bounce.verp_encode('bounces', repeat('a', 45) || '@example.com', 'lists.example.org');
\set VERBOSITY default
SELECT bounce.verp_encode('bounces', repeat('a', 45) || '@example.com', 'lists.example.org');
SELECT bounce.verp_encode('bounces', repeat('a', 44) || '@example.com', 'lists.example.org', true);
SELECT bounce.verp_encode('bounces', repeat('+', 16) || '@example.com', 'lists.example.org');
SELECT bounce.verp_encode('bounces', 'a@example.com', repeat('h', 60) || '.' || repeat('h', 60) || '.'
                          || repeat('h', 60) || '.' || repeat('h', 60) || '.example');
-- arguments that cannot make a VERP address
\set VERBOSITY sqlstate
SELECT bounce.verp_encode('bounces', 'jane.example.com', 'lists.example.org');
SELECT bounce.verp_encode('bou+nces', 'jane@example.com', 'lists.example.org');
\set VERBOSITY default
SELECT bounce.verp_encode('bounces', 'jane.example.com', 'lists.example.org');
SELECT bounce.verp_encode('bou+nces', 'jane@example.com', 'lists.example.org');
SELECT bounce.verp_encode('bounces', 'jane@example.com', 'lists..example.org');
SELECT bounce.verp_encode('bounces', 'jane@[192.0.2.1]', 'lists.example.org');
SELECT bounce.verp_encode('bounces', 'jane@localhost', 'lists.example.org');

-- ---------------------------------------------------------------------------
-- The key, and signed VERP
-- ---------------------------------------------------------------------------

-- the install made a random 32-byte key; random_key() makes new ones
SELECT name, octet_length(value) AS bytes FROM bounce.secrets ORDER BY name;
SELECT bounce.random_key() <> bounce.random_key() AS keys_differ, octet_length(bounce.random_key()) AS bytes;
-- pg_dump keeps the key (so signatures verify after a restore)
SELECT c::regclass AS dumped, quote_literal(w) AS condition
  FROM pg_extension, unnest(extconfig, extcondition) AS u(c, w)
 WHERE extname = 'bounce' AND c = 'bounce.secrets'::regclass;
-- a restore's INSERT of the existing name replaces the key; short keys are refused
INSERT INTO bounce.secrets (name, value) VALUES ('verp', convert_to('0123456789abcdef0123456789abcdef', 'UTF8'));
SELECT name, convert_from(value, 'UTF8') AS value FROM bounce.secrets WHERE name = 'verp';
INSERT INTO bounce.secrets (name, value) VALUES ('other', '\x00');

-- with this known key the tag is base32(HMAC-SHA256(key, address))[1:10],
-- also computed apart in test/unit/test_verp.c
SELECT bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', true);
SELECT bounce.verp_encode('bounces', 'JANE@Example.COM', 'lists.example.org', true) AS same_tag_any_case;
SELECT bounce.verp_decode('bounces+jane=example.com+4vhm3auf33@lists.example.org') AS verified,
       bounce.verp_decode('BOUNCES+JANE=EXAMPLE.COM+4VHM3AUF33@LISTS.EXAMPLE.ORG') AS upper_case,
       bounce.verp_decode('bounces+jane=example.com+4VhM3aUf33@lists.example.org') AS tag_mixed_case,
       bounce.verp_decode('bounces+jane=example.com+4vhm3auf33@lists.example.org', true) AS required;

-- forged: a wrong tag character, jane's tag on john, a guess, a truncated or
-- padded tag, a character outside base32; and the unsigned form, which a
-- signing sender refuses with require_signed
SELECT x AS input, bounce.verp_decode(x) AS decoded
  FROM (VALUES ('bounces+jane=example.com+4vhm3auf34@lists.example.org'),
               ('bounces+john=example.com+4vhm3auf33@lists.example.org'),
               ('bounces+jane=example.com+aaaaaaaaaa@lists.example.org'),
               ('bounces+jane=example.com+4vhm3auf3@lists.example.org'),
               ('bounces+jane=example.com+4vhm3auf333@lists.example.org'),
               ('bounces+jane=example.com+4vhm3auf31@lists.example.org'),
               ('bounces+jane=example.com+@lists.example.org')) AS t(x);
SELECT bounce.verp_decode('bounces+jane=example.com@lists.example.org') AS unsigned_accepted,
       bounce.verp_decode('bounces+jane=example.com@lists.example.org', false) AS not_required,
       bounce.verp_decode('bounces+jane=example.com@lists.example.org', true) AS required_refused;

-- signed round trips of specials, signed and verified in one query
SELECT a AS address, bounce.verp_decode(bounce.verp_encode('bounces', a, 'lists.example.org', true), true) AS decoded
  FROM (VALUES ('a+b=c@example.com'), ('"john doe"@example.com'), ('Mixed.Case@Example.ORG')) AS t(a);

-- a new key: old signatures no longer verify, new ones do
UPDATE bounce.secrets SET value = bounce.random_key() WHERE name = 'verp';
SELECT bounce.verp_decode('bounces+jane=example.com+4vhm3auf33@lists.example.org') AS old_signature,
       bounce.verp_decode(bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', true)) AS new_signature;

-- no key: signing says so (55000), verifying gives NULL
DELETE FROM bounce.secrets WHERE name = 'verp';
SELECT bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', true);
SELECT bounce.verp_decode('bounces+jane=example.com+4vhm3auf33@lists.example.org') AS without_key,
       bounce.verp_decode('bounces+jane=example.com@lists.example.org') AS unsigned_needs_none;
INSERT INTO bounce.secrets (name, value) VALUES ('verp', convert_to('0123456789abcdef0123456789abcdef', 'UTF8'));

-- privileges: a role with USAGE on the schema cannot read or change the
-- key, yet signs and verifies through the functions (SECURITY DEFINER)
CREATE ROLE regress_bounce_sender;
GRANT USAGE ON SCHEMA bounce TO regress_bounce_sender;
SET ROLE regress_bounce_sender;
SELECT value FROM bounce.secrets;
UPDATE bounce.secrets SET value = bounce.random_key();
INSERT INTO bounce.secrets (name, value) VALUES ('verp', bounce.random_key());
SELECT bounce.verp_encode('bounces', 'jane@example.com', 'lists.example.org', true) AS signed_by_role,
       bounce.verp_decode('bounces+jane=example.com+4vhm3auf33@lists.example.org') AS verified_by_role;
RESET ROLE;
SELECT grantee, privilege_type FROM information_schema.role_table_grants
 WHERE table_schema = 'bounce' AND table_name = 'secrets' AND grantee <> current_user;
REVOKE ALL ON SCHEMA bounce FROM regress_bounce_sender;
DROP ROLE regress_bounce_sender;

-- ---------------------------------------------------------------------------
-- Sender-side reasons and the one switch
-- ---------------------------------------------------------------------------

SELECT array_agg(r ORDER BY r) AS sender_side
  FROM unnest(enum_range(NULL::bounce.bounce_reason)) AS r WHERE bounce.is_sender_side(r);
SELECT bounce.is_sender_side(NULL) IS NULL AS null_reason;

-- the default stays suppress (550 5.7.1: "suppress, check reputation")
SELECT r AS reply, e.class, e.reason, e.action
  FROM (VALUES ('550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org'),
               ('450 4.7.1 Client host rejected: blocked using zen.spamhaus.org'),
               ('550 5.7.26 Unauthenticated email is not accepted due to domain''s DMARC policy'),
               ('550 5.1.1 User unknown')) AS t(r),
       LATERAL bounce.explain(r) AS e;

-- alert: every sender-side row of reason_policy, each class as the install
-- does (soft rows alert too: no retry into a block); explain() sees it
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts, bounce.suppression_log;
SELECT bounce.set_sender_side_action('alert') AS rows_changed;
SELECT bounce.set_sender_side_action('alert') AS again_changes_nothing;
SELECT reason, string_agg(class || '=' || action, ', ' ORDER BY class) AS actions
  FROM bounce.reason_policy WHERE NOT builtin GROUP BY reason ORDER BY reason;
SELECT r AS reply, e.class, e.reason, e.action
  FROM (VALUES ('550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org'),
               ('450 4.7.1 Client host rejected: blocked using zen.spamhaus.org'),
               ('550 5.7.26 Unauthenticated email is not accepted due to domain''s DMARC policy'),
               ('550 5.1.1 User unknown')) AS t(r),
       LATERAL bounce.explain(r) AS e;
-- a block then costs no subscriber: the address stays active, the event is an alert
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('kept@example.com', 'c1', '550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org', '2030-01-01 00:00+00'),
    ('gone@example.com', 'c1', '550 5.1.1 User unknown', '2030-01-01 00:00+00');
SELECT address, state FROM bounce.addresses ORDER BY address;
SELECT address, reason FROM bounce.alerts ORDER BY address;

-- and back: the shipped rows again (builtin, so pg_dump keeps nothing)
SELECT bounce.set_sender_side_action('suppress') AS rows_changed;
SELECT count(*) AS changed_rows FROM bounce.reason_policy WHERE NOT builtin;
SELECT e.class, e.reason, e.action FROM bounce.explain('550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org') AS e;
-- a user's own change to another reason is not touched
UPDATE bounce.reason_policy SET action = 'alert' WHERE reason = 'norelaying' AND class = 'hard';
SELECT bounce.set_sender_side_action('alert') AS rows_changed;
SELECT bounce.set_sender_side_action('suppress') AS rows_changed;
SELECT reason, class, action FROM bounce.reason_policy WHERE NOT builtin;
UPDATE bounce.reason_policy SET action = 'suppress' WHERE reason = 'norelaying' AND class = 'hard';
SELECT bounce.set_sender_side_action(NULL) IS NULL AS null_action;

-- ---------------------------------------------------------------------------
-- bounce.sender_alerts
-- ---------------------------------------------------------------------------

SELECT sender_alert_count, sender_alert_share, sender_alert_window FROM bounce.config;
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts, bounce.suppression_log;

-- one reply per kind, events spread over the minutes of an hour
CREATE TEMP TABLE replies (kind text, status text);
INSERT INTO replies VALUES
    ('blocked', '550 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org'),
    ('soft_blocked', '450 4.7.1 Client host rejected: blocked using zen.spamhaus.org'),
    ('reputation', '550 5.7.1 Sender score too low'),
    ('dmarc', '550 5.7.26 Unauthenticated email is not accepted due to domain''s DMARC policy'),
    ('unknown', '550 5.1.1 User unknown');
CREATE TEMP TABLE crafted (domain text, hour text, kind text, n int, first_minute int);
INSERT INTO crafted VALUES
    -- a.example, 10:00-11:00: 25 of 125 (20%): an alert
    ('a.example', '10:00', 'blocked', 20, 0), ('a.example', '10:00', 'soft_blocked', 5, 30),
    ('a.example', '10:00', 'unknown', 100, 0),
    -- a.example, 11:00-12:00: exactly 20 of 200 (10%): an alert; the DMARC reply is the latest
    ('a.example', '11:00', 'reputation', 15, 0), ('a.example', '11:00', 'dmarc', 5, 50),
    ('a.example', '11:00', 'unknown', 180, 0),
    -- b.example: 19, all sender-side: under the count
    ('b.example', '10:00', 'blocked', 19, 0),
    -- c.example: 30 of 330 (9.1%): under the share
    ('c.example', '10:00', 'blocked', 30, 0), ('c.example', '10:00', 'unknown', 300, 0),
    -- d.example: 10 + 10 on either side of 11:00: under the count in each hour
    ('d.example', '10:00', 'blocked', 10, 50), ('d.example', '11:00', 'blocked', 10, 0);
INSERT INTO bounce.events (address, campaign, status, occurred_at)
SELECT c.kind || g || '.' || replace(c.hour, ':', '') || '@' || c.domain, 'spring', r.status,
       ('2030-03-01 ' || c.hour || '+00')::timestamptz + (c.first_minute + g % 10) * interval '1 minute'
  FROM crafted c JOIN replies r USING (kind), generate_series(1, c.n) AS g;

SELECT * FROM bounce.sender_alerts ORDER BY domain, window_start;

-- two-hour windows (10:00-12:00): a.example's hours are one incident, and
-- d.example's 20 blocks count together
UPDATE bounce.config SET sender_alert_window = '2 hours';
SELECT domain, window_start, window_end, failures, bounces, share, reasons
  FROM bounce.sender_alerts ORDER BY domain, window_start;
-- a lower count lets b.example's 19 through; a higher share stops a.example's 10%
UPDATE bounce.config SET sender_alert_window = '1 hour', sender_alert_count = 19, sender_alert_share = 0.15;
SELECT domain, window_start, failures, share FROM bounce.sender_alerts ORDER BY domain, window_start;
-- windows are days, hours or minutes, never months (terse: the failing
-- row would list every setting)
\set VERBOSITY terse
UPDATE bounce.config SET sender_alert_window = '1 month';
UPDATE bounce.config SET sender_alert_window = '0';
UPDATE bounce.config SET sender_alert_window = '31 days';
UPDATE bounce.config SET sender_alert_share = 1.5;
UPDATE bounce.config SET sender_alert_count = 0;
\set VERBOSITY default
-- a restore's INSERT copies the new settings too
INSERT INTO bounce.config (sender_alert_count, sender_alert_share, sender_alert_window) VALUES (7, 0.25, '15 minutes');
SELECT count(*) AS rows, min(sender_alert_count) AS count, min(sender_alert_share) AS share,
       min(sender_alert_window) AS window FROM bounce.config;
UPDATE bounce.config SET sender_alert_count = DEFAULT, sender_alert_share = DEFAULT, sender_alert_window = DEFAULT;
SELECT sender_alert_count, sender_alert_share, sender_alert_window FROM bounce.config;

DROP TABLE replies, crafted;
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts, bounce.suppression_log;
