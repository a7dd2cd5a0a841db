-- One row per line of a valid order: who bought which product on which day.
SELECT v.member_id, CAST(v.paid_at AS DATE) AS day, coalesce(i.product, i.sku) AS product
FROM valid_orders v
JOIN order_items i ON i.order_id = v.order_id
WHERE coalesce(i.product, i.sku) IS NOT NULL
