-- The counts of a finished import, and its rejected cells (--on-error skip).
UPDATE import_batches SET rows_read = $rows_read, rows_inserted = $inserted, rows_updated = $updated,
    rows_rejected = $rejected, rows_linked = $linked, rows_duplicate = $duplicates,
    snapshot_date = $snapshot_date, snapshot_at = $snapshot_at, encoding = $encoding, on_error = $on_error, note = $note
WHERE batch_id = $batch_id;

INSERT INTO ingest_rejects (batch_id, row_no, column_name, value, message)
SELECT $batch_id, "row", "column", "value", message FROM stg_rejects
