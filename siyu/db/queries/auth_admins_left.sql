-- Enabled admins other than $username: the last admin may not be demoted or disabled.
SELECT count(*) AS n FROM accounts WHERE role = 'admin' AND NOT disabled AND username <> $username
