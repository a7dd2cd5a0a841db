-- End every open session of one user (a password change: other browsers must log in again).
UPDATE login_sessions SET revoked_at = $now, revoked_why = $why WHERE username = $username AND revoked_at IS NULL
