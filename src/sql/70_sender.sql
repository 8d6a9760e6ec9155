
-- ---------------------------------------------------------------------------
-- 70_sender.sql - the sender's side: which reasons are about the sender,
-- one switch for their action, alerts when a provider blocks us, the
-- extension's keys, and VERP return addresses (signed or not).
-- ---------------------------------------------------------------------------

-- The list itself is the core classifier's (classify.c), so the switch,
-- the alerts and any later view agree on it.
CREATE FUNCTION @extschema@.is_sender_side(reason @extschema@.bounce_reason) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_is_sender_side' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_sender_side(@extschema@.bounce_reason) IS
    'true for reasons about the sender rather than the recipient (blocked, badreputation, authfailure, requireptr, securityerror, rejected): the address is probably fine';

-- ---------------------------------------------------------------------------
-- One switch: the action of every sender-side reason, in reason_policy
-- ---------------------------------------------------------------------------

-- Each row gets what the action means for its class, as the install seeds
-- them (_effective_action): 'alert' makes soft rows alert too (no retry
-- into a block, no promotion), 'suppress' gives the shipped rows back
-- (soft ones retry), and the guard trigger marks them builtin again.
CREATE FUNCTION @extschema@.set_sender_side_action(action @extschema@.bounce_action)
    RETURNS bigint
    LANGUAGE sql VOLATILE STRICT SET search_path = pg_catalog, pg_temp AS $$
    WITH changed AS (
        UPDATE @extschema@.reason_policy p
           SET action = @extschema@._effective_action(p.class, set_sender_side_action.action)
         WHERE @extschema@.is_sender_side(p.reason)
           AND p.action OPERATOR(pg_catalog.<>)
               @extschema@._effective_action(p.class, set_sender_side_action.action)
        RETURNING 1
    )
    SELECT pg_catalog.count(*) FROM changed
$$;
COMMENT ON FUNCTION @extschema@.set_sender_side_action(@extschema@.bounce_action) IS
    'sets the action of every sender-side reason in bounce.reason_policy (''alert'': blocks no longer cost subscribers; ''suppress'': the shipped default), per class as the install does; returns the rows changed';

-- ---------------------------------------------------------------------------
-- Alerts: a recipient domain that fails us for sender-side reasons
-- ---------------------------------------------------------------------------

-- Fixed windows of config.sender_alert_window (aligned on 2000-01-01 UTC),
-- so a window's row appears as soon as it crosses both thresholds and
-- stays the same afterwards.  Bounces are failures (class soft or hard).
CREATE VIEW @extschema@.sender_alerts AS
WITH settings AS (
    SELECT c.sender_alert_count AS min_count, c.sender_alert_share AS min_share,
           c.sender_alert_window AS width
      FROM @extschema@.config c
), failures AS (
    SELECT pg_catalog.substring(e.address, '@([^@]*)$') AS domain,
           pg_catalog.date_bin(s.width, e.occurred_at, timestamptz '2000-01-01 00:00:00+00') AS window_start,
           s.width, s.min_count, s.min_share,
           e.id, e.occurred_at, e.status, e.reason,
           @extschema@.is_sender_side(e.reason) AS sender_side
      FROM @extschema@.events e CROSS JOIN settings s
     WHERE e.class OPERATOR(pg_catalog.>) 'none'::@extschema@.bounce_class
), per_window AS (
    SELECT f.domain, f.window_start, f.width, f.min_count, f.min_share,
           pg_catalog.count(*) FILTER (WHERE f.sender_side) AS failures,
           pg_catalog.count(*) AS bounces,
           pg_catalog.array_agg(DISTINCT f.reason ORDER BY f.reason) FILTER (WHERE f.sender_side) AS reasons,
           (pg_catalog.array_agg(f.status ORDER BY f.occurred_at DESC, f.id DESC) FILTER (WHERE f.sender_side))[1] AS sample_reply,
           pg_catalog.min(f.occurred_at) FILTER (WHERE f.sender_side) AS first_at,
           pg_catalog.max(f.occurred_at) FILTER (WHERE f.sender_side) AS last_at
      FROM failures f
     GROUP BY f.domain, f.window_start, f.width, f.min_count, f.min_share
)
SELECT w.domain, w.window_start, w.window_start OPERATOR(pg_catalog.+) w.width AS window_end,
       w.failures, w.bounces,
       pg_catalog.round(w.failures::numeric OPERATOR(pg_catalog./) w.bounces, 4) AS share,
       w.reasons, w.sample_reply, w.first_at, w.last_at
  FROM per_window w
 WHERE w.failures OPERATOR(pg_catalog.>=) w.min_count
   AND w.failures OPERATOR(pg_catalog.>=) (w.min_share OPERATOR(pg_catalog.*) w.bounces);
COMMENT ON VIEW @extschema@.sender_alerts IS
    'sender-side incidents: per recipient domain and window (config.sender_alert_window, 1 hour), failures with a sender-side reason when there are at least config.sender_alert_count (20) making up at least config.sender_alert_share (10%) of the domain''s bounces; with the reasons, the latest reply, and the first and last failure';

-- ---------------------------------------------------------------------------
-- Keys: readable by the owner only, kept by pg_dump
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.random_key() RETURNS bytea
    AS 'MODULE_PATHNAME', 'bounce_random_key' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.random_key() IS
    '32 bytes from the server''s strong random source (pg_strong_random): a new key for bounce.secrets';

-- One row per purpose ('verp' signs VERP addresses; another purpose gets
-- its own name), so replacing one key never touches another.
CREATE TABLE @extschema@.secrets (
    name  text PRIMARY KEY,
    value bytea NOT NULL CHECK (pg_catalog.octet_length(value) >= 32)
);
REVOKE ALL ON TABLE @extschema@.secrets FROM PUBLIC;
COMMENT ON TABLE @extschema@.secrets IS
    'keys of the extension, readable by the table owner only; functions that need one hand out HMAC results, never the key. UPDATE ... SET value = bounce.random_key() replaces one (older signatures then fail)';
COMMENT ON COLUMN @extschema@.secrets.name IS 'what the key is for: verp signs VERP return addresses';
COMMENT ON COLUMN @extschema@.secrets.value IS 'the key, at least 32 bytes';

-- A restore (pg_dump keeps the rows, so signatures verify after it) finds
-- the key CREATE EXTENSION just made: its INSERT replaces the value.
CREATE FUNCTION @extschema@._secrets_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    -- the table it fires on: on a Citus cluster, a reference table's shard
    EXECUTE pg_catalog.format('UPDATE %I.%I s SET value = ($1).value'
        ' WHERE s.name OPERATOR(pg_catalog.=) ($1).name', TG_TABLE_SCHEMA, TG_TABLE_NAME) USING NEW;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION @extschema@._secrets_guard() IS
    'trigger of bounce.secrets: an INSERT of an existing name replaces its key (a restore from pg_dump does that)';

CREATE TRIGGER secrets_guard BEFORE INSERT ON @extschema@.secrets
    FOR EACH ROW EXECUTE FUNCTION @extschema@._secrets_guard();

INSERT INTO @extschema@.secrets (name, value) VALUES ('verp', @extschema@.random_key());
SELECT pg_catalog.pg_extension_config_dump('@extschema@.secrets', '');

-- ---------------------------------------------------------------------------
-- VERP return addresses
-- ---------------------------------------------------------------------------

-- SECURITY DEFINER: a signed form needs the key, read as the owner of
-- bounce.secrets; out come only return paths and decoded addresses.
-- STABLE: the key may change between statements.
CREATE FUNCTION @extschema@.verp_encode(return_local text, address text, domain text,
                                        signed boolean DEFAULT false)
    RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_verp_encode_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verp_encode(text, text, text, boolean) IS
    'the VERP return path naming a recipient: verp_encode(''bounces'', ''jane@example.com'', ''lists.example.org'') = bounces+jane=example.com@lists.example.org; signed appends an HMAC-SHA256 tag; the recipient''s local part is escaped (=xx), the local part must fit 64 octets (54000 otherwise)';

CREATE FUNCTION @extschema@.verp_decode(return_address text) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_verp_decode_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verp_decode(text) IS
    'the recipient (normalized) a VERP return address names, in any case; NULL when it is not a VERP address of this scheme or its signature does not verify; never an error';

CREATE FUNCTION @extschema@.verp_decode(return_address text, require_signed boolean) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_verp_decode_sql'
    LANGUAGE C STABLE STRICT PARALLEL SAFE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verp_decode(text, boolean) IS
    'verp_decode() that, with require_signed, also gives NULL for the unsigned form: once you sign, an unsigned address is a forgery';
