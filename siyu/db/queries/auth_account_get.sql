-- One account by its (lower-cased) name.
SELECT username, role, password_hash, must_change, disabled, failed_logins, locked_until, last_login_at
FROM accounts WHERE username = $username
