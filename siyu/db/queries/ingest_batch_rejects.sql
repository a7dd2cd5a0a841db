-- The rejected cells of one batch (imported with --on-error skip).
SELECT row_no AS "row", column_name AS "column", value, message FROM ingest_rejects
WHERE batch_id = $batch_id ORDER BY row_no
