-- siyu schema version 12: orders without a PRIMARY KEY index (issue #15, import speed).
--
-- DuckDB keeps a PRIMARY KEY as an in-memory ART index built on every insert: at 10M orders that index
-- alone cost 2.4× DuckDB's COPY of the whole file and most of an import's memory (BENCHMARKS.md, "Import after #15's staged reading"). An order id is
-- still stored once: every writer of `orders` runs under the one write lock (siyu.db.connection.writing)
-- and writes only ids it has just checked are absent (the import's anti-join against `orders`, the demo
-- builder into an empty table, undo restoring rows its batch deleted); tests/reliability check it after
-- imports in any order. The table is rebuilt with the same columns, in the same order, and the same checks.
CREATE TABLE orders_unkeyed (
    order_id        VARCHAR NOT NULL,
    member_id       BIGINT NOT NULL,
    created_at      TIMESTAMP,
    paid_at         TIMESTAMP,
    paid_cents      BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    refunded_cents  BIGINT NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    discount_cents  BIGINT NOT NULL DEFAULT 0,
    status          VARCHAR NOT NULL CHECK (status IN ('unpaid', 'paid', 'partially_refunded', 'refunded', 'cancelled')),
    currency        VARCHAR NOT NULL DEFAULT 'CNY',
    store           VARCHAR,
    sales_channel   VARCHAR,
    distributor     VARCHAR,
    coupon_code     VARCHAR,
    batch_id        BIGINT NOT NULL,
    updated_batch_id BIGINT,
    snapshot_at     TIMESTAMP
);

INSERT INTO orders_unkeyed SELECT * FROM orders;
DROP TABLE orders;
ALTER TABLE orders_unkeyed RENAME TO orders;
