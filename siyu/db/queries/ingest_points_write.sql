-- New ledger changes (the ledger is append-only: a stored change is never edited). The key text becomes
-- its md5_number (migration 011).
INSERT INTO points_ledger (entry_key, member_id, occurred_at, delta, kind, balance_after, order_id, reason, batch_id)
SELECT md5_number(entry_key), member_id, occurred_at, delta, kind, balance_after, order_id, reason, $batch_id
FROM stg_points_new
