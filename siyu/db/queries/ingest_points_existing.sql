-- Incoming ledger changes already stored (by the md5_number of their key text).
SELECT s.entry_key FROM stg_points s JOIN points_ledger p ON p.entry_key = md5_number(s.entry_key)
