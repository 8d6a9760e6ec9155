
-- Deliveries, like events, may say where they came from (a webhook's
-- provider and event id), unique per address: the same report twice adds
-- one delivery.
ALTER TABLE @extschema@.deliveries ADD COLUMN event_key text;
ALTER TABLE @extschema@.deliveries ADD CONSTRAINT deliveries_address_event_key_key UNIQUE (address, event_key);
COMMENT ON COLUMN @extschema@.deliveries.event_key IS 'where the delivery report came from (a webhook''s provider and event id): unique per address, so the same report is recorded once';
COMMENT ON CONSTRAINT deliveries_address_event_key_key ON @extschema@.deliveries IS
    'one delivery per address and source: a webhook delivered twice adds nothing';
