
-- ---------------------------------------------------------------------------
-- 85_metrics.sql - metrics that cost what their result costs: the fold
-- keeps each address's campaigns (bounce.address_campaigns: sent, worst
-- failure, sender-side failures) and adds what it changes to counter rows
-- keyed by the writing backend's slot, so concurrent writers never share a
-- counter row; the views sum the slots.  bounce.campaigns declares a
-- campaign's sent count.
-- ---------------------------------------------------------------------------

CREATE TABLE @extschema@.address_campaigns (
    address     text NOT NULL,
    campaign    text NOT NULL DEFAULT '',
    worst       @extschema@.bounce_class NOT NULL DEFAULT 'none',
    sender_side integer NOT NULL DEFAULT 0,
    PRIMARY KEY (address, campaign)
);
COMMENT ON TABLE @extschema@.address_campaigns IS
    'per address and campaign (campaign '''' = none): it was sent to (an event or a delivery), its worst failure and its sender-side failures; kept by the policy, read by the metrics';
COMMENT ON COLUMN @extschema@.address_campaigns.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.address_campaigns.campaign IS 'campaign ('''' for events and deliveries without one)';
COMMENT ON COLUMN @extschema@.address_campaigns.worst IS 'worst failure of the address in the campaign: none (no failure; a complaint is none), soft or hard';
COMMENT ON COLUMN @extschema@.address_campaigns.sender_side IS 'failures with a sender-side reason (blocked, badreputation, authfailure...)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.address_campaigns', '');

CREATE TABLE @extschema@.baseline_campaigns (
    address     text NOT NULL,
    campaign    text NOT NULL DEFAULT '',
    worst       @extschema@.bounce_class NOT NULL DEFAULT 'none',
    sender_side integer NOT NULL DEFAULT 0,
    PRIMARY KEY (address, campaign)
);
COMMENT ON TABLE @extschema@.baseline_campaigns IS
    'the campaigns of each baseline (bounce.baselines); the columns are those of bounce.address_campaigns';
COMMENT ON COLUMN @extschema@.baseline_campaigns.address IS 'normalized address';
COMMENT ON COLUMN @extschema@.baseline_campaigns.campaign IS 'as in bounce.address_campaigns';
COMMENT ON COLUMN @extschema@.baseline_campaigns.worst IS 'as in bounce.address_campaigns';
COMMENT ON COLUMN @extschema@.baseline_campaigns.sender_side IS 'as in bounce.address_campaigns';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.baseline_campaigns', '');

CREATE TABLE @extschema@.campaign_counts (
    campaign  text NOT NULL,
    bucket    integer NOT NULL,
    addresses bigint NOT NULL DEFAULT 0,
    bounced   bigint NOT NULL DEFAULT 0,
    hard      bigint NOT NULL DEFAULT 0,
    soft      bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign, bucket)
);
COMMENT ON TABLE @extschema@.campaign_counts IS
    'counters of bounce.campaign_stats: per campaign and writing backend''s slot (bucket), the changes that backend''s folds made; summed by the view';
COMMENT ON COLUMN @extschema@.campaign_counts.campaign IS 'campaign ('''' = none)';
COMMENT ON COLUMN @extschema@.campaign_counts.bucket IS 'the slot of the backend that wrote it (no two running backends share one)';
COMMENT ON COLUMN @extschema@.campaign_counts.addresses IS 'addresses sent to (an event or a delivery)';
COMMENT ON COLUMN @extschema@.campaign_counts.bounced IS 'addresses with a soft or hard failure';
COMMENT ON COLUMN @extschema@.campaign_counts.hard IS 'addresses whose worst failure is hard';
COMMENT ON COLUMN @extschema@.campaign_counts.soft IS 'addresses whose worst failure is soft';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.campaign_counts', '');

CREATE TABLE @extschema@.domain_counts (
    campaign    text NOT NULL,
    domain      text NOT NULL,
    bucket      integer NOT NULL,
    addresses   bigint NOT NULL DEFAULT 0,
    bounced     bigint NOT NULL DEFAULT 0,
    hard        bigint NOT NULL DEFAULT 0,
    soft        bigint NOT NULL DEFAULT 0,
    sender_side bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (campaign, domain, bucket)
);
COMMENT ON TABLE @extschema@.domain_counts IS
    'counters of bounce.domain_stats: per campaign, recipient domain and writing backend''s slot';
COMMENT ON COLUMN @extschema@.domain_counts.campaign IS 'campaign ('''' = none)';
COMMENT ON COLUMN @extschema@.domain_counts.domain IS 'recipient domain (after the @ of the normalized address)';
COMMENT ON COLUMN @extschema@.domain_counts.bucket IS 'the slot of the backend that wrote it';
COMMENT ON COLUMN @extschema@.domain_counts.addresses IS 'addresses sent to';
COMMENT ON COLUMN @extschema@.domain_counts.bounced IS 'addresses with a soft or hard failure';
COMMENT ON COLUMN @extschema@.domain_counts.hard IS 'addresses whose worst failure is hard';
COMMENT ON COLUMN @extschema@.domain_counts.soft IS 'addresses whose worst failure is soft';
COMMENT ON COLUMN @extschema@.domain_counts.sender_side IS 'failures with a sender-side reason';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.domain_counts', '');

CREATE TABLE @extschema@.address_counts (
    bucket         integer PRIMARY KEY,
    soft_addresses bigint NOT NULL DEFAULT 0,
    promoted       bigint NOT NULL DEFAULT 0
);
COMMENT ON TABLE @extschema@.address_counts IS
    'counters of bounce.soft_to_hard: per writing backend''s slot';
COMMENT ON COLUMN @extschema@.address_counts.bucket IS 'the slot of the backend that wrote it';
COMMENT ON COLUMN @extschema@.address_counts.soft_addresses IS 'addresses with a soft bounce';
COMMENT ON COLUMN @extschema@.address_counts.promoted IS 'addresses promoted to hard (promoted_at set)';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.address_counts', '');

CREATE TABLE @extschema@.campaigns (
    campaign text PRIMARY KEY,
    sent     bigint CHECK (sent >= 0),
    note     text
);
COMMENT ON TABLE @extschema@.campaigns IS
    'campaigns you declare: with sent set, bounce.campaign_stats divides by it instead of the addresses it counted';
COMMENT ON COLUMN @extschema@.campaigns.campaign IS 'the campaign, as in bounce.events.campaign';
COMMENT ON COLUMN @extschema@.campaigns.sent IS 'messages the campaign sent (NULL: use the addresses counted)';
COMMENT ON COLUMN @extschema@.campaigns.note IS 'free text';
SELECT pg_catalog.pg_extension_config_dump('@extschema@.campaigns', '');

CREATE OR REPLACE VIEW @extschema@.campaign_stats AS
WITH counted AS (
    SELECT k.campaign, sum(k.addresses)::bigint AS addresses, sum(k.bounced)::bigint AS bounced,
           sum(k.hard)::bigint AS hard, sum(k.soft)::bigint AS soft
      FROM @extschema@.campaign_counts k
     GROUP BY k.campaign
), c AS (
    SELECT nullif(coalesce(n.campaign, d.campaign), '') AS campaign,
           coalesce(d.sent, n.addresses, 0) AS sent,
           coalesce(n.bounced, 0) AS bounced, coalesce(n.hard, 0) AS hard, coalesce(n.soft, 0) AS soft
      FROM counted n
      FULL JOIN @extschema@.campaigns d ON d.campaign = n.campaign
     WHERE coalesce(n.addresses, 0) > 0 OR d.sent IS NOT NULL
)
SELECT c.campaign, c.sent, c.bounced, c.hard, c.soft,
       round(c.bounced::numeric / nullif(c.sent, 0), 4) AS bounce_rate,
       round(c.hard::numeric / nullif(c.sent, 0), 4) AS hard_rate,
       c.hard::numeric / nullif(c.sent, 0) > (SELECT g.hard_rate_threshold FROM @extschema@.config g) AS over_threshold
  FROM c;
COMMENT ON VIEW @extschema@.campaign_stats IS
    'per campaign: sent (bounce.campaigns.sent when declared, else the addresses with a delivery or an event), bounced, hard, soft (addresses, by their worst bounce), rates, and over_threshold (hard_rate > config.hard_rate_threshold, 2%); reads counters: costs what it returns';

CREATE VIEW @extschema@.domain_stats AS
SELECT nullif(k.campaign, '') AS campaign, k.domain,
       sum(k.addresses)::bigint AS addresses, sum(k.bounced)::bigint AS bounced,
       sum(k.hard)::bigint AS hard, sum(k.soft)::bigint AS soft,
       sum(k.sender_side)::bigint AS sender_side
  FROM @extschema@.domain_counts k
 GROUP BY k.campaign, k.domain
HAVING sum(k.addresses) > 0;
COMMENT ON VIEW @extschema@.domain_stats IS
    'per campaign and recipient domain: addresses, bounced, hard, soft (addresses, by their worst bounce) and sender-side failures (blocked, badreputation...: a provider blocking you); reads counters';

CREATE OR REPLACE VIEW @extschema@.soft_to_hard AS
SELECT coalesce(sum(k.soft_addresses), 0)::bigint AS soft_addresses,
       coalesce(sum(k.promoted), 0)::bigint AS promoted,
       round(sum(k.promoted)::numeric / nullif(sum(k.soft_addresses), 0), 4) AS conversion_rate
  FROM @extschema@.address_counts k;
COMMENT ON VIEW @extschema@.soft_to_hard IS
    'soft-to-hard conversion: addresses that ever soft-bounced, how many were promoted to hard, and the ratio; reads counters';

-- repeat_soft returns the addresses it names: through this index
CREATE INDEX addresses_repeat_soft ON @extschema@.addresses (address) WHERE soft_total >= 2;
COMMENT ON INDEX @extschema@.addresses_repeat_soft IS 'the addresses of bounce.repeat_soft (soft_total >= 2)';
