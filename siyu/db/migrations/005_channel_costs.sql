-- siyu schema version 5: what each acquisition channel cost (issue #5, the 无效私域 view).

-- One row per channel x period: money spent on the channel over [period_start, period_end] (both
-- inclusive; a month is its first to its last day). `channel` is written exactly as members.channel
-- spells it (trimmed), so costs join the scorecard's groups. Re-importing the same channel and period
-- replaces the row (see docs/import.md); periods of one channel never overlap (the import refuses that).
CREATE TABLE channel_costs (
    channel       VARCHAR NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    cost_cents    BIGINT NOT NULL CHECK (cost_cents >= 0),
    note          VARCHAR,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (channel, period_start, period_end),
    CHECK (period_end >= period_start)
);

-- Undo support: the row a batch replaced (its cost, note and the batch that had written it).
CREATE TABLE ingest_undo_channel_costs (
    batch_id      BIGINT NOT NULL,
    channel       VARCHAR NOT NULL,
    period_start  DATE NOT NULL,
    period_end    DATE NOT NULL,
    cost_cents    BIGINT NOT NULL,
    note          VARCHAR,
    prev_batch_id BIGINT NOT NULL
);
