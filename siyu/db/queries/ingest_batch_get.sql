-- One import batch.
SELECT batch_id, file_name, sha256, profile, status FROM import_batches WHERE batch_id = $batch_id
