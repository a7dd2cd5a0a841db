-- siyu schema version 2: what importing needs beyond the data model (issue #3).
-- Columns are added with defaults so INSERTs that name their columns keep working.

-- Rows of the file that were already in the database with the same values.
ALTER TABLE import_batches ADD COLUMN rows_duplicate BIGINT DEFAULT 0;
-- The date a member export describes (its snapshot date); NULL for other profiles.
ALTER TABLE import_batches ADD COLUMN snapshot_date DATE;
-- Text encoding / sheet the file was read with, and the on-error mode (reject | skip).
ALTER TABLE import_batches ADD COLUMN encoding VARCHAR;
ALTER TABLE import_batches ADD COLUMN on_error VARCHAR;

-- One row per rejected cell of a batch imported with --on-error skip (row counted from 1 after the header).
CREATE TABLE ingest_rejects (
    batch_id     BIGINT NOT NULL,
    row_no       BIGINT NOT NULL,
    column_name  VARCHAR,
    value        VARCHAR,
    message      VARCHAR NOT NULL
);

-- Named column mappings an operator saved for a file layout siyu did not recognise.
-- columns is a JSON object {siyu field: the file's header text}.
CREATE TABLE ingest_mappings (
    name         VARCHAR PRIMARY KEY,
    profile      VARCHAR NOT NULL,
    columns      VARCHAR NOT NULL,
    created_by   VARCHAR NOT NULL DEFAULT 'cli',
    created_at   TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
);

-- Tags from member exports (generic tags, WeCom tag-group columns, 有赞 标签), one row per member x tag.
CREATE TABLE member_tags (
    member_id    BIGINT NOT NULL,
    tag          VARCHAR NOT NULL,
    batch_id     BIGINT NOT NULL,
    PRIMARY KEY (member_id, tag)
);

-- Undo support: the values rows had before a batch updated them (one table per updatable table).
CREATE TABLE ingest_undo_orders (
    batch_id         BIGINT NOT NULL,
    order_id         VARCHAR NOT NULL,
    status           VARCHAR NOT NULL,
    paid_at          TIMESTAMP,
    paid_cents       BIGINT NOT NULL,
    refunded_cents   BIGINT NOT NULL,
    updated_batch_id BIGINT
);

CREATE TABLE ingest_undo_members (
    batch_id      BIGINT NOT NULL,
    member_id     BIGINT NOT NULL,
    joined_at     TIMESTAMP NOT NULL,
    display_name  VARCHAR,
    channel       VARCHAR
);

CREATE TABLE ingest_undo_friends (
    batch_id      BIGINT NOT NULL,
    member_id     BIGINT NOT NULL,
    staff_id      VARCHAR NOT NULL,
    added_at      TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    deleted_by    VARCHAR
);

CREATE TABLE ingest_undo_snapshots (
    batch_id      BIGINT NOT NULL,
    member_id     BIGINT NOT NULL,
    snapshot_date DATE NOT NULL,
    tier          VARCHAR,
    points        BIGINT,
    growth_value  BIGINT
);

CREATE TABLE ingest_undo_referrals (
    batch_id      BIGINT NOT NULL,
    referee_id    BIGINT NOT NULL,
    referrer_id   BIGINT NOT NULL,
    referred_at   TIMESTAMP NOT NULL,
    campaign      VARCHAR
);
