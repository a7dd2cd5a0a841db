-- The demo's two past recall campaigns (demo_campaigns: campaign ...; demo_campaign_sends: one row per member).
INSERT INTO campaigns (campaign, origin, source, comparison, note) SELECT campaign, 'import', source, 'holdout', note FROM demo_campaigns;
INSERT INTO campaign_sends (campaign, member_id, sent_at, channel, variant, arm, cost_cents, batch_id)
SELECT campaign, member_id, sent_at, channel, variant, arm, cost_cents, $batch_id FROM demo_campaign_sends;
