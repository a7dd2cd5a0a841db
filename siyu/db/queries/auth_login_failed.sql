-- A wrong password: count it; at the limit lock the account and start counting again.
UPDATE accounts SET
    locked_until = CASE WHEN failed_logins + 1 >= $max_failures THEN $locked_until ELSE locked_until END,
    failed_logins = CASE WHEN failed_logins + 1 >= $max_failures THEN 0 ELSE failed_logins + 1 END
WHERE username = $username
