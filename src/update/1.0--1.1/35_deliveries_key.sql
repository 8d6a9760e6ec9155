
-- Deliveries, like events, may say where they came from (a webhook's
-- provider and event id), unique per address: the same report twice adds
-- one delivery.
ALTER TABLE @extschema@.deliveries ADD COLUMN event_key text;
CREATE UNIQUE INDEX deliveries_address_event_key_key ON @extschema@.deliveries (address, event_key)
    WHERE event_key IS NOT NULL;
COMMENT ON COLUMN @extschema@.deliveries.event_key IS 'where the delivery report came from (a webhook''s provider and event id): unique per address, so the same report is recorded once';
COMMENT ON INDEX @extschema@.deliveries_address_event_key_key IS
    'one delivery per address and source: a webhook delivered twice adds nothing';
