
-- ---------------------------------------------------------------------------
-- 40_policy.sql - per-address bounce policy (SPEC §2 "Policy state"):
-- configuration, per-reason policy, the event log, per-address state,
-- retries, suppression, metrics views and bounce.track().
--
-- Every table that holds user data is keyed by the normalized address (or
-- starts its key with it), so it can be distributed by address.  Time
-- always comes from the events' own timestamps (occurred_at, delivered_at),
-- so a history replays to the same state.  Functions that run queries pin
-- search_path and name everything with its schema.
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.address_state AS ENUM ('active', 'monitored', 'suppressed');
COMMENT ON TYPE @extschema@.address_state IS
    'state of a recipient: active, monitored (repeated soft bounces) or suppressed (do not send)';

CREATE FUNCTION @extschema@.normalize_address(text) RETURNS text
    AS 'MODULE_PATHNAME', 'bounce_normalize_address' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.normalize_address(text) IS
    'the key of an address: trimmed, angle brackets and "rfc822;" removed, ASCII case-folded; rejects what is not an address (22P02)';

-- ---------------------------------------------------------------------------
-- Configuration: one row
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.config (
    singleton           boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    soft_threshold      integer NOT NULL DEFAULT 3 CHECK (soft_threshold >= 1),
    monitor_after       integer NOT NULL DEFAULT 2 CHECK (monitor_after >= 1),
    reset_window        interval NOT NULL DEFAULT '90 days' CHECK (reset_window > '0' AND reset_window <= '100 years'),
    retry_count         integer NOT NULL DEFAULT 5 CHECK (retry_count >= 1),
    backoff_base        interval NOT NULL DEFAULT '24 hours' CHECK (backoff_base > '0' AND backoff_base <= '100 years'),
    backoff_cap         interval NOT NULL DEFAULT '72 hours' CHECK (backoff_cap <= '100 years'),
    hard_rate_threshold numeric NOT NULL DEFAULT 0.02 CHECK (hard_rate_threshold BETWEEN 0 AND 1),
    CHECK (backoff_cap >= backoff_base),
    sender_alert_count  integer NOT NULL DEFAULT 20 CHECK (sender_alert_count >= 1),
    sender_alert_share  numeric NOT NULL DEFAULT 0.10 CHECK (sender_alert_share BETWEEN 0 AND 1),
    sender_alert_window interval NOT NULL DEFAULT '1 hour'
        CHECK (sender_alert_window > '0' AND sender_alert_window <= '30 days'
               AND EXTRACT(year FROM sender_alert_window) = 0
               AND EXTRACT(month FROM sender_alert_window) = 0)
);
-- Intervals stop at 100 years: a longer one overflows the microsecond
-- arithmetic of the policy, or puts retry times past timestamptz's range.
COMMENT ON TABLE @extschema@.config IS
    'bounce policy settings (exactly one row; UPDATE it): promotion threshold, monitoring, streak reset window, retries, backoff, hard-rate alarm';
COMMENT ON COLUMN @extschema@.config.singleton IS 'always true: keeps the table at one row';
COMMENT ON COLUMN @extschema@.config.soft_threshold IS 'consecutive soft bounces (one per campaign) that promote an address to hard and suppress it';
COMMENT ON COLUMN @extschema@.config.monitor_after IS 'consecutive soft bounces after which an address is monitored';
COMMENT ON COLUMN @extschema@.config.reset_window IS 'a soft-bounce streak starts over when the last soft bounce is this old';
COMMENT ON COLUMN @extschema@.config.retry_count IS 'failed attempts per address and campaign before the address is promoted to hard';
COMMENT ON COLUMN @extschema@.config.backoff_base IS 'first retry delay for reasons without their own (doubled at each failure)';
COMMENT ON COLUMN @extschema@.config.backoff_cap IS 'longest retry delay for reasons without their own';
COMMENT ON COLUMN @extschema@.config.hard_rate_threshold IS 'campaign_stats.over_threshold is hard_rate > this (0.02 = 2%)';
-- The alert window is cut into fixed windows (date_bin), which cannot be
-- months or years long.
COMMENT ON COLUMN @extschema@.config.sender_alert_count IS 'bounce.sender_alerts lists a recipient domain''s window with at least this many sender-side failures';
COMMENT ON COLUMN @extschema@.config.sender_alert_share IS '... making up at least this share of the domain''s bounces in that window (0.10 = 10%)';
COMMENT ON COLUMN @extschema@.config.sender_alert_window IS 'length of the windows of bounce.sender_alerts (days, hours, minutes; at most 30 days)';

INSERT INTO @extschema@.config DEFAULT VALUES;

-- _config_guard(), its trigger function, is in 39_policy_guards.sql.
CREATE TRIGGER config_guard BEFORE INSERT OR DELETE ON @extschema@.config
    FOR EACH ROW EXECUTE FUNCTION @extschema@._config_guard();
CREATE TRIGGER config_no_truncate BEFORE TRUNCATE ON @extschema@.config
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._config_guard();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.config', '');

-- ---------------------------------------------------------------------------
-- Policy per reason and class, seeded from the core's defaults
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@._effective_action(@extschema@.bounce_class, @extschema@.bounce_action)
    RETURNS @extschema@.bounce_action
    AS 'MODULE_PATHNAME', 'bounce_effective_action_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@._effective_action(@extschema@.bounce_class, @extschema@.bounce_action) IS
    'the core''s rule: what a reason''s default action means for a bounce of this class (a soft bounce never suppresses at once, a hard one is never retried)';

CREATE TABLE @extschema@.reason_policy (
    reason        @extschema@.bounce_reason NOT NULL,
    class         @extschema@.bounce_class NOT NULL,
    action        @extschema@.bounce_action NOT NULL,
    retry_after   interval CHECK (retry_after > '0' AND retry_after <= '100 years'),
    retry_max     interval CHECK (retry_max > '0' AND retry_max <= '100 years'),
    message_level boolean NOT NULL DEFAULT false,
    builtin       boolean NOT NULL DEFAULT true,
    PRIMARY KEY (reason, class),
    CHECK (retry_max >= retry_after)
);
COMMENT ON TABLE @extschema@.reason_policy IS
    'what the policy does with an event of each reason and class (suppress, retry, alert, ignore); e.g. UPDATE ... SET action = ''alert'' WHERE reason = ''blocked''';
COMMENT ON COLUMN @extschema@.reason_policy.reason IS 'bounce reason of the event';
COMMENT ON COLUMN @extschema@.reason_policy.class IS 'class of the event (the same reason can come as soft or hard)';
COMMENT ON COLUMN @extschema@.reason_policy.action IS 'suppress: at once; retry: count into the soft streak and schedule a retry; alert: record only, listed in bounce.alerts; ignore: record only';
COMMENT ON COLUMN @extschema@.reason_policy.retry_after IS 'first retry delay, doubled at each failure (NULL: bounce.config.backoff_base)';
COMMENT ON COLUMN @extschema@.reason_policy.retry_max IS 'longest retry delay (NULL: bounce.config.backoff_cap)';
COMMENT ON COLUMN @extschema@.reason_policy.message_level IS 'the failure is about the message, not the address (too large, content)';
COMMENT ON COLUMN @extschema@.reason_policy.builtin IS 'true while the row is as the extension shipped it; pg_dump keeps only changed rows';

INSERT INTO @extschema@.reason_policy (reason, class, action, retry_after, retry_max, message_level)
SELECT d.reason, c.class, @extschema@._effective_action(c.class, d.action),
       d.retry_after, greatest(d.retry_max, d.retry_after), d.message_level
  FROM @extschema@._default_policy() AS d
 CROSS JOIN pg_catalog.unnest(pg_catalog.enum_range(NULL::@extschema@.bounce_class)) AS c(class);

-- _reason_policy_guard(), its trigger function, is in 39_policy_guards.sql.
CREATE TRIGGER reason_policy_guard BEFORE INSERT OR UPDATE OR DELETE ON @extschema@.reason_policy
    FOR EACH ROW EXECUTE FUNCTION @extschema@._reason_policy_guard();
CREATE TRIGGER reason_policy_no_truncate BEFORE TRUNCATE ON @extschema@.reason_policy
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._reason_policy_guard();

SELECT pg_catalog.pg_extension_config_dump('@extschema@.reason_policy', 'WHERE NOT builtin');

-- ---------------------------------------------------------------------------
-- Per-address state
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.addresses (
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
    last_entry_at      timestamptz
) WITH (fillfactor = 80);
COMMENT ON TABLE @extschema@.addresses IS
    'one row per recipient (normalized address): state, soft streak, totals, suppression; kept by the triggers of bounce.events and bounce.deliveries';
COMMENT ON COLUMN @extschema@.addresses.address IS 'normalized address (bounce.normalize_address)';
COMMENT ON COLUMN @extschema@.addresses.state IS 'active, monitored (soft streak >= config.monitor_after) or suppressed';
COMMENT ON COLUMN @extschema@.addresses.consecutive_soft IS 'current soft-bounce streak: +1 per campaign, reset by a delivery, an unsuppress or reset_window without soft bounces';
COMMENT ON COLUMN @extschema@.addresses.soft_total IS 'soft bounces ever (also after suppression; the promoting one counts as soft)';
COMMENT ON COLUMN @extschema@.addresses.hard_total IS 'hard bounces ever (also after suppression)';
COMMENT ON COLUMN @extschema@.addresses.first_bounce_at IS 'time of the earliest bounce';
COMMENT ON COLUMN @extschema@.addresses.last_bounce_at IS 'time of the latest bounce';
COMMENT ON COLUMN @extschema@.addresses.last_soft_at IS 'time of the latest soft bounce counted into the streak';
COMMENT ON COLUMN @extschema@.addresses.last_soft_campaign IS 'campaign of that soft bounce (a streak counts campaigns)';
COMMENT ON COLUMN @extschema@.addresses.last_delivery_at IS 'time of the latest successful delivery';
COMMENT ON COLUMN @extschema@.addresses.next_retry_at IS 'earliest scheduled retry (see bounce.retries); NULL when suppressed';
COMMENT ON COLUMN @extschema@.addresses.suppressed_at IS 'when the address was suppressed (event time, or the time given to bounce.suppress())';
COMMENT ON COLUMN @extschema@.addresses.suppressed_reason IS 'why: "hard bounce: userunknown", "promoted: ...", "manual: ..."';
COMMENT ON COLUMN @extschema@.addresses.suppressed_event IS 'id of the bounce.events row that suppressed it (NULL for manual)';
COMMENT ON COLUMN @extschema@.addresses.promoted_at IS 'when repeated soft bounces were last promoted to hard (kept after unsuppress, for the conversion metric)';
COMMENT ON COLUMN @extschema@.addresses.unsuppressed_at IS 'last manual unsuppress: older bounces no longer count';
COMMENT ON COLUMN @extschema@.addresses.last_entry_at IS 'time of the latest log entry (event, delivery, manual change) the state holds: an entry that arrives later but is not newer makes the policy fold the address''s log again in time order';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.addresses', '');

-- ---------------------------------------------------------------------------
-- The event log
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.events (
    id          bigserial,
    address     text NOT NULL,
    campaign    text,
    status      @extschema@.smtp_status,
    occurred_at timestamptz NOT NULL DEFAULT now() CHECK (isfinite(occurred_at)),
    class       @extschema@.bounce_class NOT NULL,
    reason      @extschema@.bounce_reason NOT NULL,
    applied     boolean NOT NULL DEFAULT false,
    event_key   text,
    PRIMARY KEY (address, id)
);
-- Partial: most COPYs carry no key, and an index entry per keyless row
-- cost a third of the events' insert time.
CREATE UNIQUE INDEX events_address_event_key_key ON @extschema@.events (address, event_key)
    WHERE event_key IS NOT NULL;
COMMENT ON TABLE @extschema@.events IS
    'one row per bounce (SMTP reply); INSERT or COPY into it runs the policy: class and reason are computed, bounce.addresses and bounce.retries follow';
COMMENT ON COLUMN @extschema@.events.id IS 'event number (breaks ties between events of the same time)';
COMMENT ON COLUMN @extschema@.events.address IS 'recipient, normalized on the way in (an invalid address is rejected)';
COMMENT ON COLUMN @extschema@.events.campaign IS 'campaign or mailing the bounce belongs to (NULL: none)';
COMMENT ON COLUMN @extschema@.events.status IS 'the SMTP reply (NULL when there is none, e.g. a complaint: then class and reason are given)';
COMMENT ON COLUMN @extschema@.events.occurred_at IS 'when the bounce happened: all policy time comes from here';
COMMENT ON COLUMN @extschema@.events.class IS 'hard, soft or none: as given (a reader''s verdict, e.g. parse_dsn''s class), else bounce.classify(status)';
COMMENT ON COLUMN @extschema@.events.reason IS 'as given (e.g. parse_dsn''s reason from the report''s context, feedback for a complaint), else bounce.reason(status)';
COMMENT ON COLUMN @extschema@.events.event_key IS 'where the event came from (parse_dsn''s event_key: the mail''s Message-ID or a hash of it; a webhook''s provider and event id): unique per address, so INSERT ... ON CONFLICT DO NOTHING ingests the same mail once';
COMMENT ON INDEX @extschema@.events_address_event_key_key IS
    'one event per address and source: re-ingesting the same mail or webhook adds nothing';
COMMENT ON COLUMN @extschema@.events.applied IS 'set by the policy; a row inserted with true by the table''s owner or a superuser (a restore from pg_dump) is taken as already applied; from other roles the flag is ignored';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.events', '');
COMMENT ON SEQUENCE @extschema@.events_id_seq IS 'numbers of bounce.events';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.events_id_seq', '');

CREATE FUNCTION @extschema@._before_row() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_before_row' LANGUAGE C;
COMMENT ON FUNCTION @extschema@._before_row() IS
    'BEFORE ROW trigger of bounce.events and bounce.deliveries: normalizes the address (or rejects the row), marks events applied, fills an event''s class and reason from its status when not given';

-- One C function folds new rows of both logs into the state (the core's
-- state machine); it reads the transition table and writes as the owner of
-- the policy's tables, for those writes only.
CREATE FUNCTION @extschema@._log_after() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_log_after' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@._log_after() IS
    'AFTER INSERT statement trigger of bounce.events (''bounce'') and bounce.deliveries (''delivery''): folds the new rows into bounce.addresses and bounce.retries with the policy state machine, set-based, locking addresses in order, writing as the owner of those tables';

-- (OF status: a corrected status brings its own verdict, see _before_row)
CREATE TRIGGER events_before BEFORE INSERT OR UPDATE OF address, status ON @extschema@.events
    FOR EACH ROW EXECUTE FUNCTION @extschema@._before_row('address', 'applied', 'id', 'status', 'class', 'reason');
CREATE TRIGGER events_after AFTER INSERT ON @extschema@.events
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_after('bounce');

-- ---------------------------------------------------------------------------
-- Deliveries
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.deliveries (
    id           bigserial,
    address      text NOT NULL,
    campaign     text,
    delivered_at timestamptz NOT NULL DEFAULT now() CHECK (isfinite(delivered_at)),
    applied      boolean NOT NULL DEFAULT false,
    event_key    text,
    PRIMARY KEY (address, id)
);
CREATE UNIQUE INDEX deliveries_address_event_key_key ON @extschema@.deliveries (address, event_key)
    WHERE event_key IS NOT NULL;
COMMENT ON TABLE @extschema@.deliveries IS
    'one row per successful delivery: resets the soft streak and the campaign''s retry, and counts as "sent" in bounce.campaign_stats';
COMMENT ON COLUMN @extschema@.deliveries.id IS 'delivery number';
COMMENT ON COLUMN @extschema@.deliveries.address IS 'recipient, normalized on the way in';
COMMENT ON COLUMN @extschema@.deliveries.campaign IS 'campaign or mailing (NULL: none)';
COMMENT ON COLUMN @extschema@.deliveries.delivered_at IS 'when the message was accepted';
COMMENT ON COLUMN @extschema@.deliveries.event_key IS 'where the delivery report came from (a webhook''s provider and event id): unique per address, so the same report is recorded once';
COMMENT ON INDEX @extschema@.deliveries_address_event_key_key IS
    'one delivery per address and source: a webhook delivered twice adds nothing';
COMMENT ON COLUMN @extschema@.deliveries.applied IS 'set by the policy; a row inserted with true by the table''s owner or a superuser (a restore from pg_dump) is taken as already applied; from other roles the flag is ignored';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.deliveries', '');
COMMENT ON SEQUENCE @extschema@.deliveries_id_seq IS 'numbers of bounce.deliveries';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.deliveries_id_seq', '');

CREATE TRIGGER deliveries_before BEFORE INSERT OR UPDATE OF address ON @extschema@.deliveries
    FOR EACH ROW EXECUTE FUNCTION @extschema@._before_row('address', 'applied', 'id');

-- ---------------------------------------------------------------------------
-- Retries: next attempt per address and campaign
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.retries (
    address        text NOT NULL,
    campaign       text NOT NULL DEFAULT '',
    reason         @extschema@.bounce_reason NOT NULL,
    attempts       integer NOT NULL CHECK (attempts >= 1),
    last_bounce_at timestamptz NOT NULL,
    next_retry_at  timestamptz NOT NULL,
    handed_out_at  timestamptz,
    PRIMARY KEY (address, campaign)
);
CREATE INDEX retries_due ON @extschema@.retries (next_retry_at) WHERE handed_out_at IS NULL;
COMMENT ON TABLE @extschema@.retries IS
    'scheduled retry per address and campaign (campaign '''' = none), written by the policy, handed out by bounce.due_retries()';
COMMENT ON COLUMN @extschema@.retries.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.retries.campaign IS 'campaign ('''' for events without one)';
COMMENT ON COLUMN @extschema@.retries.reason IS 'reason of the last soft bounce';
COMMENT ON COLUMN @extschema@.retries.attempts IS 'failed attempts so far; at config.retry_count the address is promoted';
COMMENT ON COLUMN @extschema@.retries.last_bounce_at IS 'time of the last failure';
COMMENT ON COLUMN @extschema@.retries.next_retry_at IS 'last failure + the reason''s delay, doubled per failure, capped';
COMMENT ON COLUMN @extschema@.retries.handed_out_at IS 'when bounce.due_retries() handed it to a worker (NULL: not yet)';
COMMENT ON INDEX @extschema@.retries_due IS 'retries not yet handed out, by due time';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.retries', '');

-- ---------------------------------------------------------------------------
-- Audit trail of manual suppressions
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.suppression_log (
    id        bigserial,
    address   text NOT NULL,
    at        timestamptz NOT NULL,
    action    text NOT NULL CHECK (action IN ('suppress', 'unsuppress')),
    reason    text,
    done_by   name NOT NULL DEFAULT current_user,
    PRIMARY KEY (address, id)
);
COMMENT ON TABLE @extschema@.suppression_log IS
    'audit trail of bounce.suppress() and bounce.unsuppress() calls that changed something';
COMMENT ON COLUMN @extschema@.suppression_log.id IS 'entry number';
COMMENT ON COLUMN @extschema@.suppression_log.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.suppression_log.at IS 'time given to the call (default: transaction time)';
COMMENT ON COLUMN @extschema@.suppression_log.action IS 'suppress or unsuppress';
COMMENT ON COLUMN @extschema@.suppression_log.reason IS 'reason given to bounce.suppress()';
COMMENT ON COLUMN @extschema@.suppression_log.done_by IS 'role that made the change';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.suppression_log', '');
COMMENT ON SEQUENCE @extschema@.suppression_log_id_seq IS 'numbers of bounce.suppression_log';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.suppression_log_id_seq', '');

CREATE TRIGGER deliveries_after AFTER INSERT ON @extschema@.deliveries
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION @extschema@._log_after('delivery');

-- ---------------------------------------------------------------------------
-- Suppression API
-- ---------------------------------------------------------------------------

-- C: a primary-key probe with a plan kept for the session; every name in
-- it is schema-qualified, so it needs no SET search_path (which would cost
-- a GUC save and restore on every call).
CREATE FUNCTION @extschema@.is_suppressed(address text) RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_is_suppressed' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.is_suppressed(text) IS
    'true when the address (normalized) is suppressed: do not send to it';

-- A manual change is an entry of the log (bounce.suppression_log) folded
-- like the others; only roles granted EXECUTE may make one.
CREATE FUNCTION @extschema@.suppress(address text, reason text DEFAULT 'manual',
                                      at timestamptz DEFAULT now())
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_suppress' LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.suppress(text, text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.suppress(text, text, timestamptz) IS
    'suppress an address by hand (logged in bounce.suppression_log with the caller, NOTIFY bounce_suppression); false when it already was (a suppression by promotion becomes a manual one); EXECUTE is granted by the owner';

CREATE FUNCTION @extschema@.unsuppress(address text, at timestamptz DEFAULT now())
    RETURNS boolean
    AS 'MODULE_PATHNAME', 'bounce_unsuppress' LANGUAGE C VOLATILE
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.unsuppress(text, timestamptz) FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.unsuppress(text, timestamptz) IS
    'lift a suppression by hand (logged, NOTIFY bounce_suppression); bounces older than this no longer count, a later hard bounce suppresses again; false when the address is not suppressed; EXECUTE is granted by the owner';

-- ---------------------------------------------------------------------------
-- Retries for workers
-- ---------------------------------------------------------------------------

-- due_retries() is in 95_citus.sql: on a cluster it hands out shard by shard.

-- ---------------------------------------------------------------------------
-- bounce.track() for users' own tables
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.track() RETURNS trigger
    AS 'MODULE_PATHNAME', 'bounce_track' LANGUAGE C
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.track() IS
    'BEFORE INSERT OR UPDATE FOR EACH ROW trigger for your own table: track(''address_col'', ''status_col''[, ''class_col'', ''reason_col'']) records the bounce in bounce.events and fills class and reason';

-- ---------------------------------------------------------------------------
-- explain() with the configured policy
-- ---------------------------------------------------------------------------

-- C, reading the policy from a per-backend cache that a trigger on
-- reason_policy and config invalidates, and keeping its last result:
-- (explain(s)).* calls it once per column.  No SET clause: it would cost a
-- GUC save and restore per call, and every name it uses is qualified.
CREATE FUNCTION @extschema@.explain(status @extschema@.smtp_status,
        OUT class @extschema@.bounce_class, OUT reason @extschema@.bounce_reason,
        OUT action @extschema@.bounce_action, OUT retry_after interval, OUT rule text)
    AS 'MODULE_PATHNAME', 'bounce_explain_configured_status'
    LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.explain(@extschema@.smtp_status) IS
    'class, reason, the configured action (bounce.reason_policy) and first retry delay of a reply, and the rule that decided';

CREATE FUNCTION @extschema@.explain(reply text,
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

-- ---------------------------------------------------------------------------
-- Metrics
-- ---------------------------------------------------------------------------

-- campaign_stats, domain_stats and soft_to_hard read counters kept by the
-- fold: see 85_metrics.sql.

CREATE VIEW @extschema@.repeat_soft AS
SELECT a.address, a.state, a.consecutive_soft, a.soft_total, a.last_soft_at,
       a.last_soft_campaign, a.next_retry_at
  FROM @extschema@.addresses a
 WHERE a.soft_total >= 2;
COMMENT ON VIEW @extschema@.repeat_soft IS
    'addresses that soft-bounced more than once, with their current streak and state';

CREATE VIEW @extschema@.alerts AS
SELECT e.id, e.address, e.campaign, e.status, e.occurred_at, e.class, e.reason, p.message_level
  FROM @extschema@.events e
  JOIN @extschema@.reason_policy p ON p.reason = e.reason AND p.class = e.class
 WHERE p.action = 'alert';
COMMENT ON VIEW @extschema@.alerts IS
    'events whose policy is to alert a human rather than suppress (message too large, content, or reasons you set to alert)';
