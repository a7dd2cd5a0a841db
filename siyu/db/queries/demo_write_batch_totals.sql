-- Demo build: record what the demo batch wrote.
UPDATE import_batches SET rows_read = $rows, rows_inserted = $rows, note = $note WHERE batch_id = $batch_id
