"""Arrow tables for DuckDB from the generator's arrays: dictionary-encoded labels, fixed-width
strings built as byte matrices, timestamps in microseconds. No per-row Python."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from siyu.demo.catalog import (
    CHANNEL_NAMES,
    COUPONS,
    DISTRIBUTORS,
    GIVEN,
    NICKNAMES,
    ONLINE_STORE,
    PHONE_PREFIXES,
    SALES_CHANNELS,
    STAFF,
    STORES,
    SURNAMES,
    TIERS,
)
from siyu.demo.orders import COUPON_CODES, ITEM_PRODUCTS, STATUSES, Orders
from siyu.demo.people import ADD_WAYS, Friends, Members, Referrals
from siyu.demo.snapshots import Snapshots
from siyu.demo.timeline import DAY, seconds

_ID_ALPHABET = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_", dtype=np.uint8)
_DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
assert COUPONS == COUPON_CODES[: len(COUPONS)]


def labels(codes: np.ndarray, names: tuple[str, ...] | list[str]) -> pa.DictionaryArray:
    """Codes into a label list as an Arrow dictionary column; negative codes are NULL."""
    indices = pa.array(codes.astype(np.int32), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, pa.array(list(names), pa.string()))


def timestamps(secs: np.ndarray) -> pa.Array:
    """Seconds since 1970 (naive local time) as TIMESTAMP; negative means NULL."""
    return pa.array(secs.astype(np.int64) * 1_000_000, type=pa.timestamp("us"), mask=secs < 0)


def fixed_strings(matrix: np.ndarray) -> pa.Array:
    """Rows of an (n, width) uint8 ASCII matrix as strings."""
    matrix = np.ascontiguousarray(matrix, dtype=np.uint8)
    width = matrix.shape[1]
    offsets = pa.array(np.arange(0, (len(matrix) + 1) * width, width, dtype=np.int32))
    return pa.StringArray.from_buffers(len(matrix), offsets.buffers()[1], pa.py_buffer(matrix.tobytes()))


def digits(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded decimal digits of non-negative integers as an (n, width) ASCII matrix."""
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return _DIGITS[(values[:, None] // powers) % 10]


def member_table(m: Members, rng: np.random.Generator) -> pa.Table:
    """Names as WeChat shows them: mostly real names, some nicknames, some 'surname + 女士/先生'."""
    n = m.n
    common = 1.0 / (np.arange(len(SURNAMES)) + 4.0)   # 王李张刘陈 far more common than 钱严
    surname = np.array(list(SURNAMES))[rng.choice(len(SURNAMES), size=n, p=common / common.sum())]
    given = np.array(list(GIVEN))
    first, second = given[rng.integers(0, len(given), n)], given[rng.integers(0, len(given), n)]
    kind = rng.choice(4, size=n, p=[0.25, 0.4, 0.25, 0.1])
    nickname = np.array(NICKNAMES)[rng.integers(0, len(NICKNAMES), n)]
    title = np.where(rng.uniform(size=n) < 0.75, "女士", "先生")
    name = np.select([kind == 0, kind == 1, kind == 2],
                     [np.char.add(surname, first), np.char.add(np.char.add(surname, first), second), nickname],
                     np.char.add(surname, title))
    return pa.table({
        "member_id": pa.array(np.arange(1, n + 1, dtype=np.int64)),
        "display_name": pa.array(name, pa.string()),
        "joined_at": timestamps(m.joined),
        "channel": labels(m.channel, CHANNEL_NAMES),
    })


def identity_table(m: Members, f: Friends, rng: np.random.Generator) -> pa.Table:
    """Phones (unique, 11 digits), masked phones for some, a WeCom external id for every friend."""
    n = m.n
    kind = rng.choice(3, size=n, p=[0.82, 0.10, 0.08])   # phone, masked only, neither
    is_friend = np.zeros(n, dtype=bool)
    is_friend[f.member] = True
    kind = np.where((kind == 2) & ~is_friend, 1, kind)   # everyone keeps at least one identifier
    prefix = np.frombuffer("".join(PHONE_PREFIXES).encode(), dtype=np.uint8).reshape(-1, 3)
    pick = prefix[rng.integers(0, len(PHONE_PREFIXES), n)]
    # a * i + b mod 10^8 with a coprime to 10 is a bijection: no two members share a phone
    suffix = (np.arange(n, dtype=np.int64) * 48_271_331 + int(rng.integers(0, 10**8))) % 10**8
    phone = np.hstack([pick, digits(suffix, 8)])
    masked = np.hstack([pick, np.full((n, 4), ord("*"), np.uint8), digits(suffix % 10_000, 4)])
    ids = np.hstack([np.full((n, 1), ord("w"), np.uint8), np.full((n, 1), ord("m"), np.uint8),
                     _ID_ALPHABET[rng.integers(0, 64, size=(n, 30))]])
    phones, masks, friends_ = np.nonzero(kind == 0)[0], np.nonzero(kind == 1)[0], np.nonzero(is_friend)[0]
    return pa.table({
        "kind": labels(np.repeat(np.arange(3), [len(phones), len(masks), len(friends_)]),
                       ["phone", "phone_masked", "wecom_external_id"]),
        "value": pa.concat_arrays([fixed_strings(phone[phones]), fixed_strings(masked[masks]),
                                   fixed_strings(ids[friends_])]),
        "member_id": pa.array(np.concatenate([phones, masks, friends_]) + 1),
    })


def staff_table() -> pa.Table:
    return pa.table({"staff_id": [s[0] for s in STAFF], "name": [s[1] for s in STAFF],
                     "department": [s[2] for s in STAFF]})


def friend_table(m: Members, f: Friends) -> pa.Table:
    """`channel` is the member's acquisition channel: the channel QR's state."""
    return pa.table({
        "member_id": pa.array(f.member + 1),
        "staff_id": labels(f.staff, [s[0] for s in STAFF]),
        "added_at": timestamps(f.added),
        "deleted_at": timestamps(f.deleted),
        "deleted_by": labels(np.where(f.deleted < 0, -1, f.by_staff.astype(np.int8)), ["customer", "staff"]),
        "add_way": labels(f.add_way, [w[0] for w in ADD_WAYS]),
        "add_way_code": pa.array(np.array([w[1] for w in ADD_WAYS], dtype=np.int32)[f.add_way]),
        "channel": labels(m.channel[f.member], CHANNEL_NAMES),
    })


def tier_table() -> pa.Table:
    return pa.table({"tier": [t[0] for t in TIERS], "rank": pa.array([t[1] for t in TIERS], pa.int32())})


def snapshot_table(s: Snapshots) -> pa.Table:
    days = np.array([seconds(d) // DAY for d in s.dates], dtype=np.int32)[s.date]
    return pa.table({
        "member_id": pa.array(s.member + 1),
        "snapshot_date": pa.array(days, pa.date32()),
        "tier": labels(s.tier, [t[0] for t in TIERS]),
        "points": pa.array(s.points),
        "growth_value": pa.array(s.growth),
    })


def order_table(o: Orders, sequence: np.ndarray, first_seq: int = 1) -> pa.Table:
    """Rows in `sequence` order (created time); `seq` numbers them from first_seq for the order id."""
    return pa.table({
        "seq": pa.array(np.arange(first_seq, first_seq + len(sequence), dtype=np.int64)),
        "member_id": pa.array(o.member[sequence] + 1),
        "created_at": timestamps(o.created[sequence]),
        "paid_at": timestamps(o.paid_at[sequence]),
        "paid_cents": pa.array(o.paid[sequence]),
        "refunded_cents": pa.array(o.refunded[sequence]),
        "discount_cents": pa.array(o.discount[sequence]),
        "status": labels(o.status[sequence], STATUSES),
        "store": labels(o.store[sequence], [*STORES, ONLINE_STORE]),
        "sales_channel": labels(o.sales_channel[sequence], SALES_CHANNELS),
        "distributor": labels(o.distributor[sequence], DISTRIBUTORS),
        "coupon_code": labels(o.coupon[sequence], COUPON_CODES),
    })


def item_table(o: Orders, sequence: np.ndarray) -> pa.Table:
    """Order lines, carrying their order's created time and seq so SQL rebuilds the same order id."""
    rank = np.empty(len(sequence), dtype=np.int64)
    rank[sequence] = np.arange(1, len(sequence) + 1)
    prices = np.array([p[2] for p in ITEM_PRODUCTS], dtype=np.int64)
    return pa.table({
        "seq": pa.array(rank[o.item_order]),
        "created_at": timestamps(o.created[o.item_order]),
        "line_no": pa.array(o.item_line),
        "product": labels(o.item_product, [p[0] for p in ITEM_PRODUCTS]),
        "sku": labels(o.item_product, [p[1] for p in ITEM_PRODUCTS]),
        "quantity": pa.array(o.item_qty),
        "price_cents": pa.array(prices[o.item_product]),
    })


def referral_table(m: Members, r: Referrals) -> pa.Table:
    """Campaign named after the season the referee joined in (双11, 618, 春节, or everyday)."""
    days = (m.joined[r.referee] // DAY).astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    season = np.select([(month == 10) | (month == 11), (month == 5) | (month == 6), (month <= 2)], [0, 1, 2], 3)
    years = np.arange(year.min(initial=2023), year.max(initial=2023) + 1)
    names = [f"{y}年{s}" for y in years for s in ("双11老带新", "618邀请有礼", "春节分享礼", "日常老带新")]
    return pa.table({
        "referee_id": pa.array(r.referee + 1),
        "referrer_id": pa.array(r.referrer + 1),
        "referred_at": timestamps(m.joined[r.referee]),
        "campaign": labels((year - years[0]) * 4 + season, names),
    })
