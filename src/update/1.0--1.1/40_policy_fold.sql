
-- The policy becomes one state machine in the C core: one trigger function
-- folds new events and deliveries (deliveries were PL/pgSQL), and manual
-- changes go through the same fold (suppress and unsuppress become C).
-- Its writes run as the owner of the tables, so feeding bounces needs only
-- INSERT; manual changes and handing out retries need EXECUTE, which
-- PUBLIC no longer has.
CREATE FUNCTION @extschema@._log_after() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_log_after' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@._log_after() IS
    'AFTER INSERT statement trigger of bounce.events (''bounce'') and bounce.deliveries (''delivery''): folds the new rows into bounce.addresses and bounce.retries with the policy state machine, set-based, locking addresses in order, writing as the owner of those tables';
DROP TRIGGER events_after ON @extschema@.events;
CREATE TRIGGER events_after AFTER INSERT ON @extschema@.events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_after('bounce');
DROP TRIGGER deliveries_after ON @extschema@.deliveries;
CREATE TRIGGER deliveries_after AFTER INSERT ON @extschema@.deliveries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_after('delivery');
DROP FUNCTION @extschema@._events_after();
DROP FUNCTION @extschema@._deliveries_after();
DROP FUNCTION @extschema@._restored(regclass, bigint);

COMMENT ON COLUMN @extschema@.events.applied IS 'set by the policy; a row inserted with true by the table''s owner or a superuser (a restore from pg_dump) is taken as already applied; from other roles the flag is ignored';
COMMENT ON COLUMN @extschema@.deliveries.applied IS 'set by the policy; a row inserted with true by the table''s owner or a superuser (a restore from pg_dump) is taken as already applied; from other roles the flag is ignored';

CREATE OR REPLACE FUNCTION @extschema@.suppress(address text, reason text DEFAULT 'manual',
                                                 at timestamptz DEFAULT now())
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_suppress' LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.suppress(text, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.suppress(text, text, timestamptz) IS
    'suppress an address by hand (logged in bounce.suppression_log with the caller, NOTIFY bounce_suppression); false when it already was (a suppression by promotion becomes a manual one); EXECUTE is granted by the owner';

CREATE OR REPLACE FUNCTION @extschema@.unsuppress(address text, at timestamptz DEFAULT now())
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_unsuppress' LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.unsuppress(text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.unsuppress(text, timestamptz) IS
    'lift a suppression by hand (logged, NOTIFY bounce_suppression); bounces older than this no longer count, a later hard bounce suppresses again; false when the address is not suppressed; EXECUTE is granted by the owner';

-- due_retries() is replaced whole by 95_citus.sql.

-- Where each address's history ends, from its log: an entry that arrives
-- later but is not newer than this makes the address fold again in order.
ALTER TABLE @extschema@.addresses ADD COLUMN last_entry_at timestamptz;
COMMENT ON COLUMN @extschema@.addresses.last_entry_at IS 'time of the latest log entry (event, delivery, manual change) the state holds: an entry that arrives later but is not newer makes the policy fold the address''s log again in time order';
UPDATE @extschema@.addresses a SET last_entry_at = l.at
  FROM (SELECT x.address, max(x.at) AS at
          FROM (SELECT e.address, e.occurred_at AS at FROM @extschema@.events e
                UNION ALL
                SELECT d.address, d.delivered_at FROM @extschema@.deliveries d
                UNION ALL
                SELECT s.address, s.at FROM @extschema@.suppression_log s) x
         GROUP BY x.address) l
 WHERE a.address OPERATOR(pg_catalog.=) l.address;
