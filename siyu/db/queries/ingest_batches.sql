-- One row per import batch, newest first: what the Import page's history lists.
SELECT batch_id, file_name, sha256, profile, imported_by, imported_at, status, rows_read, rows_inserted,
       rows_updated, rows_duplicate, rows_rejected, rows_linked, snapshot_date, encoding, on_error, note
FROM import_batches
ORDER BY batch_id DESC
