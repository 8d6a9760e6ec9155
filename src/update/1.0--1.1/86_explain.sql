
-- explain() becomes C over a cached policy (within 3x classify() in a
-- select list), the cache invalidated by a trigger on the two tables.
-- C, reading the policy from a per-backend cache that a trigger on
-- reason_policy and config invalidates, and keeping its last result:
-- (explain(s)).* calls it once per column.  No SET clause: it would cost a
-- GUC save and restore per call, and every name it uses is qualified.
CREATE OR REPLACE FUNCTION @extschema@.explain(status @extschema@.smtp_status,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT action @extschema@.bounce_action, OUT retry_after interval, OUT rule text)
    AS 'MODULE_PATHNAME', 'bounce_explain_configured_status'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.explain(@extschema@.smtp_status) IS
    'class, reason, the configured action (bounce.reason_policy) and first retry delay of a reply, and the rule that decided';

CREATE OR REPLACE FUNCTION @extschema@.explain(reply text,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT action @extschema@.bounce_action, OUT retry_after interval, OUT rule text)
    AS 'MODULE_PATHNAME', 'bounce_explain_configured_text'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.explain(text) IS
    'class, reason, the configured action (bounce.reason_policy) and first retry delay of any reply text, and the rule that decided';

CREATE FUNCTION @extschema@._policy_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_policy_changed' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._policy_changed() IS
    'statement trigger of bounce.reason_policy and bounce.config: every backend reads the policy again (relcache invalidation)';
CREATE TRIGGER reason_policy_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.reason_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._policy_changed();
CREATE TRIGGER config_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON @extschema@.config
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._policy_changed();

