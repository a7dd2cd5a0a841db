-- A session by its token hash, with the state of its account (NULL columns for SSO or a deleted account).
SELECT s.token_hash, s.username, s.via, s.created_at, s.last_seen_at, s.revoked_at, s.revoked_why,
       a.username IS NOT NULL AS has_account, a.role, a.disabled, a.must_change, a.password_set_at
FROM login_sessions s
LEFT JOIN accounts a ON a.username = s.username
WHERE s.token_hash = $token_hash
