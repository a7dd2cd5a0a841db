-- Incoming member snapshots already stored for this snapshot date, and whether they are unchanged.
SELECT s.member_id,
       (m.tier IS NOT DISTINCT FROM s.tier AND m.points IS NOT DISTINCT FROM s.points
        AND m.growth_value IS NOT DISTINCT FROM s.growth_value) AS same
FROM stg_snap s
JOIN member_snapshots m ON m.member_id = s.member_id AND m.snapshot_date = s.snapshot_date
