-- The last day with any data (orders, members, friendships): the "as of" day of cohort metrics.
SELECT CAST(greatest(
    (SELECT max(joined_at) FROM members),
    (SELECT max(paid_at) FROM orders),
    (SELECT max(added_at) FROM friends),
    (SELECT max(deleted_at) FROM friends)
) AS DATE) AS last_day
