-- The newest import batch id (0 when nothing was imported): part of every cache key.
SELECT coalesce(max(batch_id), 0) AS batch_id,
       count(*) AS batches,
       count(*) FILTER (WHERE profile = 'demo' AND status = 'committed') AS demo_batches,
       count(*) FILTER (WHERE profile <> 'demo' AND status = 'committed') AS real_batches
FROM import_batches
