-- Committed import batches of a file with these exact bytes (same sha256), oldest first: a re-import of
-- one of them writes nothing (docs/import.md "Identical re-imports").
SELECT batch_id, profile, rows_read, rows_rejected, rows_inserted + rows_updated + rows_duplicate AS records,
       snapshot_date, snapshot_at
FROM import_batches
WHERE sha256 = $sha256 AND status = 'committed' AND profile NOT IN ('demo', 'demo_cleared', 'undo')
ORDER BY batch_id
