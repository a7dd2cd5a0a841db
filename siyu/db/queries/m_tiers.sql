-- The brand's tier ladder (rank 1 = entry tier).
SELECT tier, rank FROM tiers ORDER BY rank
