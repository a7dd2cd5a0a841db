-- The last day with any group data: joins, leaves, member-export snapshots and daily statistics.
SELECT CAST(greatest(
    (SELECT max(joined_at) FROM group_memberships),
    (SELECT max(left_at) FROM group_memberships),
    (SELECT max(CAST(snapshot_date AS TIMESTAMP)) FROM group_snapshots),
    (SELECT max(CAST(day AS TIMESTAMP)) FROM group_daily)
) AS DATE) AS last_day
