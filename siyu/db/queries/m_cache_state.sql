-- What the cached order frame depends on: the database file and the state of its imports.
SELECT
    (SELECT path FROM duckdb_databases() WHERE database_name = current_database()) AS path,
    coalesce(max(batch_id), 0) AS last_batch,
    count(*) AS batches,
    count(*) FILTER (WHERE status = 'committed') AS committed,
    (SELECT count(*) FROM orders) AS orders,
    (SELECT coalesce(max(updated_batch_id), 0) FROM orders) AS last_update
FROM import_batches
