-- siyu schema version 3: accounts, roles and the audit log (issue #7).

-- One row per person who can log in. Passwords are argon2id hashes (argon2-cffi), salted per hash;
-- SSO users (st.login) need no row: their role comes from SIYU_SSO_ROLES.
CREATE TABLE accounts (
    username        VARCHAR PRIMARY KEY,       -- lower-cased login name
    role            VARCHAR NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
    password_hash   VARCHAR NOT NULL,
    must_change     BOOLEAN NOT NULL DEFAULT false,  -- a one-time password: change it at the first login
    disabled        BOOLEAN NOT NULL DEFAULT false,
    failed_logins   INTEGER NOT NULL DEFAULT 0,      -- consecutive failures since the last success
    locked_until    TIMESTAMP,                       -- lockout after too many failures
    created_at      TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    created_by      VARCHAR NOT NULL,
    last_login_at   TIMESTAMP,
    password_set_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);

CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;

-- Who did what, when, to how many rows: logins (ok and failed), logouts, imports, undos, member-level
-- downloads, account changes, reports. Append-only from siyu's side.
CREATE TABLE audit_log (
    audit_id    BIGINT PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    logged_at   TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    username    VARCHAR NOT NULL,
    role        VARCHAR,
    action      VARCHAR NOT NULL,          -- login, login_failed, locked, logout, import, undo, download, ...
    detail      VARCHAR,                   -- what: file name, page and columns of a download, ...
    rows        BIGINT                     -- how many rows it concerned (downloads, imports)
);
