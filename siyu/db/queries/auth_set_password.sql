UPDATE accounts SET password_hash = $password_hash, must_change = $must_change, password_set_at = $now,
       failed_logins = 0, locked_until = NULL
WHERE username = $username
