-- Store new sends (stg_sends_new) under batch $batch_id; a campaign seen for the first time is recorded as
-- planned elsewhere (origin import): compared with its own holdout rows when the file has any, else with
-- nothing yet (`python -m siyu campaign compare` names or builds a comparison group).
INSERT INTO campaigns (campaign, origin, comparison)
SELECT campaign, 'import', CASE WHEN bool_or(arm = 'holdout') THEN 'holdout' ELSE 'none' END
FROM stg_sends_new WHERE campaign NOT IN (SELECT campaign FROM campaigns) GROUP BY campaign;
UPDATE campaigns SET comparison = 'holdout'
WHERE comparison = 'none' AND campaign IN (SELECT campaign FROM stg_sends_new WHERE arm = 'holdout');
INSERT INTO campaign_sends (campaign, member_id, sent_at, channel, variant, arm, cost_cents, batch_id)
SELECT campaign, member_id, sent_at, channel, variant, arm, cost_cents, $batch_id FROM stg_sends_new;
