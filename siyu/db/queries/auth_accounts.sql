-- Every account, without its hash.
SELECT username, role, disabled, must_change, failed_logins, locked_until, last_login_at, created_at, created_by
FROM accounts ORDER BY role, username
