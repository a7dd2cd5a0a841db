-- Forget sessions that ended (or went idle) before $before: they can never be resumed.
DELETE FROM login_sessions WHERE coalesce(revoked_at, last_seen_at) < $before
