-- Store a plan: the campaign row and its members' arms ($campaign ... bound; stg_cmp_members staged).
INSERT INTO campaigns (campaign, origin, source, planned_at, planned_by, seed, holdout_share, variants, comparison, note)
VALUES ($campaign, 'plan', $source, $planned_at, $planned_by, $seed, $holdout_share, $variants, 'holdout', $note);
INSERT INTO campaign_members (campaign, member_id, arm, variant, stratum)
SELECT $campaign, member_id, arm, variant, stratum FROM stg_cmp_members;
