"""Quarterly member snapshots: tier, points and growth value from cumulative net spend.

A member appears in every quarter-end snapshot on or after the day they joined. Growth value is
cumulative net spend in whole yuan (1 per ¥1); points are growth value less what the member has
redeemed (a fixed share per member), so both only ever rise. The tier is the highest whose
threshold the cumulative spend has reached, so upgrades show between successive snapshots.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from siyu.demo.catalog import TIERS
from siyu.demo.orders import Orders
from siyu.demo.people import Members
from siyu.demo.timeline import DAY, quarter_ends, seconds


@dataclass
class Snapshots:
    dates: list[dt.date]
    member: np.ndarray    # member index
    date: np.ndarray      # index into dates
    tier: np.ndarray      # index into TIERS
    points: np.ndarray
    growth: np.ndarray


def snapshots(m: Members, o: Orders, rng: np.random.Generator) -> Snapshots:
    dates = quarter_ends()
    bounds = np.array([seconds(d) + DAY for d in dates], dtype=np.int64)   # midnight after each date
    k = len(dates)
    valid = o.valid
    quarter = np.searchsorted(bounds, o.paid_at[valid], side="right")      # first snapshot counting it
    spend = np.bincount(o.member[valid] * (k + 1) + quarter, weights=o.net[valid], minlength=m.n * (k + 1))
    cumulative = np.cumsum(spend.reshape(m.n, k + 1)[:, :k], axis=1).astype(np.int64)
    member, date = np.nonzero(m.joined[:, None] < bounds[None, :])
    spent = cumulative[member, date]
    thresholds = np.array([t[2] for t in TIERS], dtype=np.int64)
    tier = (np.searchsorted(thresholds, spent, side="right") - 1).astype(np.int8)
    growth = spent // 100
    redeemed_share = rng.uniform(0.0, 0.6, size=m.n)
    points = growth - np.floor(growth * redeemed_share[member]).astype(np.int64)
    return Snapshots(dates, member, date.astype(np.int8), tier, points, growth)
