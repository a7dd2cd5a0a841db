-- The newest audit rows first, optionally one action only.
SELECT audit_id, logged_at AS at, username, role, action, detail, rows
FROM audit_log
WHERE $action IS NULL OR action = $action
ORDER BY audit_id DESC
LIMIT $limit
