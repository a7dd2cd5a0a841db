-- The brand's tier ladder with the growth value each tier starts at (NULL when not stated).
SELECT t.tier, t.rank, h.growth_threshold FROM tiers t LEFT JOIN tier_thresholds h USING (tier) ORDER BY t.rank
