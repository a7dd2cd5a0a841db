-- New snapshots, changed snapshots (previous values kept for undo), and tiers seen for the first time
-- (ranked after the existing ladder in order of appearance; reorder them in the tiers table).
INSERT INTO member_snapshots (member_id, snapshot_date, tier, points, growth_value, batch_id)
SELECT member_id, snapshot_date, tier, points, growth_value, $batch_id FROM stg_snap_new;

INSERT INTO ingest_undo_snapshots (batch_id, member_id, snapshot_date, tier, points, growth_value)
SELECT $batch_id, m.member_id, m.snapshot_date, m.tier, m.points, m.growth_value
FROM member_snapshots m JOIN stg_snap_upd u ON u.member_id = m.member_id AND u.snapshot_date = m.snapshot_date;

UPDATE member_snapshots SET tier = u.tier, points = u.points, growth_value = u.growth_value
FROM stg_snap_upd u
WHERE member_snapshots.member_id = u.member_id AND member_snapshots.snapshot_date = u.snapshot_date;

INSERT INTO tiers (tier, rank)
SELECT tier, (SELECT coalesce(max(rank), 0) FROM tiers) + row_number() OVER (ORDER BY min(row_no))
FROM (SELECT tier, row_no FROM stg_snap_new UNION ALL SELECT tier, row_no FROM stg_snap_upd) s
WHERE tier IS NOT NULL AND NOT EXISTS (SELECT 1 FROM tiers t WHERE t.tier = s.tier)
GROUP BY tier
