
-- ---------------------------------------------------------------------------
-- 30_dsn.sql - parse_dsn(): delivery status notifications, plain-text
-- bounces, ARF complaints and auto-replies, one row per recipient.
-- ---------------------------------------------------------------------------

-- STABLE, not IMMUTABLE: a Last-Attempt-Date without a zone is read in the
-- session's TimeZone, as timestamptz input reads it.
CREATE FUNCTION @extschema@.parse_dsn(message text,
        OUT recipient text, OUT original_recipient text, OUT action text,
        OUT status @extschema@.smtp_status, OUT diagnostic text,
        OUT remote_mta text, OUT reporting_mta text,
        OUT last_attempt timestamptz,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'bounce_parse_dsn'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.parse_dsn(text) IS
    'one row per recipient of a bounce email (RFC 3464 DSN, MTA bounce text, ARF complaint -> feedback, auto-reply -> vacation); no rows when the email is not a bounce';

CREATE FUNCTION @extschema@.parse_dsn(message bytea,
        OUT recipient text, OUT original_recipient text, OUT action text,
        OUT status @extschema@.smtp_status, OUT diagnostic text,
        OUT remote_mta text, OUT reporting_mta text,
        OUT last_attempt timestamptz,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'bounce_parse_dsn_bytea'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.parse_dsn(bytea) IS
    'parse_dsn() over raw bytes (pg_read_binary_file()), for emails that are not valid in the database encoding; bytes that are not valid text come out as ?';
