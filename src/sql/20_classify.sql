
-- ---------------------------------------------------------------------------
-- 20_classify.sql - classification: bounce_class, bounce_reason,
-- bounce_action, classify(), reason(), explain() and the built-in policy.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.bounce_class AS ENUM ('none', 'soft', 'hard');
COMMENT ON TYPE @extschema@.bounce_class IS
    'none (not a failure) < soft (retrying may help) < hard (it will not): max() gives the worst';

-- Sisimai's reason vocabulary, plus greylisting (retried in minutes).
CREATE TYPE @extschema@.bounce_reason AS ENUM (
    'authfailure', 'badreputation', 'blocked', 'contenterror', 'delivered',
    'exceedlimit', 'expired', 'failedstarttls', 'feedback', 'filtered',
    'greylisting', 'hasmoved', 'hostunknown', 'mailboxfull', 'mailererror',
    'mesgtoobig', 'networkerror', 'norelaying', 'notaccept', 'notcompliantrfc',
    'onhold', 'policyviolation', 'rejected', 'requireptr', 'securityerror',
    'spamdetected', 'speeding', 'suppressed', 'suspend', 'syntaxerror',
    'systemerror', 'systemfull', 'toomanyconn', 'undefined', 'userunknown',
    'vacation', 'virusdetected'
);
COMMENT ON TYPE @extschema@.bounce_reason IS
    'why a message bounced: Sisimai''s reason names (userunknown, mailboxfull, blocked, ...) plus greylisting';

CREATE TYPE @extschema@.bounce_action AS ENUM ('ignore', 'retry', 'alert', 'suppress');
COMMENT ON TYPE @extschema@.bounce_action IS
    'what the policy does with a bounce: ignore, retry later, alert a human, suppress the address';

CREATE FUNCTION @extschema@.classify(@extschema@.smtp_status) RETURNS @extschema@.bounce_class
    AS 'MODULE_PATHNAME', 'bounce_classify_status' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(@extschema@.smtp_status) IS
    'hard, soft or none for a parsed SMTP reply';

CREATE FUNCTION @extschema@.classify(text) RETURNS @extschema@.bounce_class
    AS 'MODULE_PATHNAME', 'bounce_classify_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.classify(text) IS
    'hard, soft or none for any reply text, parsed leniently (text with no code is classified by its words; soft when nothing matches)';

CREATE FUNCTION @extschema@.reason(@extschema@.smtp_status) RETURNS @extschema@.bounce_reason
    AS 'MODULE_PATHNAME', 'bounce_reason_status' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.reason(@extschema@.smtp_status) IS
    'bounce reason (userunknown, mailboxfull, blocked, ...) of a parsed SMTP reply';

CREATE FUNCTION @extschema@.reason(text) RETURNS @extschema@.bounce_reason
    AS 'MODULE_PATHNAME', 'bounce_reason_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.reason(text) IS
    'bounce reason of any reply text, parsed leniently';

-- The verdict with the built-in defaults; bounce.explain() (40_policy.sql)
-- applies the configured bounce.reason_policy on top of it.
CREATE FUNCTION @extschema@._explain_builtin(status @extschema@.smtp_status,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT action @extschema@.bounce_action, OUT retry_after interval, OUT rule text)
    AS 'MODULE_PATHNAME', 'bounce_explain_status' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._explain_builtin(@extschema@.smtp_status) IS
    'explain() with the built-in defaults only (what bounce.reason_policy was seeded with)';

CREATE FUNCTION @extschema@._explain_builtin(reply text,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT action @extschema@.bounce_action, OUT retry_after interval, OUT rule text)
    AS 'MODULE_PATHNAME', 'bounce_explain_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._explain_builtin(text) IS
    'explain() of any reply text with the built-in defaults only';

CREATE FUNCTION @extschema@._default_policy(
        OUT reason @extschema@.bounce_reason, OUT action @extschema@.bounce_action,
        OUT retry_after interval, OUT retry_max interval, OUT message_level boolean)
    RETURNS SETOF record
    AS 'MODULE_PATHNAME', 'bounce_default_policy' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._default_policy() IS
    'built-in policy per reason (action, first and longest retry delay, message-level or not); seeds bounce.reason_policy';
