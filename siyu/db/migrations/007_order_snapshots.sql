-- siyu schema version 6: order-independent merging of order exports (issue #15).

-- The moment the export that set an order's values describes (its snapshot time: the export date
-- given or in the file name, or the newest time in the file, whichever is later). When two exports
-- disagree about an order, the later snapshot wins; NULL (orders stored before version 6, demo orders)
-- is older than any snapshot. See docs/import.md "Merging exports".
ALTER TABLE orders ADD COLUMN snapshot_at TIMESTAMP;

-- The snapshot time an order batch was imported with (NULL for other profiles).
ALTER TABLE import_batches ADD COLUMN snapshot_at TIMESTAMP;

-- Undo support for the fields a later snapshot may now change.
ALTER TABLE ingest_undo_orders ADD COLUMN created_at TIMESTAMP;
ALTER TABLE ingest_undo_orders ADD COLUMN discount_cents BIGINT;
ALTER TABLE ingest_undo_orders ADD COLUMN store VARCHAR;
ALTER TABLE ingest_undo_orders ADD COLUMN sales_channel VARCHAR;
ALTER TABLE ingest_undo_orders ADD COLUMN distributor VARCHAR;
ALTER TABLE ingest_undo_orders ADD COLUMN coupon_code VARCHAR;
ALTER TABLE ingest_undo_orders ADD COLUMN snapshot_at TIMESTAMP;
