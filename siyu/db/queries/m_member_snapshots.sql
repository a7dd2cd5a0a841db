-- One row per member per snapshot date: the tier in that member export.
SELECT member_id, snapshot_date, tier FROM member_snapshots
