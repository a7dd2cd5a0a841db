-- Demo build: the growth value each demo tier starts at (siyu/demo/catalog.py TIERS, in yuan).
INSERT INTO tier_thresholds (tier, growth_threshold, batch_id) SELECT tier, growth_threshold, $batch_id FROM demo_tier_thresholds
