INSERT INTO audit_log (logged_at, username, role, action, detail, rows)
VALUES ($at, $username, $role, $action, $detail, $rows)
