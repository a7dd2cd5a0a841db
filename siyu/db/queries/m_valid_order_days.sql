-- One row per member per calendar day with valid orders: the narrow input of the cohort metrics.
SELECT member_id, CAST(paid_at AS DATE) AS day, sum(net_cents)::BIGINT AS net_cents, count(*)::BIGINT AS orders
FROM valid_orders
GROUP BY ALL
