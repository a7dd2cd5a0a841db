"""The demo's headline figures, computed in numpy from the generator's own arrays.

This is deliberately a second implementation of siyu/metrics/kpis.py (same definitions, no shared
code, no database): the tests compare it with `python -m siyu metric kpis`, so a bug on either side
shows up as a disagreement. The range is the whole data, as siyu.engine.params.resolve_range defaults it.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from siyu.demo.catalog import CHANNEL_NAMES, PAID_CHANNEL, TIERS
from siyu.demo.orders import CANCELLED, PARTIAL, REFUNDED, UNPAID, Orders
from siyu.demo.people import Friends, Members, Referrals
from siyu.demo.snapshots import Snapshots
from siyu.demo.timeline import DAY, EPOCH

VALID_WINDOW = 180 * DAY


def _date(secs: int) -> dt.date:
    return (EPOCH + dt.timedelta(seconds=int(secs))).date()


def top_share(spend: np.ndarray, share: float = 0.2) -> float:
    """Share of the total from the top ceil(share x n) values (buyers ranked by net spend)."""
    total = int(spend.sum())
    if total == 0:
        return 0.0
    top = math.ceil(share * len(spend))
    return int(np.sort(spend)[::-1][:top].sum()) / total


def kpis(m: Members, f: Friends, o: Orders, start: dt.date | None = None, end: dt.date | None = None) -> dict:
    """The kpis metric over whole days [start, end]; each defaults to the first / last day of the data."""
    paid = o.paid_at >= 0
    first = min(m.joined.min(), o.paid_at[paid].min(initial=m.joined.max()), f.added.min(initial=m.joined.max()))
    last = max(m.joined.max(), o.paid_at.max(initial=0), f.added.max(initial=0), f.deleted.max(initial=0))
    start, end = start or _date(first), end or _date(last)
    lo = (start.toordinal() - dt.date(1970, 1, 1).toordinal()) * DAY
    hi = (end.toordinal() + 1 - dt.date(1970, 1, 1).toordinal()) * DAY

    joined = m.joined < hi
    valid = o.valid
    in_range = valid & (o.paid_at >= lo) & (o.paid_at < hi)
    # distinct (member, day) pairs, then purchase days per buyer, by run lengths over the sorted keys
    keys = o.member[in_range] * 100_000 + o.paid_at[in_range] // DAY
    if len(keys) > 1 and (np.diff(keys) < 0).any():
        keys = np.sort(keys)
    pair_starts = np.flatnonzero(np.diff(keys, prepend=-1) != 0)
    pair_member = keys[pair_starts] // 100_000
    buyer_starts = np.flatnonzero(np.diff(pair_member, prepend=-1) != 0)
    days_per_buyer = np.diff(np.append(buyer_starts, len(pair_member)))
    buyer_ids = pair_member[buyer_starts]
    buyers = len(buyer_ids)
    net_cents = int(o.net[in_range].sum())
    gmv = net_cents / 100
    open_friend = (f.added < hi) & ((f.deleted < 0) | (f.deleted >= hi))
    recent = valid & (o.paid_at < hi) & (o.paid_at >= hi - VALID_WINDOW)
    still = np.zeros(m.n, dtype=bool)
    still[f.member[open_friend]] = True
    still[o.member[recent]] = True
    deleted = (f.deleted >= 0) & (f.deleted >= lo) & (f.deleted < hi)
    return {
        "members": int(joined.sum()),
        "valid_members": int((still & joined).sum()),
        "vanity_headcount": int(joined.sum()),
        "new_members": int((joined & (m.joined >= lo)).sum()),
        "buyers": buyers,
        "orders": int(in_range.sum()),
        "gmv": gmv,
        "arpu": gmv / buyers if buyers else 0.0,
        "repurchase_rate": int((days_per_buyer >= 2).sum()) / buyers if buyers else 0.0,
        "friends_active": int(open_friend.sum()),
        "friends_deleted": int(deleted.sum()),
        "start": start.isoformat(),
        "end": end.isoformat(),
    }


def stories(m: Members, f: Friends, r: Referrals, o: Orders, s: Snapshots) -> dict:
    """The figures the demo is built to show (docs/demo.md)."""
    valid = o.valid
    spend = np.bincount(o.member[valid], weights=o.net[valid], minlength=m.n).astype(np.int64)
    is_buyer = np.bincount(o.member[valid], minlength=m.n) > 0
    paid_channel = CHANNEL_NAMES.index(PAID_CHANNEL)
    friend_channel = m.channel[f.member]
    within_7d = (f.deleted >= 0) & (f.deleted - f.added < 7 * DAY)
    latest = s.date == len(s.dates) - 1
    tiers = np.bincount(s.tier[latest], minlength=len(TIERS))
    return {
        "top20_gmv_share": top_share(spend[is_buyer]),
        "paid_channel": PAID_CHANNEL,
        "paid_channel_deleted_within_7d": float(within_7d[friend_channel == paid_channel].mean()),
        "other_channels_deleted_within_7d": float(within_7d[friend_channel != paid_channel].mean()),
        "max_referral_depth": int(r.depth.max()),
        "referrals": len(r.referee),
        "tier_counts": {TIERS[i][0]: int(tiers[i]) for i in range(len(TIERS))},
        "tier_snapshot_date": s.dates[-1].isoformat(),
        "refunded_orders": int((o.status == REFUNDED).sum()),
        "partially_refunded_orders": int((o.status == PARTIAL).sum()),
        "cancelled_orders": int((o.status == CANCELLED).sum()),
        "unpaid_orders": int((o.status == UNPAID).sum()),
        "zero_amount_orders": int((valid & (o.paid == 0)).sum()),
    }
