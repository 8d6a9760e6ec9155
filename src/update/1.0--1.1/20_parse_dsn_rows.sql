
-- parse_dsn rows gain recipient_raw, original_recipient_raw, evidence and event_key;
-- recipient and original_recipient are now normalized addresses or NULL.
-- A function's row type cannot change in place: drop and create both.
DROP FUNCTION @extschema@.parse_dsn(text);
DROP FUNCTION @extschema@.parse_dsn(bytea);
CREATE FUNCTION @extschema@.parse_dsn(message text,
        OUT recipient text, OUT original_recipient text, OUT action text,
        OUT status @extschema@.smtp_status, OUT diagnostic text,
        OUT remote_mta text, OUT reporting_mta text,
        OUT last_attempt timestamptz,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT recipient_raw text, OUT original_recipient_raw text, OUT evidence text,
        OUT event_key text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'bounce_parse_dsn'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.parse_dsn(text) IS
    'one row per recipient of a bounce email (RFC 3464 DSN, MTA bounce text, ARF complaint -> feedback, auto-reply -> vacation); no rows when the email is not a bounce. recipient and original_recipient are normalized addresses or NULL (the raw text is in recipient_raw, original_recipient_raw); the address the sender used is coalesce(original_recipient, recipient); evidence names what named the recipient (report, x-failed-recipients, prose, transcript, envelope, returned-to, feedback-report, json, auto-reply-sender, notice); event_key identifies the mail (its Message-ID, else a hash of its bytes), the same however often it is read: bounce.events keeps one event per (address, event_key)';

CREATE FUNCTION @extschema@.parse_dsn(message bytea,
        OUT recipient text, OUT original_recipient text, OUT action text,
        OUT status @extschema@.smtp_status, OUT diagnostic text,
        OUT remote_mta text, OUT reporting_mta text,
        OUT last_attempt timestamptz,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT recipient_raw text, OUT original_recipient_raw text, OUT evidence text,
        OUT event_key text)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'bounce_parse_dsn_bytea'
    LANGUAGE C STABLE STRICT PARALLEL SAFE ROWS 1;
COMMENT ON FUNCTION @extschema@.parse_dsn(bytea) IS
    'parse_dsn() over raw bytes (pg_read_binary_file()), for emails that are not valid in the database encoding; bytes that are not valid text come out as ?';
