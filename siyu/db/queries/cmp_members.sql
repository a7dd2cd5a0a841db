-- campaign, member_id, arm, variant, stratum of every planned or comparison member ($campaign: one, or NULL for all).
SELECT campaign, member_id, arm, variant, stratum FROM campaign_members
WHERE $campaign IS NULL OR campaign = $campaign
ORDER BY campaign, member_id
