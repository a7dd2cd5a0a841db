-- New orders (with the member their buyer key resolved to) and their line items.
INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, discount_cents, status,
                    currency, store, sales_channel, distributor, coupon_code, snapshot_at, batch_id)
SELECT o.order_id, b.member_id, o.created_at, o.paid_at, o.paid_cents, o.refunded_cents, o.discount_cents, o.status,
       coalesce(o.currency, 'CNY'), o.store, o.sales_channel, o.distributor, o.coupon_code, o.snapshot_at, $batch_id
FROM stg_orders_new o
JOIN stg_buyers b ON b.bkey = o.bkey;

INSERT INTO order_items (order_id, line_no, product, sku, quantity, price_cents, batch_id)
SELECT order_id, line_no, product, sku, quantity, price_cents, $batch_id FROM stg_items
