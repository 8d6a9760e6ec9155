
-- ---------------------------------------------------------------------------
-- 95_citus.sql - running distributed on Citus (issue 16): bounce.distribute()
-- spreads the per-address tables over the workers by address, each shard's
-- trigger folds its own rows into the co-located shards (src/shard.c), and
-- the suppressions a shard makes wait in an outbox that
-- bounce.relay_suppressions() turns into NOTIFYs on the coordinator.  The
-- same file is the update from 1.0 (src/update/1.0--1.1/95_citus.sql).
-- ---------------------------------------------------------------------------

-- A NOTIFY on a worker would stop the coordinator's two-phase commit, and
-- reach no one listening on the coordinator; a shard's fold queues here.
CREATE TABLE @extschema@.suppression_outbox (
    address   text NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT pg_catalog.clock_timestamp()
);
COMMENT ON TABLE @extschema@.suppression_outbox IS
    'on a distributed install, the (un)suppressions made on the workers, waiting for bounce.relay_suppressions() to NOTIFY them on the coordinator (empty on a single node, which notifies at commit)';
COMMENT ON COLUMN @extschema@.suppression_outbox.address IS 'normalized address whose suppression changed';
COMMENT ON COLUMN @extschema@.suppression_outbox.queued_at IS 'when the fold queued it';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.suppression_outbox', '');

CREATE FUNCTION @extschema@.relay_suppressions() RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    n bigint;
BEGIN
    WITH d AS (DELETE FROM @extschema@.suppression_outbox RETURNING address, queued_at)
    SELECT count(pg_catalog.pg_notify('bounce_suppression', q.address)) INTO n
      FROM (SELECT d.address FROM d ORDER BY d.queued_at, d.address) q;
    RETURN n;
END
$$;
REVOKE ALL ON FUNCTION @extschema@.relay_suppressions() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.relay_suppressions() IS
    'on a distributed install: NOTIFY bounce_suppression (at this transaction''s commit) for each address the workers queued in bounce.suppression_outbox, and empty it; how many. Run it on the coordinator, from a schedule (pg_cron) or from the listener; EXECUTE is granted by the owner';

-- One row per shard of bounce.addresses, placed in it: a manual change
-- called where its address's shard is not (a statement with several
-- calls, a function) is sent to that shard in a query on this table.
CREATE TABLE @extschema@.shard_anchors (
    shard_key text PRIMARY KEY
);
COMMENT ON TABLE @extschema@.shard_anchors IS
    'on a distributed install, one row per shard of bounce.addresses: a text that hashes into the shard (bounce._shard_anchor()), through which suppress(), unsuppress() and forget() reach the node of an address; filled by bounce.distribute(), empty on a single node';
COMMENT ON COLUMN @extschema@.shard_anchors.shard_key IS 'the shard''s anchor: "bounce-anchor-K" for the least K that hashes into its range';

CREATE FUNCTION @extschema@._shard_anchor(shardid bigint) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_shard_anchor_sql' LANGUAGE C STABLE STRICT;
COMMENT ON FUNCTION @extschema@._shard_anchor(bigint) IS
    'the anchor of a shard of a table co-located with bounce.addresses: the text bounce.forgotten.shard_key and bounce.shard_anchors use for it';

-- The tables by the way Citus keeps them: by address (co-located with
-- bounce.addresses), by the anchor of the address's shard (the hashes of
-- forgotten addresses, co-located too), by the counters' slot (as many
-- shards, placed with the addresses'), or copied to every node
-- (reference).
CREATE FUNCTION @extschema@._distribution(OUT table_name text, OUT kind text)
    RETURNS SETOF record LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    VALUES ('addresses', 'address'), ('events', 'address'), ('deliveries', 'address'),
           ('retries', 'address'), ('suppression_log', 'address'), ('baselines', 'address'),
           ('baseline_retries', 'address'), ('address_campaigns', 'address'),
           ('baseline_campaigns', 'address'), ('suppression_outbox', 'address'),
           ('campaign_counts', 'bucket'), ('domain_counts', 'bucket'), ('address_counts', 'bucket'),
           ('config', 'reference'), ('reason_policy', 'reference'), ('campaigns', 'reference'),
           ('webhook_types', 'reference'), ('webhook_keys', 'reference'), ('secrets', 'reference'),
           ('forgotten', 'anchor'), ('shard_anchors', 'anchor')
$$;
COMMENT ON FUNCTION @extschema@._distribution() IS
    'how bounce.distribute() places each table: address (hash on address, co-located with bounce.addresses), anchor (hash on shard_key, a text of the address''s shard range: co-located too), bucket (hash on the counters'' slot, as many shards as the addresses, placed with them) or reference';

CREATE FUNCTION @extschema@.distribute(shard_count integer DEFAULT NULL) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    t record;
    n integer;
    have integer;
    misplaced text;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'bounce.distribute() needs Citus'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  DETAIL = 'Extension citus is not installed in this database.',
                  HINT = 'On a Citus coordinator with its workers added: CREATE EXTENSION citus; then SELECT bounce.distribute().';
    END IF;
    IF shard_count IS NOT NULL AND (shard_count < 1 OR shard_count > 2000) THEN
        RAISE EXCEPTION 'bounce.distribute(): shard_count must be between 1 and 2000, not %', shard_count
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    n := coalesce(shard_count, current_setting('citus.shard_count')::integer);
    EXECUTE 'SELECT count(*) FROM pg_dist_shard WHERE logicalrelid = $1' INTO have
        USING '@extschema@.addresses'::regclass;
    IF have > 0 THEN
        IF shard_count IS NOT NULL AND have <> shard_count THEN
            RAISE EXCEPTION 'bounce is distributed already, over % shards', have
                USING ERRCODE = 'object_not_in_prerequisite_state',
                      HINT = 'Change the count with Citus''s alter_distributed_table() on every table of bounce at once.';
        END IF;
        n := have;
    ELSIF n > 2000 THEN
        RAISE EXCEPTION 'bounce.distribute(): citus.shard_count is %, bounce supports up to 2000 shards', n
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Citus would copy the rows into the shards, and their triggers fold
    -- them a second time
    IF have = 0 AND (EXISTS (SELECT FROM @extschema@.addresses) OR EXISTS (SELECT FROM @extschema@.events)
                     OR EXISTS (SELECT FROM @extschema@.deliveries) OR EXISTS (SELECT FROM @extschema@.suppression_log)) THEN
        RAISE EXCEPTION 'bounce.distribute() needs an install without addresses or events'
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Dump the data (pg_dump --data-only --schema=bounce), distribute an empty install, and restore the dump into it.';
    END IF;
    -- the policy's triggers fold on the shards, by design (src/shard.c)
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
    FOR t IN SELECT d.table_name, d.kind,
                    (SELECT count(*) > 0 FROM pg_dist_partition p
                      WHERE p.logicalrelid = pg_catalog.format('@extschema@.%I', d.table_name)::regclass) AS done
               FROM @extschema@._distribution() d
    LOOP
        CONTINUE WHEN t.done;
        IF t.kind = 'reference' THEN
            PERFORM create_reference_table(pg_catalog.format('@extschema@.%I', t.table_name));
        ELSIF t.table_name IN ('addresses', 'campaign_counts') THEN
            -- the first of each group makes it, with the count
            PERFORM create_distributed_table(pg_catalog.format('@extschema@.%I', t.table_name),
                                             CASE t.kind WHEN 'address' THEN 'address' ELSE 'bucket' END,
                                             colocate_with => 'none', shard_count => n);
        ELSE
            PERFORM create_distributed_table(pg_catalog.format('@extschema@.%I', t.table_name),
                                             CASE t.kind WHEN 'anchor' THEN 'shard_key' ELSE t.kind END,
                                             colocate_with => CASE t.kind WHEN 'bucket' THEN '@extschema@.campaign_counts'
                                                                  ELSE '@extschema@.addresses' END);
        END IF;
    END LOOP;
    -- a shard's fold writes the counters' shard of the same position on its node
    EXECUTE $q$
        WITH pos AS (
            SELECT s.logicalrelid, s.shardid, p.groupid,
                   rank() OVER (PARTITION BY s.logicalrelid ORDER BY s.shardminvalue::integer) AS idx
              FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)
             WHERE s.logicalrelid IN ($1, $2))
        SELECT string_agg(a.idx::text, ', ' ORDER BY a.idx)
          FROM pos a JOIN pos c ON c.idx = a.idx AND c.logicalrelid = $2
         WHERE a.logicalrelid = $1 AND a.groupid <> c.groupid $q$
        INTO misplaced USING '@extschema@.addresses'::regclass, '@extschema@.campaign_counts'::regclass;
    IF misplaced IS NOT NULL THEN
        RAISE EXCEPTION 'bounce.distribute(): the counters'' shards are not on the nodes of the addresses'' shards (positions %)', misplaced
            USING ERRCODE = 'object_not_in_prerequisite_state',
                  HINT = 'Move them with citus_move_shard_placement() to the node of the addresses'' shard at the same position.';
    END IF;
    -- concurrent COPYs wait for each other on the coordinator (src/shard.c)
    IF current_setting('shared_preload_libraries') !~ '(^|[\s,/])bounce($|[\s,])' THEN
        RAISE WARNING 'bounce is not in shared_preload_libraries on this coordinator'
            USING DETAIL = 'Two concurrent COPYs into bounce.events or bounce.deliveries over the same addresses can then deadlock, and Citus cancels one.',
                  HINT = 'Set shared_preload_libraries = ''citus,bounce'' and restart the coordinator.';
    END IF;
    EXECUTE $q$ INSERT INTO @extschema@.shard_anchors (shard_key)
                SELECT @extschema@._shard_anchor(s.shardid) FROM pg_dist_shard s
                 WHERE s.logicalrelid = '@extschema@.addresses'::regclass
                ON CONFLICT DO NOTHING $q$;
    -- suppress(), unsuppress() and forget() run on the node of their address
    PERFORM create_distributed_function(f::regprocedure, '$1', colocate_with => '@extschema@.addresses',
                                        force_delegation => true)
       FROM unnest(ARRAY['@extschema@.suppress(text, text, timestamptz)',
                         '@extschema@.unsuppress(text, timestamptz)',
                         '@extschema@.forget(text)']) AS f;
END
$$;
REVOKE ALL ON FUNCTION @extschema@.distribute(integer) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.distribute(integer) IS
    'on a Citus coordinator: distribute bounce''s tables (bounce._distribution() says how), shard_count shards (default citus.shard_count, at most 2000); the per-address tables by address, co-located; config, reason_policy, campaigns, secrets and the webhook tables as reference tables; suppress(), unsuppress() and forget() as functions run on their address''s node. Idempotent';

CREATE FUNCTION @extschema@._distributed() RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_distributed_sql' LANGUAGE C STABLE;
COMMENT ON FUNCTION @extschema@._distributed() IS
    'bounce.addresses is a Citus distributed table (bounce.distribute() has run)';

-- ---------------------------------------------------------------------------
-- Retries for workers.  One statement hands out on a single node; on a
-- cluster Citus cannot lock rows of several shards in one query, so the
-- coordinator reads the n earliest due retries without locking, and each
-- shard that holds some hands out as many of its own, earliest first,
-- skipping rows another worker holds: the same rows a single node would
-- hand out when no one else is taking, never one row twice.
-- ---------------------------------------------------------------------------

-- The hand-out, of any due retry or (on a cluster) of those of some
-- addresses, all in one shard, so that Citus sends the whole statement to
-- that shard; as JSON.
CREATE FUNCTION @extschema@._hand_out(n integer, at timestamptz, only_addresses text[] DEFAULT NULL)
    RETURNS jsonb
    LANGUAGE plpgsql VOLATILE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r jsonb;
    f text := CASE WHEN only_addresses IS NULL THEN ''
                   ELSE ' AND r.address = ANY ($3) AND a.address = ANY ($3)' END;
BEGIN
    EXECUTE pg_catalog.format($q$
        WITH due AS (
            SELECT r.address, r.campaign
              FROM @extschema@.retries r
              JOIN @extschema@.addresses a ON a.address = r.address
             WHERE r.handed_out_at IS NULL
               AND r.next_retry_at <= $2
               AND a.state <> 'suppressed' %1$s
             ORDER BY r.next_retry_at, r.address, r.campaign
             LIMIT greatest($1, 0)
               FOR UPDATE OF r, a SKIP LOCKED
        ), handed AS (
            UPDATE @extschema@.retries r SET handed_out_at = $2
              FROM due
             WHERE r.address = due.address AND r.campaign = due.campaign %2$s
            RETURNING r.address, r.campaign, r.reason, r.attempts, r.next_retry_at
        )
        SELECT coalesce(jsonb_agg(jsonb_build_object('address', h.address, 'campaign', h.campaign,
                                                     'reason', h.reason, 'failures', h.attempts,
                                                     'due_at', h.next_retry_at)), '[]')
          FROM handed h $q$, f, replace(f, ' AND a.address = ANY ($3)', ''))
        INTO r USING n, at, only_addresses;
    RETURN r;
END
$$;
REVOKE ALL ON FUNCTION @extschema@._hand_out(integer, timestamptz, text[]) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@._hand_out(integer, timestamptz, text[]) IS
    'due_retries()''s hand-out: up to n retries due at the given time (of the given addresses only, when not NULL), locked SKIP LOCKED and marked handed out, as a JSON array';

CREATE OR REPLACE FUNCTION @extschema@.due_retries(n integer, at timestamptz DEFAULT now())
    RETURNS TABLE (address text, campaign text, reason @extschema@.bounce_reason,
                   failures integer, due_at timestamptz)
    LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
    handed jsonb := '[]';
    s record;
BEGIN
    IF NOT @extschema@._distributed() THEN
        handed := @extschema@._hand_out(n, at);
    ELSE
        -- per shard: how many of the n earliest due it holds, and whose
        FOR s IN EXECUTE $q$
            SELECT get_shard_id_for_distribution_column('@extschema@.retries', d.address) AS shardid,
                   count(*)::integer AS k, array_agg(DISTINCT d.address) AS addresses
              FROM (SELECT r.address
                      FROM @extschema@.retries r
                      JOIN @extschema@.addresses a ON a.address = r.address
                     WHERE r.handed_out_at IS NULL AND r.next_retry_at <= $2 AND a.state <> 'suppressed'
                     ORDER BY r.next_retry_at, r.address, r.campaign
                     LIMIT greatest($1, 0)) d
             GROUP BY 1 ORDER BY 1 $q$ USING n, at
        LOOP
            handed := handed || @extschema@._hand_out(s.k, at, s.addresses);
        END LOOP;
    END IF;
    RETURN QUERY
        SELECT h.address, nullif(h.campaign, ''), h.reason, h.failures, h.due_at
          FROM jsonb_to_recordset(handed) AS h(address text, campaign text, reason @extschema@.bounce_reason,
                                               failures integer, due_at timestamptz)
         ORDER BY h.due_at, h.address, h.campaign;
END
$$;
-- It marks retries handed out as the owner: a worker needs EXECUTE on it
-- and no right on the tables.
REVOKE ALL ON FUNCTION @extschema@.due_retries(integer, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.due_retries(integer, timestamptz) IS
    'hand out up to n retries due at the given time (default now) to this worker; concurrent workers never get the same one (FOR UPDATE SKIP LOCKED); on a distributed install the n earliest due are handed out by the shards that hold them; EXECUTE is granted by the owner';

-- rebuild() on a cluster runs it in a query on every shard
CREATE FUNCTION @extschema@._rebuild_here(address text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_rebuild_here' LANGUAGE C VOLATILE STRICT;
REVOKE ALL ON FUNCTION @extschema@._rebuild_here(text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@._rebuild_here(text) IS
    'on a distributed install, rebuild() of one address on the node of its shard, called in a query on that shard; true when its state changed; EXECUTE is granted with rebuild()';

-- ---------------------------------------------------------------------------
-- Updates of a distributed install.  ALTER EXTENSION bounce UPDATE on the
-- coordinator runs the script there, and Citus runs it on every worker
-- too; but Citus also sends the coordinator's ALTER TABLE of a distributed
-- table to the workers' tables and shards itself, so a worker running the
-- same ALTER again fails.  An update script alters bounce's tables through
-- this function, which leaves them to Citus on a worker; then
-- bounce.distribute() places the tables the update added.
-- ---------------------------------------------------------------------------
CREATE FUNCTION @extschema@._alter_table(table_name text, action text) RETURNS void
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    worker boolean := false;
BEGIN
    IF EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        EXECUTE $q$ SELECT EXISTS (SELECT FROM pg_dist_partition p
                                     WHERE p.logicalrelid = $1::regclass)
                       AND (SELECT g.groupid FROM pg_dist_local_group g) <> 0 $q$
            INTO worker USING pg_catalog.format('@extschema@.%I', table_name);
    END IF;
    IF NOT worker THEN
        EXECUTE pg_catalog.format('ALTER TABLE @extschema@.%I %s', table_name, action);
    END IF;
END
$$;
REVOKE ALL ON FUNCTION @extschema@._alter_table(text, text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@._alter_table(text, text) IS
    'for update scripts: ALTER TABLE bounce.<table_name> <action>, except on a Citus worker when the table is distributed (Citus applies the coordinator''s ALTER to the workers'' tables and shards)';

-- prune() on a cluster runs it in a query on every shard
CREATE FUNCTION @extschema@._prune_here(address text, before timestamptz) RETURNS bigint
    AS 'MODULE_PATHNAME', 'bounce_prune_here' LANGUAGE C VOLATILE STRICT;
REVOKE ALL ON FUNCTION @extschema@._prune_here(text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@._prune_here(text, timestamptz) IS
    'on a distributed install, prune() of one address on the node of its shard, called in a query on that shard; the entries removed; EXECUTE is granted with prune()';
