-- Incoming ledger changes already stored (their entry_key).
SELECT s.entry_key FROM stg_points s JOIN points_ledger p ON p.entry_key = s.entry_key
