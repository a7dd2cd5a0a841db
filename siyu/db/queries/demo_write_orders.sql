-- Demo build: orders from demo_orders. Ids look like 有赞's: E + created time + a 9-digit sequence.
INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
                    currency, store, sales_channel, distributor, coupon_code, batch_id)
SELECT 'E' || strftime(created_at, '%Y%m%d%H%M%S') || lpad(CAST(seq AS VARCHAR), 9, '0'),
       member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
       'CNY', store, sales_channel, distributor, coupon_code, $batch_id
FROM demo_orders
