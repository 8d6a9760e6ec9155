
-- ---------------------------------------------------------------------------
-- 80_replay.sql - the state against its log: verify() and rebuild(),
-- corrections (UPDATE and DELETE of events and deliveries refold their
-- addresses), retention (prune() folds old entries into a per-address
-- baseline) and erasure (forget() keeps only a keyed hash of a suppressed
-- address).
-- ---------------------------------------------------------------------------

-- A baseline: the state of an address folded up to pruned_before (its
-- entries older than that were removed), with its retries.  A replay
-- starts from it.
CREATE TABLE @extschema@.baselines (
    address            text PRIMARY KEY,
    state              @extschema@.address_state NOT NULL DEFAULT 'active',
    consecutive_soft   integer NOT NULL DEFAULT 0,
    soft_total         integer NOT NULL DEFAULT 0,
    hard_total         integer NOT NULL DEFAULT 0,
    first_bounce_at    timestamptz,
    last_bounce_at     timestamptz,
    last_soft_at       timestamptz,
    last_soft_campaign text,
    last_delivery_at   timestamptz,
    next_retry_at      timestamptz,
    suppressed_at      timestamptz,
    suppressed_reason  text,
    suppressed_event   bigint,
    promoted_at        timestamptz,
    unsuppressed_at    timestamptz,
    last_entry_at      timestamptz,
    pruned_before      timestamptz NOT NULL,
    log_id_until       bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE @extschema@.baselines IS
    'per address, the state its pruned entries folded to (bounce.prune()): a replay is this plus the rest of the log; the columns are those of bounce.addresses';
COMMENT ON COLUMN @extschema@.baselines.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.baselines.state IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.consecutive_soft IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.soft_total IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.hard_total IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.first_bounce_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.last_bounce_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.last_soft_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.last_soft_campaign IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.last_delivery_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.next_retry_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.suppressed_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.suppressed_reason IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.suppressed_event IS 'as in bounce.addresses, at the cut (the event itself is gone)';
COMMENT ON COLUMN @extschema@.baselines.promoted_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.unsuppressed_at IS 'as in bounce.addresses, at the cut';
COMMENT ON COLUMN @extschema@.baselines.last_entry_at IS 'the latest entry folded into the baseline';
COMMENT ON COLUMN @extschema@.baselines.pruned_before IS 'entries older than this were folded in and removed';
COMMENT ON COLUMN @extschema@.baselines.log_id_until IS 'bounce.suppression_log entries older than pruned_before with an id up to this are in the baseline (the audit log keeps them)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.baselines', '');

CREATE TABLE @extschema@.baseline_retries (
    address        text NOT NULL,
    campaign       text NOT NULL DEFAULT '',
    reason         @extschema@.bounce_reason NOT NULL,
    attempts       integer NOT NULL CHECK (attempts >= 1),
    last_bounce_at timestamptz NOT NULL,
    next_retry_at  timestamptz NOT NULL,
    handed_out_at  timestamptz,
    PRIMARY KEY (address, campaign)
);
COMMENT ON TABLE @extschema@.baseline_retries IS
    'the retries of each baseline (bounce.baselines); the columns are those of bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.baseline_retries.campaign IS 'as in bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.reason IS 'as in bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.attempts IS 'as in bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.last_bounce_at IS 'as in bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.next_retry_at IS 'as in bounce.retries';
COMMENT ON COLUMN @extschema@.baseline_retries.handed_out_at IS 'as in bounce.retries';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.baseline_retries', '');

-- Erased addresses that were suppressed: a keyed hash only (HMAC-SHA256
-- under the 'erasure' key of bounce.secrets; an unkeyed hash of an email
-- address falls to a dictionary).  Only the owner reads it.
CREATE TABLE @extschema@.forgotten (
    hash         bytea NOT NULL CHECK (pg_catalog.octet_length(hash) = 32),
    forgotten_at timestamptz NOT NULL,
    shard_key    text NOT NULL DEFAULT '',
    PRIMARY KEY (hash, shard_key)
);
REVOKE ALL ON TABLE @extschema@.forgotten FROM PUBLIC;
COMMENT ON TABLE @extschema@.forgotten IS
    'addresses erased by bounce.forget() while suppressed, as HMAC-SHA256 under the erasure key: is_suppressed() still finds them; readable by the owner only';
COMMENT ON COLUMN @extschema@.forgotten.hash IS 'HMAC-SHA256 of the normalized address under bounce.secrets ''erasure''';
COMMENT ON COLUMN @extschema@.forgotten.forgotten_at IS 'when it was forgotten: a later bounce starts a fresh history suppressed from this time';
COMMENT ON COLUMN @extschema@.forgotten.shard_key IS 'on a distributed install, a text that hashes into the shard of the address (the same for every address of that shard), which places the row with the address''s other rows without naming it;  on a single node';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.forgotten', '');

INSERT INTO @extschema@.secrets (name, value) VALUES ('erasure', @extschema@.random_key());
COMMENT ON COLUMN @extschema@.secrets.name IS 'what the key is for: verp signs VERP return addresses, erasure keys the hashes of bounce.forgotten';

CREATE FUNCTION @extschema@.verify() RETURNS SETOF text
    AS 'MODULE_PATHNAME', 'bounce_verify' LANGUAGE C STABLE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.verify() IS
    'the addresses whose stored state (bounce.addresses and bounce.retries) differs from a replay of their baseline, events, deliveries and manual changes; empty when they agree; reads with the caller''s rights';

CREATE FUNCTION @extschema@.rebuild(address text DEFAULT NULL) RETURNS bigint
    AS 'MODULE_PATHNAME', 'bounce_rebuild' LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.rebuild(text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.rebuild(text) IS
    'make the state of one address (or of all, NULL) what the replay of its log gives; returns how many addresses changed; EXECUTE is granted by the owner';

CREATE FUNCTION @extschema@.prune(before timestamptz) RETURNS bigint
    AS 'MODULE_PATHNAME', 'bounce_prune' LANGUAGE C VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.prune(timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.prune(timestamptz) IS
    'retention: fold the events and deliveries older than before into a per-address baseline (bounce.baselines) and remove them; no state changes; returns the rows removed; EXECUTE is granted by the owner';

CREATE FUNCTION @extschema@.forget(address text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_forget' LANGUAGE C VOLATILE STRICT
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.forget(text) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.forget(text) IS
    'right to erasure: remove the address from every table; a suppressed one stays suppressed through a keyed hash (bounce.forgotten); true when anything was removed; EXECUTE is granted by the owner';

-- Corrections: an UPDATE or DELETE of the logs refolds the addresses it
-- touched (a transition table needs one trigger per event).
CREATE FUNCTION @extschema@._log_changed() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_log_changed' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@._log_changed() IS
    'AFTER UPDATE and AFTER DELETE statement trigger of bounce.events and bounce.deliveries: a correction; the addresses it touched are rebuilt from their log';

CREATE TRIGGER events_updated AFTER UPDATE ON @extschema@.events
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_changed();
CREATE TRIGGER events_deleted AFTER DELETE ON @extschema@.events
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_changed();
CREATE TRIGGER deliveries_updated AFTER UPDATE ON @extschema@.deliveries
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_changed();
CREATE TRIGGER deliveries_deleted AFTER DELETE ON @extschema@.deliveries
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_changed();
