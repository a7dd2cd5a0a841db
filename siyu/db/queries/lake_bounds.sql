-- The last day with a valid order: rfm's and clv's default observation end, which the lake's manifest
-- carries so that every bucket of a Spark run uses the same one.
SELECT CAST(max(paid_at) AS DATE) AS last_valid_order_day FROM valid_orders
