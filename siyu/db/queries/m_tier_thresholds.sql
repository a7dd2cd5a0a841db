-- The brand's tier ladder with the growth value each tier starts at (NULL when not stated).
SELECT tier, rank, growth_threshold FROM tiers ORDER BY rank
