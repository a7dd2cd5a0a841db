-- Committed import batches newer than $after written by $user: what a CLI import added, for the audit log.
SELECT batch_id, file_name, rows_inserted + rows_updated AS rows
FROM import_batches
WHERE batch_id > $after AND imported_by = $user AND profile NOT IN ('demo', 'demo_cleared', 'undo')
ORDER BY batch_id
