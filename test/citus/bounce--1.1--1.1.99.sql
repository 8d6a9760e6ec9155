-- test/citus/bounce--1.1--1.1.99.sql - a made-up update, installed by
-- test/checks/citus for the time of one test: what a later version's
-- update does to a distributed install (a column on a distributed table,
-- a new per-address table, a new function), written as update scripts
-- must be (README, Releases and updates).
SELECT @extschema@._alter_table('addresses', 'ADD COLUMN probe_note text');
CREATE TABLE @extschema@.probe_table (address text PRIMARY KEY, n integer NOT NULL DEFAULT 0);
SELECT pg_catalog.pg_extension_config_dump('@extschema@.probe_table', '');
CREATE OR REPLACE FUNCTION @extschema@._distribution(OUT table_name text, OUT kind text)
    RETURNS SETOF record LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT d.table_name, d.kind FROM (VALUES ('addresses', 'address'), ('events', 'address'), ('deliveries', 'address'),
           ('retries', 'address'), ('suppression_log', 'address'), ('baselines', 'address'),
           ('baseline_retries', 'address'), ('address_campaigns', 'address'),
           ('baseline_campaigns', 'address'), ('suppression_outbox', 'address'),
           ('campaign_counts', 'bucket'), ('domain_counts', 'bucket'), ('address_counts', 'bucket'),
           ('config', 'reference'), ('reason_policy', 'reference'), ('campaigns', 'reference'),
           ('webhook_types', 'reference'), ('webhook_keys', 'reference'), ('secrets', 'reference'),
           ('forgotten', 'anchor'), ('shard_anchors', 'anchor'), ('probe_table', 'address')) d(table_name, kind)
$$;
CREATE FUNCTION @extschema@.update_probe() RETURNS text LANGUAGE sql AS $$ SELECT 'updated' $$;
