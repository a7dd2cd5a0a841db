-- The session was used: move its idle clock.
UPDATE login_sessions SET last_seen_at = $now WHERE token_hash = $token_hash AND revoked_at IS NULL
