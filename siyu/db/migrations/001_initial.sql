-- siyu schema version 1: the private-domain data model.
-- Times are naive TIMESTAMPs in the brand's local time (exports from WeCom/有赞 are in Asia/Shanghai).
-- Money is stored as integer cents (分) so sums are exact; net = paid - refunded.

CREATE SEQUENCE IF NOT EXISTS member_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS batch_id_seq START 1;

-- One row per import (file, demo build or undo); every data row points at the batch that wrote it.
CREATE TABLE import_batches (
    batch_id      BIGINT PRIMARY KEY,
    file_name     VARCHAR NOT NULL,
    sha256        VARCHAR,
    profile       VARCHAR NOT NULL,          -- e.g. youzan_orders, wecom_customers, demo
    imported_by   VARCHAR NOT NULL DEFAULT 'cli',
    imported_at   TIMESTAMP NOT NULL DEFAULT current_localtimestamp(),
    rows_read     BIGINT NOT NULL DEFAULT 0,
    rows_inserted BIGINT NOT NULL DEFAULT 0,
    rows_updated  BIGINT NOT NULL DEFAULT 0,
    rows_rejected BIGINT NOT NULL DEFAULT 0,
    rows_linked   BIGINT NOT NULL DEFAULT 0,  -- records attached to members that already existed
    status        VARCHAR NOT NULL DEFAULT 'committed' CHECK (status IN ('committed', 'undone')),
    note          VARCHAR
);

-- One row per person, after identity resolution.
CREATE TABLE members (
    member_id     BIGINT PRIMARY KEY,
    display_name  VARCHAR,
    joined_at     TIMESTAMP NOT NULL,        -- first add/registration; for order-only members, first order time
    channel       VARCHAR,                   -- acquisition channel (包裹卡, 门店, 裂变海报 ...)
    source        VARCHAR NOT NULL,          -- profile that created the member
    batch_id      BIGINT NOT NULL
);

-- One row per identifier of a member. Masked phones are kept for display but never merge members,
-- which is why (kind, value) alone is not the key.
CREATE TABLE member_identities (
    kind          VARCHAR NOT NULL CHECK (kind IN ('phone', 'phone_masked', 'wecom_external_id',
                      'wecom_name', 'shop_buyer_id', 'email', 'external_member_id')),
    value         VARCHAR NOT NULL,          -- phones normalised to 11 digits, emails lower-cased
    member_id     BIGINT NOT NULL,
    is_weak       BOOLEAN NOT NULL DEFAULT false,  -- wecom_name: a nickname, merges only within one export
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (kind, value, member_id)
);

-- Staff members (企业微信成员) who own friendships.
CREATE TABLE staff (
    staff_id      VARCHAR PRIMARY KEY,       -- 添加人账号, or the name when no account is exported
    name          VARCHAR,
    department    VARCHAR,
    batch_id      BIGINT NOT NULL
);

-- One row per friendship (member x staff, from add to deletion). A re-add after deletion is a new row.
CREATE TABLE friends (
    member_id     BIGINT NOT NULL,
    staff_id      VARCHAR NOT NULL,
    added_at      TIMESTAMP NOT NULL,
    deleted_at    TIMESTAMP,
    deleted_by    VARCHAR CHECK (deleted_by IN ('customer', 'staff')),  -- del_follow_user / del_external_contact
    add_way       VARCHAR,                   -- 来源 in words (扫描二维码, 搜索手机号 ...)
    add_way_code  INTEGER,                   -- WeCom API add_way code when known
    channel       VARCHAR,                   -- channel QR `state` or the campaign tag
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (member_id, staff_id, added_at)
);

-- The brand's tier ladder, in its own order (rank 1 = entry tier).
CREATE TABLE tiers (
    tier          VARCHAR PRIMARY KEY,
    rank          INTEGER NOT NULL
);

-- One row per member per snapshot date (each member export is a dated snapshot).
CREATE TABLE member_snapshots (
    member_id     BIGINT NOT NULL,
    snapshot_date DATE NOT NULL,
    tier          VARCHAR,
    points        BIGINT,
    growth_value  BIGINT,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (member_id, snapshot_date)
);

-- One row per order. status: unpaid | paid | partially_refunded | refunded | cancelled.
CREATE TABLE orders (
    order_id        VARCHAR PRIMARY KEY,
    member_id       BIGINT NOT NULL,
    created_at      TIMESTAMP,
    paid_at         TIMESTAMP,
    paid_cents      BIGINT NOT NULL DEFAULT 0 CHECK (paid_cents >= 0),
    refunded_cents  BIGINT NOT NULL DEFAULT 0 CHECK (refunded_cents >= 0),
    discount_cents  BIGINT NOT NULL DEFAULT 0,
    status          VARCHAR NOT NULL CHECK (status IN ('unpaid', 'paid', 'partially_refunded', 'refunded', 'cancelled')),
    currency        VARCHAR NOT NULL DEFAULT 'CNY',
    store           VARCHAR,
    sales_channel   VARCHAR,
    distributor     VARCHAR,
    coupon_code     VARCHAR,
    batch_id        BIGINT NOT NULL,
    updated_batch_id BIGINT
);

-- One row per order line, when the export has them.
CREATE TABLE order_items (
    order_id      VARCHAR NOT NULL,
    line_no       INTEGER NOT NULL,
    product       VARCHAR,
    sku           VARCHAR,
    quantity      INTEGER,
    price_cents   BIGINT,
    batch_id      BIGINT NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

-- One row per referee: a member has at most one referrer (the first one recorded).
CREATE TABLE referrals (
    referee_id    BIGINT PRIMARY KEY,
    referrer_id   BIGINT NOT NULL,
    referred_at   TIMESTAMP NOT NULL,
    campaign      VARCHAR,
    batch_id      BIGINT NOT NULL
);

-- The single definition of a valid order (docs/metrics.md): paid, not cancelled, not fully refunded.
-- Zero-amount paid orders (free samples) are valid.
CREATE VIEW valid_orders AS
SELECT
    order_id, member_id, paid_at, store, sales_channel, distributor, coupon_code, discount_cents,
    paid_cents, refunded_cents,
    greatest(paid_cents - refunded_cents, 0) AS net_cents
FROM orders
WHERE paid_at IS NOT NULL
  AND status IN ('paid', 'partially_refunded')
  AND NOT (paid_cents > 0 AND refunded_cents >= paid_cents);
