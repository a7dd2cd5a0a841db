-- New ledger changes (the ledger is append-only: a stored change is never edited).
INSERT INTO points_ledger (entry_key, member_id, occurred_at, delta, kind, balance_after, order_id, reason, batch_id)
SELECT entry_key, member_id, occurred_at, delta, kind, balance_after, order_id, reason, $batch_id FROM stg_points_new
