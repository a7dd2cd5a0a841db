-- One row per member per snapshot date: tier, points and growth value (成长值), by member then date.
SELECT member_id, snapshot_date, tier, points, growth_value FROM member_snapshots ORDER BY member_id, snapshot_date
