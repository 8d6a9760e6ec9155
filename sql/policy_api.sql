-- policy_api.sql - what a user meets around the state machine: bad input
-- (nothing half-written), bounce.track() on a user's own table, the
-- metrics views, trigger misuse, and what pg_dump keeps.
CREATE EXTENSION IF NOT EXISTS bounce;
SET timezone = 'UTC';
\set VERBOSITY default

-- start from empty state (policy.sql may have run first)
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts,
         bounce.suppression_log;

-- addresses are normalized; what is not an address is rejected with 22P02
SELECT bounce.normalize_address('  <Jane.Doe@Example.COM> '),
       bounce.normalize_address('rfc822; BOB@example.org');
\set VERBOSITY sqlstate
SELECT bounce.normalize_address('jane.example.com');
\set VERBOSITY default
SELECT bounce.normalize_address('jane.example.com');
SELECT bounce.normalize_address('');
SELECT bounce.normalize_address('a..b@example.com');
SELECT bounce.normalize_address('jane@exa mple.com');
SELECT bounce.normalize_address('<jane@example.com');
SELECT bounce.is_suppressed('not an address');
SELECT bounce.is_suppressed(NULL);

-- a statement with one bad row writes nothing at all
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('good1@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('not-an-address', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00');
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('good1@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('good2@example.com', 'c1', 'this is not a reply', '2026-01-01 00:00+00');
\set VERBOSITY terse
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('good1@example.com', 'c1', '550 5.1.1 User unknown', 'infinity');
INSERT INTO bounce.events (address, campaign, status) VALUES (NULL, 'c1', '550 5.1.1 x');
\set VERBOSITY default
COPY bounce.events (address, campaign, status, occurred_at) FROM STDIN (FORMAT csv);
good3@example.com,c1,550 5.1.1 User unknown,2026-01-01 00:00+00
bad address@example.com,c1,550 5.1.1 User unknown,2026-01-01 00:00+00
\.
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('good4@example.com', 'c1', '2026-01-01'), ('@example.com', 'c1', '2026-01-01');
SELECT (SELECT count(*) FROM bounce.events) AS events,
       (SELECT count(*) FROM bounce.deliveries) AS deliveries,
       (SELECT count(*) FROM bounce.addresses) AS addresses,
       (SELECT count(*) FROM bounce.retries) AS retries;
-- class and reason come from the status unless a reader gives its own
-- verdict (parse_dsn's context, a complaint with no reply); an event with
-- neither a status nor a verdict is refused (rolled back: the counts below
-- start from nothing)
BEGIN;
INSERT INTO bounce.events (address, status, class) VALUES ('x@example.com', '550 5.1.1 x', 'soft');
INSERT INTO bounce.events (address, status) VALUES ('y@example.com', '550 5.1.1 x');
INSERT INTO bounce.events (address, class, reason) VALUES ('z@example.com', 'none', 'feedback');
SELECT e.address, e.status, e.class, e.reason, a.state
  FROM bounce.events e JOIN bounce.addresses a USING (address) ORDER BY 1;
INSERT INTO bounce.events (address, class) VALUES ('w@example.com', 'hard');
ROLLBACK;
-- the same mail ingested twice adds one event: (address, event_key) is unique
BEGIN;
INSERT INTO bounce.events (address, status, occurred_at, event_key)
VALUES ('k@example.com', '452 4.2.2 full', '2026-01-01', '<m1@mx.example.net>')
ON CONFLICT (address, event_key) WHERE event_key IS NOT NULL DO NOTHING;
INSERT INTO bounce.events (address, status, occurred_at, event_key)
VALUES ('K@Example.com', '452 4.2.2 full', '2026-01-02', '<m1@mx.example.net>')
ON CONFLICT (address, event_key) WHERE event_key IS NOT NULL DO NOTHING;
SELECT count(*) AS events, (SELECT soft_total FROM bounce.addresses WHERE address = 'k@example.com')
  FROM bounce.events WHERE address = 'k@example.com';
ROLLBACK;
-- manual API input is checked too
SELECT bounce.suppress('nobody', 'x');
SELECT bounce.suppress('a@example.com', 'x', 'infinity');
SELECT count(*) AS addresses FROM bounce.addresses;

-- the issue's example: campaign metrics
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
SELECT 'user' || i || '@example.com', 'spring-sale', '2026-01-01 00:00+00'
  FROM generate_series(1, 95) i;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('user96@example.com', 'spring-sale', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('user97@example.com', 'spring-sale', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('user98@example.com', 'spring-sale', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('user99@example.com', 'spring-sale', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('user99@example.com', 'spring-sale', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00'),
    ('user100@example.com', 'spring-sale', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('user1@example.com', 'autumn', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
SELECT 'user' || i || '@example.com', 'autumn', '2026-01-03 00:00+00'
  FROM generate_series(2, 100) i;
SELECT * FROM bounce.campaign_stats ORDER BY campaign;
SELECT campaign, hard_rate FROM bounce.campaign_stats WHERE over_threshold;
-- the alarm level is configurable
UPDATE bounce.config SET hard_rate_threshold = 0.05;
SELECT campaign FROM bounce.campaign_stats WHERE over_threshold;
UPDATE bounce.config SET hard_rate_threshold = 0.02;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('user99@example.com', 'summer', '452 4.2.2 Mailbox full', '2026-01-05 00:00+00'),
    ('user99@example.com', 'winter', '452 4.2.2 Mailbox full', '2026-01-06 00:00+00');
SELECT * FROM bounce.repeat_soft ORDER BY address;
SELECT * FROM bounce.soft_to_hard;

-- bounce.track() on a user's own table
CREATE TABLE my_bounces (id serial PRIMARY KEY, email text NOT NULL, reply text,
                         cls bounce.bounce_class, why text);
CREATE TRIGGER b BEFORE INSERT OR UPDATE ON my_bounces
    FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply', 'cls', 'why');
INSERT INTO my_bounces (email, reply) VALUES
    ('Tom@Example.org', '550 5.1.1 <tom@example.org>: Recipient address rejected'),
    ('ann@example.org', '452 4.2.2 Mailbox full'),
    ('nul@example.org', NULL)
RETURNING email, reply, cls, why;
SELECT bounce.is_suppressed('tom@example.org'), bounce.is_suppressed('ann@example.org');
SELECT address, class, reason FROM bounce.events WHERE address LIKE '%@example.org' ORDER BY id;
-- an UPDATE that changes the reply records a new event; one that does not, none
UPDATE my_bounces SET reply = '452 4.2.2 Mailbox full again' WHERE email = 'ann@example.org';
UPDATE my_bounces SET cls = NULL WHERE email = 'ann@example.org' RETURNING cls, why;
SELECT soft_total FROM bounce.addresses WHERE address = 'ann@example.org';
-- bad input in the user's row fails the user's statement: nothing is written
INSERT INTO my_bounces (email, reply) VALUES ('ok@example.org', '550 5.1.1 x'), ('broken', '550 5.1.1 x');
INSERT INTO my_bounces (email, reply) VALUES ('ok@example.org', 'no code here');
SELECT count(*) AS my_rows FROM my_bounces;
SELECT count(*) AS ok_events FROM bounce.events WHERE address = 'ok@example.org';
-- text columns for class and reason work as well; two arguments fill nothing
CREATE TABLE my_bounces2 (email text, reply text, c text, r varchar(20));
CREATE TRIGGER b BEFORE INSERT ON my_bounces2
    FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply', 'c', 'r');
INSERT INTO my_bounces2 VALUES ('p@example.org', '450 4.2.1 greylisted') RETURNING *;
CREATE TABLE my_bounces3 (email text, reply bounce.smtp_status);
CREATE TRIGGER b BEFORE INSERT ON my_bounces3
    FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply');
INSERT INTO my_bounces3 VALUES ('q@example.org', '550 5.1.1 unknown') RETURNING *;
SELECT bounce.is_suppressed('q@example.org');

-- misuse of the trigger functions is reported, not crashed on
SELECT bounce.track();
CREATE TABLE misuse (email text, reply text);
CREATE TRIGGER t1 AFTER INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t1 ON misuse;
CREATE TRIGGER t2 BEFORE INSERT ON misuse FOR EACH STATEMENT EXECUTE FUNCTION bounce.track('email', 'reply');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t2 ON misuse;
CREATE TRIGGER t3 BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION bounce.track('email');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t3 ON misuse;
CREATE TRIGGER t4 BEFORE INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION bounce.track('mail', 'reply');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t4 ON misuse;
CREATE TRIGGER t5 BEFORE DELETE ON misuse FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DELETE FROM misuse;
DROP TRIGGER t5 ON misuse;
CREATE TRIGGER t6 AFTER INSERT ON misuse FOR EACH STATEMENT EXECUTE FUNCTION bounce._log_after('bounce');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t6 ON misuse;
CREATE TRIGGER t7 AFTER INSERT ON misuse FOR EACH ROW EXECUTE FUNCTION bounce._before_row('email');
INSERT INTO misuse VALUES ('a@example.org', '550 5.1.1 x');
DROP TRIGGER t7 ON misuse;
SELECT bounce._before_row();
SELECT bounce._log_after();

-- what pg_dump keeps: all user data, and only the changed policy rows
SELECT c.relname, x.cond
  FROM pg_extension e,
       unnest(e.extconfig, e.extcondition) AS x(oid, cond)
  JOIN pg_class c ON c.oid = x.oid
 WHERE e.extname = 'bounce' ORDER BY 1;
-- a restore replays rows into these tables: the config row is replaced, a
-- changed policy row updates the shipped one, and restored events (applied
-- = true) are not applied a second time
INSERT INTO bounce.config (soft_threshold, monitor_after) VALUES (3, 2);
INSERT INTO bounce.reason_policy (reason, class, action, builtin)
VALUES ('blocked', 'hard', 'alert', false);
SELECT count(*), min(action::text) FROM bounce.reason_policy WHERE reason = 'blocked' AND class = 'hard';
UPDATE bounce.reason_policy SET action = 'suppress' WHERE reason = 'blocked' AND class = 'hard';
SELECT soft_total, hard_total FROM bounce.addresses WHERE address = 'ann@example.org';
INSERT INTO bounce.events (id, address, campaign, status, occurred_at, applied)
VALUES (100000, 'ann@example.org', 'c1', '452 4.2.2 Mailbox full', '2026-01-01', true);
SELECT soft_total, hard_total FROM bounce.addresses WHERE address = 'ann@example.org';
INSERT INTO bounce.deliveries (id, address, campaign, delivered_at, applied)
VALUES (100000, 'ann@example.org', 'c1', '2027-01-01', true);
SELECT last_delivery_at FROM bounce.addresses WHERE address = 'ann@example.org';
-- the same rows inserted normally are applied
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('ann@example.org', 'c1', '2027-01-01');
SELECT last_delivery_at, consecutive_soft FROM bounce.addresses WHERE address = 'ann@example.org';

-- is_suppressed() reads bounce.addresses with the caller's rights,
-- row-level security included
CREATE ROLE regress_bounce_reader;
GRANT USAGE ON SCHEMA bounce TO regress_bounce_reader;
SET ROLE regress_bounce_reader;
SELECT bounce.is_suppressed('tom@example.org');
RESET ROLE;
GRANT SELECT ON bounce.addresses TO regress_bounce_reader;
ALTER TABLE bounce.addresses ENABLE ROW LEVEL SECURITY;
CREATE POLICY only_example_com ON bounce.addresses TO regress_bounce_reader
    USING (address LIKE '%@example.com');
SET ROLE regress_bounce_reader;
SELECT bounce.is_suppressed('tom@example.org') AS hidden_by_rls,
       bounce.is_suppressed('user96@example.com') AS visible;
RESET ROLE;
SELECT bounce.is_suppressed('tom@example.org') AS as_owner;
DROP POLICY only_example_com ON bounce.addresses;
ALTER TABLE bounce.addresses DISABLE ROW LEVEL SECURITY;
REVOKE ALL ON bounce.addresses FROM regress_bounce_reader;
REVOKE ALL ON SCHEMA bounce FROM regress_bounce_reader;
DROP ROLE regress_bounce_reader;

DROP TABLE my_bounces, my_bounces2, my_bounces3, misuse;
