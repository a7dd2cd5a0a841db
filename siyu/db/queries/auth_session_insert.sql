-- A new login session (the token's hash only).
INSERT INTO login_sessions (token_hash, username, via, created_at, last_seen_at)
VALUES ($token_hash, $username, $via, $now, $now)
