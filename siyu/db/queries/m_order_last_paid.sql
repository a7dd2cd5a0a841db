-- The last payment time of every member's orders (all of them, valid or not) per store: what the data's
-- "last day" (queries/m_data_last_day.sql) reads from the orders, kept in memory so that under a store or
-- member filter it is a filter of ~1M rows instead of a scan of every order.
SELECT member_id, store, max(paid_at) AS last_paid_at
FROM orders
WHERE paid_at IS NOT NULL
GROUP BY member_id, store
