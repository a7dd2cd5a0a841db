-- Orders seen again with a changed status, payment or refund: keep the previous values for undo, then update.
INSERT INTO ingest_undo_orders (batch_id, order_id, status, paid_at, paid_cents, refunded_cents, updated_batch_id)
SELECT $batch_id, o.order_id, o.status, o.paid_at, o.paid_cents, o.refunded_cents, o.updated_batch_id
FROM orders o JOIN stg_orders_upd u ON u.order_id = o.order_id;

UPDATE orders SET status = u.status, paid_at = u.paid_at, paid_cents = u.paid_cents,
                  refunded_cents = u.refunded_cents, updated_batch_id = $batch_id
FROM stg_orders_upd u
WHERE orders.order_id = u.order_id
