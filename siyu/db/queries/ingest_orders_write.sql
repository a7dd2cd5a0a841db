-- New orders and their line items; then changed orders, keeping their previous values for undo.
INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
                    currency, store, sales_channel, distributor, coupon_code, batch_id)
SELECT order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
       coalesce(currency, 'CNY'), store, sales_channel, distributor, coupon_code, $batch_id
FROM stg_orders_new;

INSERT INTO order_items (order_id, line_no, product, sku, quantity, price_cents, batch_id)
SELECT order_id, line_no, product, sku, quantity, price_cents, $batch_id FROM stg_items;

INSERT INTO ingest_undo_orders (batch_id, order_id, status, paid_at, paid_cents, refunded_cents, updated_batch_id)
SELECT $batch_id, o.order_id, o.status, o.paid_at, o.paid_cents, o.refunded_cents, o.updated_batch_id
FROM orders o JOIN stg_orders_upd u ON u.order_id = o.order_id;

UPDATE orders SET status = u.status, paid_at = u.paid_at, paid_cents = u.paid_cents,
                  refunded_cents = u.refunded_cents, updated_batch_id = $batch_id
FROM stg_orders_upd u
WHERE orders.order_id = u.order_id
