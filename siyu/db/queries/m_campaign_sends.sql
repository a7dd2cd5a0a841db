-- campaign, member_id, sent_at, variant, arm, cost_cents of every stored send (campaign_lift's input).
SELECT campaign, member_id, sent_at, variant, arm, cost_cents FROM campaign_sends ORDER BY campaign, member_id, sent_at
