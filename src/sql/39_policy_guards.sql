
-- ---------------------------------------------------------------------------
-- 39_policy_guards.sql - the trigger functions that keep bounce.config and
-- bounce.reason_policy whole.  They write the table they fire on, named by
-- the trigger, so that on a Citus cluster a reference table's shard is
-- kept by its own trigger without a distributed query from inside a shard
-- (which deadlocks).  The same file replaces 1.0's functions on an update
-- (src/update/1.0--1.1/39_policy_guards.sql).
-- ---------------------------------------------------------------------------

-- A row that differs from the shipped default is not builtin (so pg_dump
-- keeps it; setting it back makes it builtin again); an INSERT of
-- an existing key (as a restore does) replaces the row; rows cannot be
-- deleted, since every (reason, class) needs a policy.
CREATE OR REPLACE FUNCTION @extschema@._reason_policy_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF (NEW.reason, NEW.class) IS DISTINCT FROM (OLD.reason, OLD.class) THEN
            RAISE EXCEPTION 'the reason and class of a bounce.reason_policy row cannot change'
                USING ERRCODE = 'restrict_violation';
        END IF;
        -- builtin while equal to what the extension ships for this row
        NEW.builtin := EXISTS (
            SELECT 1 FROM @extschema@._default_policy() d
             WHERE d.reason OPERATOR(pg_catalog.=) NEW.reason
               AND (NEW.action, NEW.retry_after, NEW.retry_max, NEW.message_level)
                   IS NOT DISTINCT FROM
                   (@extschema@._effective_action(NEW.class, d.action), d.retry_after,
                    greatest(d.retry_max, d.retry_after), d.message_level));
        RETURN NEW;
    ELSIF TG_OP = 'INSERT' THEN
        EXECUTE pg_catalog.format('UPDATE %I.%I p'
            ' SET action = ($1).action, retry_after = ($1).retry_after,'
            ' retry_max = ($1).retry_max, message_level = ($1).message_level'
            ' WHERE p.reason OPERATOR(pg_catalog.=) ($1).reason'
            ' AND p.class OPERATOR(pg_catalog.=) ($1).class', TG_TABLE_SCHEMA, TG_TABLE_NAME)
            USING NEW;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            RETURN NULL;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'rows of bounce.reason_policy cannot be deleted'
        USING ERRCODE = 'restrict_violation',
              HINT = 'UPDATE the action instead (for instance to ''ignore'').';
END
$$;
COMMENT ON FUNCTION @extschema@._reason_policy_guard() IS
    'trigger of bounce.reason_policy: marks changed rows, turns an INSERT of an existing key into an update (restore), refuses DELETE and TRUNCATE';

-- The row is replaced, not duplicated, by an INSERT (as a restore from
-- pg_dump does): every column is copied, whatever columns a version adds.
-- It cannot be deleted.
CREATE OR REPLACE FUNCTION @extschema@._config_guard() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    cols text;
    n bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = TG_RELID AND a.attnum > 0 AND NOT a.attisdropped;
        EXECUTE pg_catalog.format('UPDATE %I.%I SET (%s) = ROW(($1).*)', TG_TABLE_SCHEMA, TG_TABLE_NAME, cols)
            USING NEW;
        GET DIAGNOSTICS n = ROW_COUNT;
        IF n > 0 THEN
            RETURN NULL;
        END IF;
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'bounce.config must keep its row'
        USING ERRCODE = 'restrict_violation',
              HINT = 'UPDATE bounce.config to change a setting.';
END
$$;
COMMENT ON FUNCTION @extschema@._config_guard() IS
    'trigger of bounce.config: an INSERT replaces the one row (pg_dump restores it so); DELETE and TRUNCATE are refused';
