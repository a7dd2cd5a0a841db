-- One row per member per snapshot date: the tier in that member export. Sorted by member then date (the key
-- is unique), so a member's latest snapshot is the last row of their run (siyu.metrics.tiers.tier_as_of).
SELECT member_id, snapshot_date, tier FROM member_snapshots ORDER BY member_id, snapshot_date
