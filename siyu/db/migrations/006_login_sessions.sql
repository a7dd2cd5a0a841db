-- siyu schema version 6: login sessions that survive a reload and a new tab (issue #13).

-- One row per login. The browser holds a random token in an HttpOnly cookie; only its SHA-256 is kept here,
-- so a copy of the database does not let anyone in. A session ends when it is revoked (logout, a password
-- change), idle for longer than SIYU_SESSION_TTL_MINUTES, older than siyu.auth.sessions.MAX_AGE, or when
-- its account is disabled or its password was set after the session began (checked on every page run).
CREATE TABLE login_sessions (
    token_hash    VARCHAR PRIMARY KEY,   -- sha256 hex of the cookie's token
    username      VARCHAR NOT NULL,      -- a username of the accounts table, or an SSO e-mail
    via           VARCHAR NOT NULL CHECK (via IN ('password', 'sso')),
    created_at    TIMESTAMP NOT NULL,
    last_seen_at  TIMESTAMP NOT NULL,    -- refreshed at most once a minute (siyu.auth.sessions.TOUCH_EVERY)
    revoked_at    TIMESTAMP,
    revoked_why   VARCHAR                -- logout | password_changed | expired | replaced
);
