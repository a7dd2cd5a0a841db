-- Replace the comparison group of campaign $campaign (stg_cmp_members: member_id, stratum) and say how it was made.
DELETE FROM campaign_members WHERE campaign = $campaign AND arm = 'holdout';
INSERT INTO campaign_members (campaign, member_id, arm, variant, stratum)
SELECT $campaign, member_id, 'holdout', '', stratum FROM stg_cmp_members;
UPDATE campaigns SET comparison = $comparison, note = $note,
       source = coalesce($source, source) WHERE campaign = $campaign;
