-- siyu schema version 11: membership economics (issue #19): the points ledger (积分明细), the value of a
-- point, and paid memberships (付费会员).

-- One row per change of a member's points, as the 积分明细 export lists it. `delta` is signed: earning is
-- positive, redeeming and expiring negative. `kind` is the change's type in siyu's words (purchase 消费,
-- checkin 签到, share 分享, review 评价, redeem 兑换, expire 过期, adjust 调整, other). `entry_key` names the
-- change itself: md5_number of 'member|time|kind|delta|balance after|order' (a 128-bit number, a third of
-- the text's size in the file), so a re-import of the same or an overlapping export finds every row it
-- already holds and writes nothing (docs/import.md).
CREATE TABLE points_ledger (
    entry_key     UHUGEINT PRIMARY KEY,
    member_id     BIGINT NOT NULL,
    occurred_at   TIMESTAMP NOT NULL,
    delta         BIGINT NOT NULL,
    kind          VARCHAR NOT NULL CHECK (kind IN ('purchase', 'checkin', 'share', 'review', 'redeem', 'expire',
                                                   'adjust', 'other')),
    balance_after BIGINT,
    order_id      VARCHAR,
    reason        VARCHAR,                 -- the export's own words for the change (变动原因 / 备注)
    batch_id      BIGINT NOT NULL
);

-- What one point is worth to the brand when redeemed (e.g. 100 积分抵 1 元 -> 0.01): the liability of the
-- outstanding points is priced with it. One row, edited on the 会员权益 page; the default is 0.01.
CREATE TABLE points_value (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    yuan_per_point DECIMAL(18, 6) NOT NULL CHECK (yuan_per_point >= 0),
    updated_at    TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    updated_by    VARCHAR NOT NULL
);
INSERT INTO points_value (id, yuan_per_point, updated_by) VALUES (1, 0.01, 'default');

-- One row per paid membership term (付费会员 / 权益卡): bought at started_at, valid until expires_at, for
-- fee_cents. A renewal is a new term of the same member. Key (member_id, started_at): a re-import replaces
-- a changed term (the previous values kept for undo) and never doubles one.
CREATE TABLE paid_memberships (
    member_id     BIGINT NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    fee_cents     BIGINT NOT NULL CHECK (fee_cents >= 0),
    plan          VARCHAR,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (member_id, started_at),
    CHECK (expires_at >= started_at)
);

CREATE TABLE ingest_undo_paid_memberships (
    batch_id      BIGINT NOT NULL,
    member_id     BIGINT NOT NULL,
    started_at    TIMESTAMP NOT NULL,
    expires_at    TIMESTAMP NOT NULL,
    fee_cents     BIGINT NOT NULL,
    plan          VARCHAR,
    prev_batch_id BIGINT NOT NULL
);

-- The growth value (成长值) each tier starts at, when the brand states it (the demo does). A separate table,
-- not a column of `tiers`, so every writer of the ladder stays as it is; a tier without a row here has its
-- threshold inferred by the tier metrics (docs/metrics/tier_economics.md). Used for "close to the next tier".
CREATE TABLE tier_thresholds (
    tier             VARCHAR PRIMARY KEY,
    growth_threshold BIGINT NOT NULL CHECK (growth_threshold >= 0),
    batch_id         BIGINT NOT NULL
);
