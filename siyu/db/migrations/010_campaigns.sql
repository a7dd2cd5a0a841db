-- siyu schema version 10: recall campaigns with holdout groups, what was sent, and alerts (issue #18).

-- One row per campaign: planned in siyu (`python -m siyu campaign plan`, the 召回 page) or known only from
-- an imported send file (origin 'import'). comparison says what the sent group is measured against:
-- 'holdout' (a random holdout drawn by siyu's plan, or rows with arm = holdout in the send file),
-- 'named' (a comparison group the operator listed), 'matched' (siyu built one: same source, not sent,
-- similar recency/frequency/value), 'none' (nothing yet: no lift can be measured).
CREATE TABLE campaigns (
    campaign       VARCHAR PRIMARY KEY,
    origin         VARCHAR NOT NULL CHECK (origin IN ('plan', 'import')),
    source         VARCHAR,                 -- the --from text, e.g. rfm:重要挽留客户, at_risk, file:list.csv
    planned_at     TIMESTAMP,               -- when the plan was drawn (NULL for imported campaigns)
    planned_by     VARCHAR,
    seed           BIGINT,
    holdout_share  DOUBLE,
    variants       VARCHAR,                 -- comma-separated copy variants (A,B), '' for one copy
    comparison     VARCHAR NOT NULL DEFAULT 'holdout' CHECK (comparison IN ('holdout', 'named', 'matched', 'none')),
    note           VARCHAR
);

-- One row per member assigned by a plan (arm send with its variant, or holdout), or per member of a named
-- or matched comparison group (arm holdout). stratum: the recency/frequency/value cell the split balanced on.
CREATE TABLE campaign_members (
    campaign   VARCHAR NOT NULL,
    member_id  BIGINT NOT NULL,
    arm        VARCHAR NOT NULL CHECK (arm IN ('send', 'holdout')),
    variant    VARCHAR NOT NULL DEFAULT '',
    stratum    VARCHAR,
    PRIMARY KEY (campaign, member_id)
);

-- One row per message actually sent (or, arm = holdout, per member deliberately not sent), from the
-- campaign_sends import profile. Re-importing the same rows changes nothing (key below).
CREATE TABLE campaign_sends (
    campaign    VARCHAR NOT NULL,
    member_id   BIGINT NOT NULL,
    sent_at     TIMESTAMP NOT NULL,
    channel     VARCHAR,                    -- 短信 / 企微 / 群发 / 朋友圈
    variant     VARCHAR NOT NULL DEFAULT '',
    arm         VARCHAR NOT NULL DEFAULT 'send' CHECK (arm IN ('send', 'holdout')),
    cost_cents  BIGINT,
    batch_id    BIGINT NOT NULL,
    PRIMARY KEY (campaign, member_id, sent_at)
);

-- Alert rules: a metric, a value read from it, a comparison and a threshold (docs/alerts.md).
CREATE TABLE alert_rules (
    name        VARCHAR PRIMARY KEY,
    metric      VARCHAR NOT NULL,
    params      VARCHAR NOT NULL DEFAULT '{}',   -- JSON object of metric parameters
    value_col   VARCHAR NOT NULL,
    row_filter  VARCHAR NOT NULL DEFAULT '{}',   -- JSON object {column: value} picking the row
    op          VARCHAR NOT NULL CHECK (op IN ('>', '>=', '<', '<=', 'falls_pct', 'rises_pct')),
    threshold   DOUBLE NOT NULL,
    link        VARCHAR,
    enabled     BOOLEAN NOT NULL DEFAULT true,
    created_by  VARCHAR NOT NULL DEFAULT 'cli',
    created_at  TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);

-- One row per check of a rule that fired (and whether the group bot took the message).
CREATE TABLE alert_firings (
    name        VARCHAR NOT NULL,
    fired_at    TIMESTAMP NOT NULL,
    value       DOUBLE,
    previous    DOUBLE,
    threshold   DOUBLE NOT NULL,
    message     VARCHAR NOT NULL,
    posted      BOOLEAN NOT NULL,
    error       VARCHAR
);
