UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $now,
       password_hash = coalesce($password_hash, password_hash)
WHERE username = $username
