"""Orders and order lines: buy-till-you-die purchasing with item baskets, coupons and refunds.

Each buyer has a purchase rate (gamma across buyers, so a few buy very often) and a chance to drop
out after every purchase (beta across buyers), as in BG/NBD (Fader, Hardie & Lee 2005). Purchases
are spaced evenly in ORDER_WARP's operational time, which puts the 双11 and 618 peaks on the calendar.
Baskets are built from the catalog, so an order's gross is the sum of its lines exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from siyu.demo.catalog import (
    BASE_PRODUCTS,
    CHANNEL_NAMES,
    CHANNELS,
    COUPONS,
    DISTRIBUTORS,
    FREE_SAMPLE,
    HUNTER_COUPONS,
    NEW_PRODUCT,
    NEW_PRODUCT_SHARE,
    PAID_CHANNEL,
    PRODUCTS,
    PROMO_COUPONS,
    STORES,
    TRIAL_KIT,
)
from siyu.demo.people import Members, by_channel
from siyu.demo.timeline import DAY, DAYS, END_S, ORDER_WARP, START_S, seconds

STATUSES = ("paid", "partially_refunded", "refunded", "cancelled", "unpaid")
PAID, PARTIAL, REFUNDED, CANCELLED, UNPAID = range(5)
STATUS_SHARES = {UNPAID: 0.010, CANCELLED: 0.020, REFUNDED: 0.030, PARTIAL: 0.040}
COUPON_CODES = (*COUPONS, PROMO_COUPONS["双11"], PROMO_COUPONS["618"], *HUNTER_COUPONS, "小样0元领")
SAMPLE_COUPON = len(COUPON_CODES) - 1
HUNTER_COUPON = len(COUPONS) + 2   # + 1 for the ¥0 variant
ITEM_PRODUCTS = (*[(name, sku, price) for name, sku, price, *_ in PRODUCTS], TRIAL_KIT, FREE_SAMPLE)
TRIAL, SAMPLE = len(PRODUCTS), len(PRODUCTS) + 1
FREE_SAMPLE_SHARE = 0.0025
MAX_RATE = 120 / 365.25   # ten orders a month: the keenest office tea buyers
ONLINE = len(STORES)   # store index of the online flagship shop
# sales channel shares (小程序, 有赞微商城, 门店, 直播间) by the member's acquisition channel
SALES_MIX = {"门店": (0.25, 0.10, 0.65, 0.0), "直播": (0.35, 0.10, 0.0, 0.55), "分销": (0.25, 0.75, 0.0, 0.0)}
DEFAULT_MIX = (0.62, 0.28, 0.0, 0.10)


@dataclass
class Behaviour:
    buyer: np.ndarray        # bool: will order at least once (if time allows)
    rate: np.ndarray         # purchases per operational day while alive
    churn: np.ndarray        # chance of dropping out after each purchase
    basket: np.ndarray       # basket-size multiplier
    distributor: np.ndarray  # int16 index into DISTRIBUTORS for 分销 members, else -1


def behaviour(m: Members, rng: np.random.Generator) -> Behaviour:
    ch = m.channel
    buyer = rng.uniform(size=m.n) < by_channel("buy_prob")[ch]
    shape = by_channel("rate_shape")[ch]
    rate = rng.gamma(shape, by_channel("orders_per_year")[ch] / shape) / 365.25
    rate = np.clip(rate, 0.02 / 365.25, MAX_RATE)
    a = np.array([c.churn[0] for c in CHANNELS])[ch]
    b = np.array([c.churn[1] for c in CHANNELS])[ch]
    churn = np.clip(rng.beta(a, b), 0.01, 1.0)
    basket = by_channel("basket")[ch] * rng.lognormal(0.0, 0.5, size=m.n)
    distributor = np.where(ch == CHANNEL_NAMES.index("分销"),
                           rng.integers(0, len(DISTRIBUTORS), size=m.n), -1).astype(np.int16)
    return Behaviour(buyer, rate, churn, basket, distributor)


@dataclass
class Orders:
    member: np.ndarray        # int64 member index; rows grouped by member, in time order
    created: np.ndarray       # int64 seconds
    paid_at: np.ndarray       # int64 seconds, -1 = NULL (unpaid, cancelled)
    paid: np.ndarray          # int64 cents
    refunded: np.ndarray      # int64 cents
    discount: np.ndarray      # int64 cents
    status: np.ndarray        # int8 index into STATUSES
    coupon: np.ndarray        # int8 index into COUPON_CODES, -1 = none
    sales_channel: np.ndarray  # int8 index into SALES_CHANNELS
    store: np.ndarray         # int8 index into STORES, ONLINE = the flagship shop
    distributor: np.ndarray   # int16 index into DISTRIBUTORS, -1 = none
    hunter: np.ndarray        # bool: a coupon hunter's bait order
    item_order: np.ndarray    # per line: order row
    item_line: np.ndarray     # per line: 1-based line number
    item_product: np.ndarray  # per line: index into ITEM_PRODUCTS
    item_qty: np.ndarray      # per line: quantity

    @property
    def valid(self) -> np.ndarray:
        """docs/metrics.md: paid, not cancelled, not fully refunded (zero-amount paid orders count)."""
        return ((self.paid_at >= 0) & ((self.status == PAID) | (self.status == PARTIAL))
                & ~((self.paid > 0) & (self.refunded >= self.paid)))

    @property
    def net(self) -> np.ndarray:
        return np.maximum(self.paid - self.refunded, 0)


def _purchase_times(m: Members, b: Behaviour, rng: np.random.Generator,
                    rate_scale: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(member index, seconds) of every purchase, grouped by member in time order. `rate_scale`
    multiplies every buyer's purchase rate (1.0 = the demo brand as documented)."""
    buyers = np.nonzero(b.buyer)[0]
    join_op = ORDER_WARP.to_op(m.joined[buyers])
    window = ORDER_WARP.total - join_op
    rate = b.rate[buyers] if rate_scale == 1.0 else b.rate[buyers] * rate_scale
    cap = (3 + np.ceil(rate * window * 2.5 + 8)).astype(np.int64)
    count = np.minimum(rng.geometric(b.churn[buyers]), cap)
    owner = np.repeat(np.arange(len(buyers)), count)
    starts = np.cumsum(count) - count
    gaps = rng.exponential(1.0, size=len(owner)) / rate[owner]
    delay = by_channel("first_delay_days")[m.channel[buyers]]
    gaps[starts] = 0.02 + rng.exponential(delay)
    elapsed = np.cumsum(gaps)
    elapsed -= np.repeat(elapsed[starts] - gaps[starts], count)
    op = join_op[owner] + elapsed
    keep = op < ORDER_WARP.total
    member = buyers[owner[keep]]
    secs = np.maximum(ORDER_WARP.to_seconds(op[keep]), m.joined[member] + 120)
    inside = secs <= END_S
    return member[inside], secs[inside]


def _festival_days() -> np.ndarray:
    """Per calendar day of the data: 0 = none, 1 = 双11 (pre-sales from Oct 20 to Nov 11), 2 = 618 (Jun 1-18)."""
    month = DAYS.astype("datetime64[M]").astype(np.int64) % 12 + 1
    mday = (DAYS - DAYS.astype("datetime64[M]")).astype(np.int64) + 1
    d11 = ((month == 10) & (mday >= 20)) | ((month == 11) & (mday <= 11))
    m618 = (month == 6) & (mday <= 18)
    return np.where(d11, 1, np.where(m618, 2, 0))


FESTIVAL_DAYS = _festival_days()


def orders(m: Members, b: Behaviour, rng: np.random.Generator, *, keep_items: bool = True,
           rate_scale: float = 1.0) -> Orders:
    """Every order; with keep_items False the lines are drawn (they fix the gross) but not kept.
    `rate_scale` multiplies every buyer's purchase rate (more orders per member; benchmarks use it)."""
    member, secs = _purchase_times(m, b, rng, rate_scale)
    n = len(member)
    first = np.ones(n, dtype=bool)
    first[1:] = member[1:] != member[:-1]
    hunter = first & (m.channel[member] == CHANNEL_NAMES.index(PAID_CHANNEL))
    sample = ~hunter & (rng.uniform(size=n) < FREE_SAMPLE_SHARE)
    special = hunter | sample

    # basket lines: distinct consecutive catalog products, the new one only after its launch
    basket = b.basket[member]
    lines = np.where(special, 1, 1 + np.minimum(rng.poisson(0.35 * basket), 3))
    item_order = np.repeat(np.arange(n), lines)
    item_line = np.arange(len(item_order)) - np.repeat(np.cumsum(lines) - lines, lines) + 1
    popularity = np.array([p[3] for p in PRODUCTS[:BASE_PRODUCTS]])
    lead = rng.choice(BASE_PRODUCTS, size=n, p=popularity / popularity.sum())
    product = (lead[item_order] + item_line - 1) % BASE_PRODUCTS
    launched = secs >= seconds(PRODUCTS[NEW_PRODUCT][4])
    new = launched & (rng.uniform(size=n) < NEW_PRODUCT_SHARE)
    product = np.where((item_line == 1) & new[item_order], NEW_PRODUCT, product)
    product = np.where(hunter[item_order], TRIAL, np.where(sample[item_order], SAMPLE, product))
    qty = np.where(special[item_order], 1, 1 + np.minimum(rng.poisson(0.15 * basket[item_order]), 4))
    prices = np.array([p[2] for p in ITEM_PRODUCTS], dtype=np.int64)
    gross = np.bincount(item_order, weights=prices[product] * qty, minlength=n).astype(np.int64)

    # coupons: festival 满减, everyday coupons, the hunters' ¥9.9 bait and free samples
    festival = FESTIVAL_DAYS[(secs - START_S) // DAY]
    uses = rng.uniform(size=n) < np.where(festival > 0, 0.55, 0.2)
    kind = rng.integers(0, len(COUPONS), size=n)
    kind = np.where(first, np.where(kind == 3, 2, kind), np.where(kind == 2, 3, kind))
    everyday = np.select([kind == 0, kind == 1, kind == 2], [np.where(gross >= 9_900, 1_000, 0),
                         np.round(gross * 0.05).astype(np.int64), np.minimum(gross // 2, 1_000)],
                         np.where(gross >= 9_900, 1_500, 0))
    promo = np.where(festival == 1, 3_000 * np.minimum(gross // 20_000, 3), 2_000 * np.minimum(gross // 15_000, 3))
    discount = np.where(uses, np.where(festival > 0, promo, everyday), 0)
    coupon = np.where(discount > 0, np.where(festival > 0, len(COUPONS) + festival - 1, kind), -1)
    bait = rng.choice(np.array([0, 1, 100, 990]), size=n, p=[0.2, 0.15, 0.15, 0.5])
    paid = np.where(hunter, bait, np.where(sample, 0, gross - discount))
    discount = gross - paid
    coupon = np.where(hunter, HUNTER_COUPON + (bait == 0),
                      np.where(sample, SAMPLE_COUPON, coupon)).astype(np.int8)

    # statuses: hunters never refund, free samples are always paid
    u = rng.uniform(size=n)
    edges = np.cumsum([STATUS_SHARES[s] for s in (UNPAID, CANCELLED, REFUNDED, PARTIAL)])
    status = np.select([u < edges[0], u < edges[1], u < edges[2], u < edges[3]],
                       [UNPAID, CANCELLED, REFUNDED, PARTIAL], PAID)
    status = np.where(hunter & (status != UNPAID) & (status != CANCELLED), PAID, status)
    status = np.where(sample | ((status == PARTIAL) & (paid < 200)) | ((status == REFUNDED) & (paid == 0)),
                      PAID, status).astype(np.int8)
    share = rng.uniform(0.15, 0.6, size=n)
    refunded = np.select([status == REFUNDED, status == PARTIAL],
                         [paid, np.clip(np.round(paid * share / 100) * 100, 100, paid - 1).astype(np.int64)], 0)
    unpaid = (status == UNPAID) | (status == CANCELLED)
    created = np.maximum(secs - rng.integers(20, 1800, size=n), m.joined[member] + 60)
    paid_at = np.where(unpaid, -1, secs)

    # where it was sold
    sales = np.empty(n, dtype=np.int8)
    member_channel = m.channel[member]
    for c, name in enumerate(CHANNEL_NAMES):
        mask = member_channel == c
        sales[mask] = rng.choice(4, size=int(mask.sum()), p=SALES_MIX.get(name, DEFAULT_MIX))
    sales[special] = 0
    store = np.where(sales == 2, m.store[member], ONLINE).astype(np.int8)
    distributor = np.where(sales == 1, b.distributor[member], -1).astype(np.int16)
    if not keep_items:
        item_order = item_line = product = qty = np.zeros(0, dtype=np.int64)
    return Orders(member, created, paid_at, paid.astype(np.int64), refunded.astype(np.int64),
                  discount.astype(np.int64), status, coupon, sales, store, distributor, hunter,
                  item_order, item_line.astype(np.int32), product.astype(np.int8), qty.astype(np.int32))
