-- The span of the data (first_at .. last_at) and the last order's payment (last_order_at): default date
-- ranges end on the last order day, so importing a friend list or a member export does not move them.
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
    ) AS last_at,
    (SELECT max(paid_at) FROM orders) AS last_order_at
