UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE username = $username
