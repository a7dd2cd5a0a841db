-- Valid orders that can be token orders for any coupon threshold (zero-amount, discounted or with a coupon),
-- with the store for the store filter (applied in memory, siyu.metrics.frame_cache).
SELECT member_id, paid_at, net_cents, paid_cents, discount_cents, coupon_code IS NOT NULL AS has_coupon, store
FROM valid_orders
WHERE paid_cents = 0 OR discount_cents > 0 OR coupon_code IS NOT NULL
ORDER BY member_id, paid_at
