-- New orders and their line items.
INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
                    currency, store, sales_channel, distributor, coupon_code, batch_id)
SELECT order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
       coalesce(currency, 'CNY'), store, sales_channel, distributor, coupon_code, $batch_id
FROM stg_orders_new;

INSERT INTO order_items (order_id, line_no, product, sku, quantity, price_cents, batch_id)
SELECT order_id, line_no, product, sku, quantity, price_cents, $batch_id FROM stg_items
