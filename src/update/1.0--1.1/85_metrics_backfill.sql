
-- What 1.0's log says, once: each address's campaigns, and the counters
-- from them (in slot 0).
INSERT INTO @extschema@.address_campaigns (address, campaign, worst, sender_side)
SELECT x.address, coalesce(x.campaign, ''),
       coalesce(max(x.class) FILTER (WHERE x.class OPERATOR(pg_catalog.>) 'none'), 'none'),
       count(*) FILTER (WHERE x.class OPERATOR(pg_catalog.>) 'none' AND @extschema@.is_sender_side(x.reason))
  FROM (SELECT e.address, e.campaign, e.class, e.reason FROM @extschema@.events e
        UNION ALL
        SELECT d.address, d.campaign, NULL, NULL FROM @extschema@.deliveries d) x
 GROUP BY 1, 2;
INSERT INTO @extschema@.campaign_counts (campaign, bucket, addresses, bounced, hard, soft)
SELECT c.campaign, 0, count(*), count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.>) 'none'),
       count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'hard'),
       count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'soft')
  FROM @extschema@.address_campaigns c GROUP BY c.campaign;
INSERT INTO @extschema@.domain_counts (campaign, domain, bucket, addresses, bounced, hard, soft, sender_side)
SELECT c.campaign, substring(c.address FROM '@([^@]*)$'), 0, count(*),
       count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.>) 'none'),
       count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'hard'),
       count(*) FILTER (WHERE c.worst OPERATOR(pg_catalog.=) 'soft'), sum(c.sender_side)
  FROM @extschema@.address_campaigns c GROUP BY 1, 2;
INSERT INTO @extschema@.address_counts (bucket, soft_addresses, promoted)
SELECT 0, count(*) FILTER (WHERE a.soft_total OPERATOR(pg_catalog.>) 0),
       count(*) FILTER (WHERE a.promoted_at IS NOT NULL)
  FROM @extschema@.addresses a;
