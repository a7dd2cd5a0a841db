-- A wrong password: count it, and show until when the throttle makes this name wait (siyu/auth/throttle.py;
-- NULL: no wait). The throttle decides; these columns are what the admin page lists.
UPDATE accounts SET failed_logins = failed_logins + 1, locked_until = $until
WHERE username = $username
