-- siyu schema version 8: WeCom customer groups (社群) — groups, who was in them when, their daily
-- statistics, and the operator's mapping of group names to the three layers (issue #17).

-- One row per customer group. group_id is the 群ID (chat_id) when an export carries it, else the group's
-- name (as staff.staff_id falls back to the name). group_type is set only by a file that states it
-- (generic_group_members' group_type); otherwise the layer comes from group_layer_rules.
CREATE TABLE groups (
    group_id      VARCHAR PRIMARY KEY,
    group_name    VARCHAR NOT NULL,
    owner_id      VARCHAR,                   -- 群主账号, else the 群主 name
    owner_name    VARCHAR,
    created_at    TIMESTAMP,
    member_count  INTEGER,                   -- 群成员数 as the group list stated it (not recomputed)
    notice        VARCHAR,                   -- 群公告 / 标签, kept as text
    group_type    VARCHAR CHECK (group_type IN ('mass', 'core', 'super', 'other')),
    batch_id      BIGINT NOT NULL
);

-- One row per member x group x join (a re-join after leaving has a new join time, so a new row).
-- member_id is members.member_id (the internal key). left_at comes from the export's 退群时间
-- (left_source 'export') or is inferred: a later export of the same group that no longer lists the member
-- dates the leave at that export's snapshot day (left_source 'snapshot'). last_seen is the newest snapshot
-- day of an export that listed the membership as present.
CREATE TABLE group_memberships (
    group_id      VARCHAR NOT NULL,
    member_id     BIGINT NOT NULL,
    joined_at     TIMESTAMP NOT NULL,
    left_at       TIMESTAMP,
    left_source   VARCHAR CHECK (left_source IN ('export', 'snapshot')),
    join_way      VARCHAR,                   -- 入群方式 in words (由成员邀请 / 通过链接 / 扫描二维码)
    inviter       VARCHAR,                   -- 邀请人 as exported
    member_type   VARCHAR,                   -- 外部联系人 / 微信用户 (企业成员 rows are staff and not stored)
    nickname      VARCHAR,                   -- the name the export listed (群昵称 or 名字)
    last_seen     DATE,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (group_id, member_id, joined_at)
);

-- Which group member exports were imported, per group and snapshot day (the basis of inferred leaves).
CREATE TABLE group_snapshots (
    group_id      VARCHAR NOT NULL,
    snapshot_date DATE NOT NULL,
    listed        INTEGER NOT NULL,          -- members (not staff) the export listed as present
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (group_id, snapshot_date)
);

-- WeCom's daily group statistic, per day and owner ('' = the whole company, when no 群主 column).
CREATE TABLE group_daily (
    day             DATE NOT NULL,
    owner           VARCHAR NOT NULL,
    new_groups      BIGINT,
    groups_total    BIGINT,
    active_groups   BIGINT,                  -- 有发过消息的群数
    new_members     BIGINT,
    members_total   BIGINT,
    active_members  BIGINT,                  -- 发过消息的群成员数
    messages        BIGINT,
    batch_id        BIGINT NOT NULL,
    PRIMARY KEY (day, owner)
);

-- The operator's mapping of group names to layers: the first rule (lowest position) whose pattern the
-- group's name contains decides; no match = 'other'. Edited on the 社群 page; not an import, so not undone.
CREATE TABLE group_layer_rules (
    position      INTEGER PRIMARY KEY,
    pattern       VARCHAR NOT NULL,
    layer         VARCHAR NOT NULL CHECK (layer IN ('mass', 'core', 'super', 'other')),
    updated_by    VARCHAR NOT NULL DEFAULT 'cli',
    updated_at    TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);

-- Undo support: what a batch changed in rows an earlier batch wrote.
CREATE TABLE ingest_undo_groups (
    batch_id      BIGINT NOT NULL,
    group_id      VARCHAR NOT NULL,
    group_name    VARCHAR NOT NULL,
    owner_id      VARCHAR,
    owner_name    VARCHAR,
    created_at    TIMESTAMP,
    member_count  INTEGER,
    notice        VARCHAR,
    group_type    VARCHAR,
    prev_batch_id BIGINT NOT NULL
);

CREATE TABLE ingest_undo_group_memberships (
    batch_id      BIGINT NOT NULL,
    group_id      VARCHAR NOT NULL,
    member_id     BIGINT NOT NULL,
    joined_at     TIMESTAMP NOT NULL,
    left_at       TIMESTAMP,
    left_source   VARCHAR,
    last_seen     DATE
);

CREATE TABLE ingest_undo_group_daily (
    batch_id        BIGINT NOT NULL,
    day             DATE NOT NULL,
    owner           VARCHAR NOT NULL,
    new_groups      BIGINT,
    groups_total    BIGINT,
    active_groups   BIGINT,
    new_members     BIGINT,
    members_total   BIGINT,
    active_members  BIGINT,
    messages        BIGINT,
    prev_batch_id   BIGINT NOT NULL
);
