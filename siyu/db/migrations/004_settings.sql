-- siyu schema version 4: settings that admins change on the 账户与审计 page (issue #7).

-- One row per setting that differs from its default (siyu.auth.runtime_settings.EDITABLE). A SIYU_*
-- environment variable still wins over a row here; deleting the row returns to the default.
CREATE TABLE app_settings (
    name        VARCHAR PRIMARY KEY,       -- a siyu.config.Settings field name
    value       VARCHAR NOT NULL,          -- as typed, validated like the environment variable
    updated_at  TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    updated_by  VARCHAR NOT NULL
);
