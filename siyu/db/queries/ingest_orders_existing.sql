-- Incoming orders already stored, with the values a merge compares (siyu/ingest/merge.py decides, in
-- Polars, which of them an export changes: docs/import.md "Merging exports").
SELECT o.order_id, o.status, o.refunded_cents, o.paid_cents, o.paid_at, o.created_at, o.discount_cents, o.store,
       o.sales_channel, o.distributor, o.coupon_code, o.snapshot_at
FROM orders o
WHERE o.order_id IN (SELECT order_id FROM stg_orders_in)
