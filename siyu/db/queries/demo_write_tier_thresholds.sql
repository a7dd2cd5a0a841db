-- Demo build: the growth value each demo tier starts at (siyu/demo/catalog.py TIERS, in yuan).
UPDATE tiers SET growth_threshold = t.growth_threshold FROM demo_tier_thresholds t WHERE tiers.tier = t.tier
