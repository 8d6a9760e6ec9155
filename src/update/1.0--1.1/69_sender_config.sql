
-- The sender's side (issue 18): alert thresholds in bounce.config (the
-- restore guard of 39_policy_guards.sql copies every column), then what
-- src/sql/70_sender.sql makes.
ALTER TABLE @extschema@.config
    ADD COLUMN sender_alert_count  integer NOT NULL DEFAULT 20 CHECK (sender_alert_count >= 1),
    ADD COLUMN sender_alert_share  numeric NOT NULL DEFAULT 0.10 CHECK (sender_alert_share BETWEEN 0 AND 1),
    ADD COLUMN sender_alert_window interval NOT NULL DEFAULT '1 hour'
        CHECK (sender_alert_window > '0' AND sender_alert_window <= '30 days'
               AND EXTRACT(year FROM sender_alert_window) = 0
               AND EXTRACT(month FROM sender_alert_window) = 0);
COMMENT ON COLUMN @extschema@.config.sender_alert_count IS 'bounce.sender_alerts lists a recipient domain''s window with at least this many sender-side failures';
COMMENT ON COLUMN @extschema@.config.sender_alert_share IS '... making up at least this share of the domain''s bounces in that window (0.10 = 10%)';
COMMENT ON COLUMN @extschema@.config.sender_alert_window IS 'length of the windows of bounce.sender_alerts (days, hours, minutes; at most 30 days)';

