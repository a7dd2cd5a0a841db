-- Valid orders that can be token orders for any coupon threshold (zero-amount, discounted or with a coupon),
-- with the store's code for the store filter (applied in memory, siyu.engine.frame_cache; the codes are
-- those of queries/m_store_codes.sql).
WITH stores AS (
    SELECT store, (row_number() OVER (ORDER BY store))::INTEGER AS store_code
    FROM (SELECT DISTINCT store FROM valid_orders WHERE store IS NOT NULL)
)
SELECT v.member_id, v.paid_at, v.net_cents, v.paid_cents, v.discount_cents, v.coupon_code IS NOT NULL AS has_coupon,
       s.store_code
FROM valid_orders v
LEFT JOIN stores s ON s.store = v.store
WHERE v.paid_cents = 0 OR v.discount_cents > 0 OR v.coupon_code IS NOT NULL
ORDER BY v.member_id, v.paid_at
