-- The span of the data: default date ranges start at first_at's day and end at last_at's day.
SELECT
    least(
        (SELECT min(joined_at) FROM members),
        (SELECT min(paid_at) FROM orders),
        (SELECT min(added_at) FROM friends)
    ) AS first_at,
    greatest(
        (SELECT max(joined_at) FROM members),
        (SELECT max(paid_at) FROM orders),
        (SELECT max(added_at) FROM friends),
        (SELECT max(deleted_at) FROM friends)
    ) AS last_at
