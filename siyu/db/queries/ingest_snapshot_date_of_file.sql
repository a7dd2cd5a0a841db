-- The snapshot date an identical member export (same sha256, same profile) was imported with before.
SELECT snapshot_date FROM import_batches
WHERE sha256 = $sha256 AND profile = $profile AND status = 'committed' AND snapshot_date IS NOT NULL
ORDER BY batch_id DESC LIMIT 1
