INSERT INTO import_batches (batch_id, file_name, sha256, profile, imported_by)
VALUES (nextval('batch_id_seq'), $file_name, $sha256, $profile, $imported_by)
RETURNING batch_id
