-- campaign, comparison (holdout | named | matched | none) of every campaign.
SELECT campaign, comparison FROM campaigns ORDER BY campaign
