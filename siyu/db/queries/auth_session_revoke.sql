-- End one session.
UPDATE login_sessions SET revoked_at = $now, revoked_why = $why WHERE token_hash = $token_hash AND revoked_at IS NULL
