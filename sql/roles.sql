-- roles.sql - the grants of the README's "Roles" section, each tried:
-- a feeder with INSERT on the logs feeds bounces and can change nothing
-- else (not the state, the retries, the policy, the audit log, nor skip the
-- policy with applied = true); a reader reads state and asks
-- is_suppressed(); support staff suppress and unsuppress by hand and the
-- audit log names them; a worker takes due retries.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS bounce;
DROP ROLE IF EXISTS regress_feeder;
DROP ROLE IF EXISTS regress_reader;
DROP ROLE IF EXISTS regress_support;
DROP ROLE IF EXISTS regress_worker;
RESET client_min_messages;
SET timezone = 'UTC';

CREATE ROLE regress_feeder;
CREATE ROLE regress_reader;
CREATE ROLE regress_support;
CREATE ROLE regress_worker;

-- the README's grants, as they are written there
GRANT USAGE ON SCHEMA bounce TO regress_feeder, regress_reader, regress_support, regress_worker;
GRANT INSERT ON bounce.events, bounce.deliveries TO regress_feeder;
GRANT USAGE ON SEQUENCE bounce.events_id_seq, bounce.deliveries_id_seq TO regress_feeder;
GRANT SELECT ON ALL TABLES IN SCHEMA bounce TO regress_reader;
GRANT EXECUTE ON FUNCTION bounce.suppress(text, text, timestamptz),
                          bounce.unsuppress(text, timestamptz) TO regress_support;
GRANT EXECUTE ON FUNCTION bounce.due_retries(integer, timestamptz) TO regress_worker;

-- the feeder: bounces and deliveries go in, by INSERT and COPY, and the
-- policy runs on them
SET ROLE regress_feeder;
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('role1@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('role2@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00');
COPY bounce.events (address, campaign, status, occurred_at) FROM stdin;
role2@example.com	c2	452 4.2.2 Mailbox full	2026-01-02 00:00+00
role4@example.com	c2	452 4.2.2 Mailbox full	2026-01-02 00:00+00
\.
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('role4@example.com', 'c3', '2026-01-03 00:00+00');
-- applied = true from it is ignored: the policy still runs on the row
INSERT INTO bounce.events (address, campaign, status, occurred_at, applied)
VALUES ('role3@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-02 00:00+00', true);
INSERT INTO bounce.deliveries (address, campaign, delivered_at, applied)
VALUES ('role3@example.com', 'c9', '2026-01-03 00:00+00', true);
-- and nothing else
SELECT count(*) FROM bounce.addresses;
UPDATE bounce.addresses SET state = 'active';
INSERT INTO bounce.addresses (address) VALUES ('role9@example.com');
DELETE FROM bounce.addresses;
DELETE FROM bounce.retries;
UPDATE bounce.retries SET handed_out_at = NULL;
UPDATE bounce.config SET soft_threshold = 1;
UPDATE bounce.reason_policy SET action = 'ignore';
INSERT INTO bounce.suppression_log (address, at, action) VALUES ('role1@example.com', now(), 'unsuppress');
SELECT bounce.suppress('role2@example.com');
SELECT bounce.unsuppress('role1@example.com');
SELECT * FROM bounce.due_retries(10);
SELECT * FROM bounce.events;
RESET ROLE;

SELECT address, state, consecutive_soft, soft_total, hard_total, last_delivery_at,
       suppressed_reason, next_retry_at
  FROM bounce.addresses WHERE address LIKE 'role_@example.com' ORDER BY address;
SELECT address, campaign, attempts FROM bounce.retries
 WHERE address LIKE 'role_@example.com' ORDER BY address, campaign;
SELECT address, applied FROM bounce.events WHERE address = 'role3@example.com';

-- bounce.track() on the feeder's own table: the event goes in, and the
-- row gets its class and reason, with no other right on bounce's tables
GRANT CREATE ON SCHEMA public TO regress_feeder;
SET ROLE regress_feeder;
CREATE TABLE regress_feeder_bounces (email text, reply text, class text, reason text);
CREATE TRIGGER track BEFORE INSERT OR UPDATE ON regress_feeder_bounces
    FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply', 'class', 'reason');
INSERT INTO regress_feeder_bounces (email, reply) VALUES ('role5@example.com', '550 5.1.1 User unknown');
SELECT * FROM regress_feeder_bounces;
RESET ROLE;
SELECT state, suppressed_reason FROM bounce.addresses WHERE address = 'role5@example.com';

-- the reader: state, and is_suppressed(); no writes
SET ROLE regress_reader;
SELECT address, state FROM bounce.addresses WHERE address LIKE 'role_@example.com' ORDER BY address;
SELECT bounce.is_suppressed('role1@example.com') AS role1, bounce.is_suppressed('ROLE2@example.com') AS role2;
INSERT INTO bounce.events (address, status) VALUES ('role6@example.com', '550 5.1.1 x');
UPDATE bounce.addresses SET state = 'active';
SELECT bounce.suppress('role2@example.com');
RESET ROLE;

-- support staff: by hand, and the audit log names them, not the owner
SET ROLE regress_support;
SELECT bounce.suppress('role2@example.com', 'asked by phone', '2026-01-05 00:00+00');
SELECT bounce.unsuppress('role1@example.com', '2026-01-06 00:00+00');
UPDATE bounce.addresses SET state = 'active';
SELECT count(*) FROM bounce.suppression_log;
RESET ROLE;
SELECT address, action, reason, done_by FROM bounce.suppression_log
 WHERE address LIKE 'role_@example.com' ORDER BY id;
SELECT address, state, suppressed_reason FROM bounce.addresses
 WHERE address IN ('role1@example.com', 'role2@example.com') ORDER BY address;

-- the worker: due retries, once
INSERT INTO bounce.events (address, campaign, status, occurred_at)
VALUES ('role7@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00');
SET ROLE regress_worker;
SELECT address, campaign, failures FROM bounce.due_retries(1000, '2026-03-01 00:00+00')
 WHERE address LIKE 'role_@example.com';
SELECT address, campaign, failures FROM bounce.due_retries(1000, '2026-03-01 00:00+00')
 WHERE address LIKE 'role_@example.com';
UPDATE bounce.retries SET handed_out_at = NULL;
SELECT bounce.suppress('role7@example.com');
RESET ROLE;

-- a restore by the owner may bring rows in as already applied; the skip
-- is for that row alone: ids repeat across addresses (the key is
-- (address, id)), so another address's row with the same id is applied
INSERT INTO bounce.events (id, address, campaign, status, occurred_at, applied) VALUES
    (900001, 'restored@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00', true),
    (900001, 'applied@example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00', false);
SELECT address, state FROM bounce.addresses
 WHERE address IN ('restored@example.com', 'applied@example.com') ORDER BY address;

DROP TABLE regress_feeder_bounces;
REVOKE CREATE ON SCHEMA public FROM regress_feeder;
DROP OWNED BY regress_feeder, regress_reader, regress_support, regress_worker;
DROP ROLE regress_feeder, regress_reader, regress_support, regress_worker;
