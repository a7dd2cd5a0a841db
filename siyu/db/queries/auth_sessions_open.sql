-- Open sessions, newest first (the admin page and tests): never the token hash.
SELECT username, via, created_at, last_seen_at FROM login_sessions
WHERE revoked_at IS NULL AND last_seen_at >= $since ORDER BY last_seen_at DESC
