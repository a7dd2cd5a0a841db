-- Demo build: quarterly member snapshots from demo_snapshots.
INSERT INTO member_snapshots (member_id, snapshot_date, tier, points, growth_value, batch_id)
SELECT member_id, snapshot_date, tier, points, growth_value, $batch_id FROM demo_snapshots
