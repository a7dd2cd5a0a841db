-- One row per valid order with what the coupon-hunter flags need.
SELECT member_id, paid_at, net_cents, paid_cents, discount_cents, coupon_code IS NOT NULL AS has_coupon
FROM valid_orders
