-- One campaign's row ($campaign), or none.
SELECT campaign, origin, source, planned_at, planned_by, seed, holdout_share, variants, comparison, note
FROM campaigns WHERE campaign = $campaign
