-- Demo build: order lines from demo_order_items; the order id is rebuilt exactly as in demo_write_orders.sql.
INSERT INTO order_items (order_id, line_no, product, sku, quantity, price_cents, batch_id)
SELECT 'E' || strftime(created_at, '%Y%m%d%H%M%S') || lpad(CAST(seq AS VARCHAR), 9, '0'),
       line_no, product, sku, quantity, price_cents, $batch_id
FROM demo_order_items
