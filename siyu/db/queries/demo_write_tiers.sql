-- Demo build: the tier ladder from demo_tiers.
INSERT INTO tiers (tier, rank) SELECT tier, rank FROM demo_tiers
