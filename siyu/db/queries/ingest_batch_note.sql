-- Describe a batch row (undo batches say which batch they undid).
UPDATE import_batches SET note = $note WHERE batch_id = $batch_id
