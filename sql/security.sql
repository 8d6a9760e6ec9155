-- security.sql - a hostile role's operators and functions, found first on
-- the search_path, cannot hijack the extension: neither its install script
-- (as in contrib/seg/sql/security.sql) nor the policy at run time (triggers,
-- is_suppressed(), suppress(), due_retries(), track(), the views).
CREATE EXTENSION IF NOT EXISTS bounce;
SET client_min_messages = warning;

CREATE ROLE regress_bounce_evil;
CREATE SCHEMA regress_evil AUTHORIZATION regress_bounce_evil;
CREATE TABLE regress_evil.calls (what text);
GRANT ALL ON regress_evil.calls TO PUBLIC;

SET SESSION AUTHORIZATION regress_bounce_evil;
-- every trap records that it ran; a real attack would do worse
CREATE FUNCTION regress_evil.trap_tt(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('text = text'); RETURN $1 OPERATOR(pg_catalog.=) $2; END $$;
CREATE OPERATOR regress_evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_evil.trap_tt);
CREATE FUNCTION regress_evil.trap_tne(text, text) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('text <> text'); RETURN $1 OPERATOR(pg_catalog.<>) $2; END $$;
CREATE OPERATOR regress_evil.<> (LEFTARG = text, RIGHTARG = text, FUNCTION = regress_evil.trap_tne);
CREATE FUNCTION regress_evil.trap_ts(timestamptz, timestamptz) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('timestamptz <='); RETURN $1 OPERATOR(pg_catalog.<=) $2; END $$;
CREATE OPERATOR regress_evil.<= (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = regress_evil.trap_ts);
CREATE FUNCTION regress_evil.trap_st(bounce.address_state, bounce.address_state) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('address_state <>'); RETURN $1::text OPERATOR(pg_catalog.<>) $2::text; END $$;
CREATE OPERATOR regress_evil.<> (LEFTARG = bounce.address_state, RIGHTARG = bounce.address_state, FUNCTION = regress_evil.trap_st);
CREATE OPERATOR regress_evil.= (LEFTARG = bounce.address_state, RIGHTARG = bounce.address_state, FUNCTION = regress_evil.trap_st);
CREATE FUNCTION regress_evil.pg_notify(text, text) RETURNS void LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('pg_notify'); END $$;
CREATE FUNCTION regress_evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('now'); RETURN '2000-01-01'; END $$;
CREATE FUNCTION regress_evil.unnest(text[]) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('unnest'); RETURN QUERY SELECT pg_catalog.unnest($1); END $$;
CREATE FUNCTION regress_evil.isfinite(timestamptz) RETURNS boolean LANGUAGE plpgsql AS
$$ BEGIN INSERT INTO regress_evil.calls VALUES ('isfinite'); RETURN true; END $$;
RESET SESSION AUTHORIZATION;

-- the victim's session puts the hostile schema before pg_catalog
SET search_path = regress_evil, pg_catalog, public;

-- the traps are live: an unqualified comparison in the victim's own query runs one
SELECT 'a'::text = 'a'::text AS control;
SELECT count(*) AS control_calls FROM regress_evil.calls;
TRUNCATE regress_evil.calls;

-- the install script: CREATE EXTENSION under the hostile search_path
DROP EXTENSION bounce;
CREATE EXTENSION bounce;
SELECT count(*) AS calls_after_install FROM regress_evil.calls;

-- the policy at run time
INSERT INTO bounce.events (address, campaign, status, occurred_at) VALUES
    ('Victim@Example.com', 'c1', '550 5.1.1 User unknown', '2026-01-01 00:00+00'),
    ('soft@example.com', 'c1', '452 4.2.2 Mailbox full', '2026-01-01 00:00+00'),
    ('soft@example.com', 'c2', '452 4.2.2 Mailbox full', '2026-01-02 00:00+00');
INSERT INTO bounce.deliveries (address, campaign, delivered_at)
VALUES ('other@example.com', 'c1', '2026-01-01 00:00+00');
SELECT bounce.is_suppressed('victim@example.com'), bounce.is_suppressed('soft@example.com');
SELECT bounce.suppress('manual@example.com', 'by hand', '2026-01-01 00:00+00');
SELECT bounce.unsuppress('manual@example.com', '2026-01-02 00:00+00');
SELECT address, failures FROM bounce.due_retries(10, '2026-06-01 00:00+00');
SELECT campaign, sent, hard FROM bounce.campaign_stats ORDER BY campaign;
SELECT soft_addresses FROM bounce.soft_to_hard;
SELECT count(*) FROM bounce.repeat_soft;
SELECT class, reason, action FROM bounce.explain('550 5.1.1 User unknown');
UPDATE bounce.reason_policy SET action = 'alert' WHERE reason = 'blocked';
UPDATE bounce.reason_policy SET action = bounce._effective_action(class, 'suppress') WHERE reason = 'blocked';
INSERT INTO bounce.config (soft_threshold) VALUES (3);
SELECT bounce.set_sender_side_action('alert');
SELECT bounce.set_sender_side_action('suppress');
SELECT count(*) FROM bounce.sender_alerts;
SELECT bounce.verp_decode(bounce.verp_encode('bounces', 'Victim@Example.com', 'lists.example.org', true), true);
INSERT INTO bounce.secrets (name, value) SELECT s.name, s.value FROM bounce.secrets s;
CREATE TABLE public.victim_bounces (email text, reply text, c text, r text);
CREATE TRIGGER b BEFORE INSERT ON public.victim_bounces
    FOR EACH ROW EXECUTE FUNCTION bounce.track('email', 'reply', 'c', 'r');
INSERT INTO public.victim_bounces VALUES ('t@example.com', '550 5.1.1 x');
SELECT address, state, soft_total, hard_total FROM bounce.addresses ORDER BY address;

-- none of the traps ran
SELECT count(*) AS calls_at_run_time FROM regress_evil.calls;
SELECT DISTINCT what FROM regress_evil.calls ORDER BY 1;

RESET search_path;
DROP TABLE public.victim_bounces;
DROP SCHEMA regress_evil CASCADE;
DROP ROLE regress_bounce_evil;
-- leave the extension installed for the tests that follow
TRUNCATE bounce.events, bounce.deliveries, bounce.addresses, bounce.retries,
         bounce.address_campaigns, bounce.campaign_counts, bounce.domain_counts, bounce.address_counts,
         bounce.suppression_log;
