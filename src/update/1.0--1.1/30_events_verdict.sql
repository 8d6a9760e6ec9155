
-- Events keep the reader's verdict: class and reason become ordinary
-- columns (their values kept), filled from the status by the BEFORE ROW
-- trigger only when not given; the status may be NULL when they are (a
-- complaint).  event_key identifies where an event came from, unique per
-- address, so ingesting the same mail twice adds nothing.
ALTER TABLE @extschema@.events ALTER COLUMN class DROP EXPRESSION;
ALTER TABLE @extschema@.events ALTER COLUMN reason DROP EXPRESSION;
ALTER TABLE @extschema@.events ALTER COLUMN class SET NOT NULL;
ALTER TABLE @extschema@.events ALTER COLUMN reason SET NOT NULL;
ALTER TABLE @extschema@.events ALTER COLUMN status DROP NOT NULL;
ALTER TABLE @extschema@.events ADD COLUMN event_key text;
CREATE UNIQUE INDEX events_address_event_key_key ON @extschema@.events (address, event_key)
    WHERE event_key IS NOT NULL;
COMMENT ON COLUMN @extschema@.events.status IS 'the SMTP reply (NULL when there is none, e.g. a complaint: then class and reason are given)';
COMMENT ON COLUMN @extschema@.events.class IS 'hard, soft or none: as given (a reader''s verdict, e.g. parse_dsn''s class), else bounce.classify(status)';
COMMENT ON COLUMN @extschema@.events.reason IS 'as given (e.g. parse_dsn''s reason from the report''s context, feedback for a complaint), else bounce.reason(status)';
COMMENT ON COLUMN @extschema@.events.event_key IS 'where the event came from (parse_dsn''s event_key: the mail''s Message-ID or a hash of it; a webhook''s provider and event id): unique per address, so INSERT ... ON CONFLICT DO NOTHING ingests the same mail once';
COMMENT ON INDEX @extschema@.events_address_event_key_key IS
    'one event per address and source: re-ingesting the same mail or webhook adds nothing';
DROP TRIGGER events_before ON @extschema@.events;
CREATE TRIGGER events_before BEFORE INSERT OR UPDATE OF address ON @extschema@.events
    FOR EACH ROW EXECUTE FUNCTION @extschema@._before_row('address', 'applied', 'id', 'status', 'class', 'reason');
COMMENT ON FUNCTION @extschema@._before_row() IS
    'BEFORE ROW trigger of bounce.events and bounce.deliveries: normalizes the address (or rejects the row), marks events applied, fills an event''s class and reason from its status when not given';
