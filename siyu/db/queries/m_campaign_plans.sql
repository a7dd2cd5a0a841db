-- campaign, member_id, arm, variant of every planned member and comparison-group member; with the campaigns'
-- comparison kinds in m_campaign_kinds.
SELECT campaign, member_id, arm, variant FROM campaign_members ORDER BY campaign, member_id
