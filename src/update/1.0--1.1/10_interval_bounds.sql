
-- Intervals stop at 100 years: longer ones overflowed the policy's
-- arithmetic (every later insert failed) or put retry times past the end
-- of timestamptz.  A stored value beyond it makes the update fail, naming
-- the constraint: set it lower first.
ALTER TABLE @extschema@.config
    DROP CONSTRAINT config_reset_window_check,
    ADD CONSTRAINT config_reset_window_check CHECK (reset_window > '0' AND reset_window <= '100 years'),
    DROP CONSTRAINT config_backoff_base_check,
    ADD CONSTRAINT config_backoff_base_check CHECK (backoff_base > '0' AND backoff_base <= '100 years'),
    ADD CONSTRAINT config_backoff_cap_check CHECK (backoff_cap <= '100 years');
ALTER TABLE @extschema@.reason_policy
    DROP CONSTRAINT reason_policy_retry_after_check,
    ADD CONSTRAINT reason_policy_retry_after_check CHECK (retry_after > '0' AND retry_after <= '100 years'),
    DROP CONSTRAINT reason_policy_retry_max_check,
    ADD CONSTRAINT reason_policy_retry_max_check CHECK (retry_max > '0' AND retry_max <= '100 years');
