"""The demo's membership programme (issue #19): a points ledger, yearly tier reviews with downgrades, a paid VIP.

- Points: +1 per ¥1 of a valid order's net (credited a minute after payment), +10 for a review a few days after
  a fifth of orders, +5 per daily check-in and +20 per share (each member has an engagement level), redemptions
  (积分抵现 at checkout on some orders, and gifts in between) of a share of the balance in hundreds, and the
  yearly clearance: on 31 December the points not earned that calendar year expire. Redemptions and expiries
  are decided in rounds (one decision per member per round, vectorised across members), so no balance ever
  goes negative. Snapshot points are the ledger balance at each snapshot date.
- Tiers: a member rises as soon as their growth value (成长值, ¥1 = 1) reaches a tier's threshold; at each
  31 December review a member who has been a member for the whole year and earned less than half of their
  tier's threshold that year drops one tier, and their growth value restarts at the lower tier's threshold
  (so upgrades again take real spend). Snapshot growth values are these, so they fall exactly at downgrades.
- Paid VIP (黑金VIP年卡, ¥199 a year): some repeat buyers buy it at checkout of their third order; a term is
  renewed a few days before it ends more often when the member kept buying during it.
The ledger is written up to LEDGER_MAX_MEMBERS members (like order lines); tiers and VIPs at any size.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import numpy as np
import pyarrow as pa

from siyu.db import execute
from siyu.demo.catalog import END, TIERS
from siyu.demo.orders import Orders
from siyu.demo.people import Members
from siyu.demo.snapshots import Snapshots
from siyu.demo.timeline import DAY, END_S, seconds

LEDGER_MAX_MEMBERS = 100_000    # ~30 ledger rows per member: beyond this the demo file would be mostly points
KEEP_SHARE = 0.5                   # of the tier's threshold, earned within the year, keeps the tier
KINDS = ("purchase", "checkin", "share", "review", "redeem", "expire")
VIP_PLAN, VIP_FEE, VIP_DAYS = "黑金VIP年卡", 19_900, 365
THRESHOLDS = np.array([t[2] // 100 for t in TIERS], dtype=np.int64)   # growth value (yuan) per tier


@dataclass
class Ledger:
    member: np.ndarray    # member index
    at: np.ndarray        # seconds
    delta: np.ndarray
    kind: np.ndarray      # index into KINDS
    balance: np.ndarray   # balance after the change


@dataclass
class Paid:
    member: np.ndarray
    start: np.ndarray     # seconds
    end: np.ndarray


def with_downgrades(s: Snapshots) -> Snapshots:
    """The snapshots' tiers and growth values under the yearly review (module doc)."""
    k = len(s.dates)
    n = int(s.member.max()) + 1 if len(s.member) else 0
    cum = np.full((n, k), -1, dtype=np.int64)
    cum[s.member, s.date] = s.growth
    penalty = np.zeros(n, dtype=np.int64)
    tier = np.zeros((n, k), dtype=np.int8)
    grow = np.zeros((n, k), dtype=np.int64)
    for j, day in enumerate(s.dates):
        eff = cum[:, j] - penalty
        t = (np.searchsorted(THRESHOLDS, eff, side="right") - 1).clip(0)
        if day.month == 12 and j >= 4:
            year = cum[:, j] - cum[:, j - 4]
            due = (cum[:, j - 4] >= 0) & (t > 0) & (year < THRESHOLDS[t] * KEEP_SHARE)
            lower = np.where(due, t - 1, t)
            penalty += np.where(due, eff - THRESHOLDS[lower], 0)
            eff = np.where(due, THRESHOLDS[lower], eff)
            t = lower
        tier[:, j], grow[:, j] = t, eff
    return Snapshots(s.dates, s.member, s.date, tier[s.member, s.date], s.points, grow[s.member, s.date])


def _poisson_times(rng: np.random.Generator, joined: np.ndarray, rate: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(member, time) of events at `rate` per day, uniform between joining and the end."""
    span = (END_S - joined) / DAY
    count = rng.poisson(np.clip(rate * span, 0, None))
    member = np.repeat(np.arange(len(joined)), count)
    at = joined[member] + (rng.uniform(size=len(member)) * (END_S - joined[member])).astype(np.int64)
    return member, at


def _year_ends(joined: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ends = [seconds(dt.datetime(y, 12, 31, 23, 59, 59)) for y in range(2023, END.year + 1)]
    ends = [e for e in ends if e <= END_S]
    member = np.repeat(np.arange(len(joined)), len(ends))
    at = np.tile(np.array(ends, dtype=np.int64), len(joined))
    keep = at > joined[member]
    return member[keep], at[keep]


def _keys(member: np.ndarray, at: np.ndarray) -> np.ndarray:
    return (member.astype(np.int64) << 32) | at.astype(np.int64)


def points_ledger(m: Members, o: Orders, rng: np.random.Generator) -> Ledger:
    valid = o.valid & (o.paid_at >= 0)
    net = (o.paid - o.refunded)[valid]
    om, oat = o.member[valid], o.paid_at[valid]
    engaged = rng.beta(0.6, 3.0, size=m.n)
    buy = net >= 100
    review = rng.uniform(size=len(om)) < 0.2
    rat = oat + rng.integers(3 * DAY, 10 * DAY, size=len(om))
    review &= rat <= END_S
    cm, cat = _poisson_times(rng, m.joined, engaged * 0.08)
    sm, sat = _poisson_times(rng, m.joined, engaged * 0.02)
    earn_m = np.concatenate([om[buy], om[review], cm, sm])
    earn_t = np.concatenate([oat[buy] + 60, rat[review], cat, sat])
    earn_d = np.concatenate([net[buy] // 100, np.full(review.sum(), 10), np.full(len(cm), 5), np.full(len(sm), 20)])
    earn_k = np.concatenate([np.full(buy.sum(), 0), np.full(review.sum(), 3), np.full(len(cm), 1), np.full(len(sm), 2)])
    order = np.argsort(_keys(earn_m, earn_t), kind="stable")
    earn_m, earn_t, earn_d, earn_k = earn_m[order], earn_t[order], earn_d[order], earn_k[order]
    ekey = _keys(earn_m, earn_t)
    ecum = np.cumsum(earn_d)

    def earned(member: np.ndarray, at: np.ndarray) -> np.ndarray:
        """Points earned by `member` up to and including second `at`."""
        hi = np.searchsorted(ekey, _keys(member, at), side="right")
        lo = np.searchsorted(ekey, _keys(member, np.zeros_like(at)), side="left")
        return np.where(hi > 0, ecum[np.maximum(hi - 1, 0)], 0) - np.where(lo > 0, ecum[np.maximum(lo - 1, 0)], 0)

    # Decisions: redemptions (at checkout on some orders; gifts in between) and the yearly clearance.
    taste = np.where(rng.uniform(size=m.n) < 0.35, rng.uniform(0.3, 0.9, size=m.n), 0.0)
    at_checkout = rng.uniform(size=len(om)) < taste[om] * 0.5
    gm, gat = _poisson_times(rng, m.joined, taste / 120)
    ym, yat = _year_ends(m.joined)
    dm = np.concatenate([om[at_checkout], gm, ym])
    dat = np.concatenate([oat[at_checkout] - 30, gat, yat])
    dk = np.concatenate([np.full(at_checkout.sum() + len(gm), 4), np.full(len(ym), 5)])
    order = np.argsort(_keys(dm, dat), kind="stable")
    dm, dat, dk = dm[order], dat[order], dk[order]
    share = rng.uniform(0.5, 1.0, size=len(dm))
    years = (dat.astype("datetime64[s]").astype("datetime64[Y]").astype("datetime64[s]").astype(np.int64))
    rank = np.arange(len(dm)) - np.searchsorted(dm, dm, side="left")     # decision index within the member
    spent = np.zeros(m.n, dtype=np.int64)
    amount = np.zeros(len(dm), dtype=np.int64)
    for r in range(int(rank.max()) + 1 if len(rank) else 0):
        idx = np.nonzero(rank == r)[0]
        mem = dm[idx]
        bal = earned(mem, dat[idx]) - spent[mem]
        redeem = np.where(bal >= 100, (bal * share[idx]) // 100 * 100, 0)
        this_year = earned(mem, dat[idx]) - earned(mem, years[idx] - 1)
        expire = np.maximum(bal - this_year, 0)
        amount[idx] = np.where(dk[idx] == 4, redeem, expire)
        spent[mem] += amount[idx]
    keep = amount > 0
    member = np.concatenate([earn_m, dm[keep]])
    at = np.concatenate([earn_t, dat[keep]])
    delta = np.concatenate([earn_d, -amount[keep]])
    kind = np.concatenate([earn_k, dk[keep]]).astype(np.int8)
    order = np.lexsort((np.arange(len(member)), at, member))
    member, at, delta, kind = member[order], at[order], delta[order], kind[order]
    total = np.cumsum(delta)
    first = np.searchsorted(member, member, side="left")
    balance = total - np.where(first > 0, total[np.maximum(first - 1, 0)], 0)
    return Ledger(member, at, delta, kind, balance)


def snapshot_points(s: Snapshots, ledger: Ledger) -> Snapshots:
    """Snapshot points = the ledger balance at the end of each snapshot date."""
    bounds = np.array([seconds(d) + DAY - 1 for d in s.dates], dtype=np.int64)[s.date]
    keys = _keys(ledger.member, ledger.at)
    hi = np.searchsorted(keys, _keys(s.member, bounds), side="right")
    prev_member = np.where(hi > 0, ledger.member[np.maximum(hi - 1, 0)], -1)
    points = np.where((hi > 0) & (prev_member == s.member), ledger.balance[np.maximum(hi - 1, 0)], 0)
    return Snapshots(s.dates, s.member, s.date, s.tier, points.astype(np.int64), s.growth)


def paid_vip(m: Members, o: Orders, rng: np.random.Generator) -> Paid:
    valid = o.valid & (o.paid_at >= 0)
    keys = np.sort(_keys(o.member[valid], o.paid_at[valid]))
    om, oat = keys >> 32, keys & 0xFFFFFFFF
    nth = np.arange(len(om)) - np.searchsorted(om, om, side="left")
    third = nth == 2
    buys = rng.uniform(size=third.sum()) < 0.18
    member, start = om[third][buys], oat[third][buys] + 60
    members, starts, ends = [member], [start], [start + VIP_DAYS * DAY - 1]
    while len(member):
        end = start + VIP_DAYS * DAY - 1
        lo = np.searchsorted(keys, _keys(member, start), side="left")
        hi = np.searchsorted(keys, _keys(member, end), side="right")
        active = (hi - lo) >= 2
        renew = rng.uniform(size=len(member)) < np.where(active, 0.7, 0.25)
        nxt = end - rng.integers(0, 20 * DAY, size=len(member))
        keep = renew & (nxt <= END_S)
        member, start = member[keep], nxt[keep]
        members.append(member)
        starts.append(start)
        ends.append(start + VIP_DAYS * DAY - 1)
    return Paid(np.concatenate(members), np.concatenate(starts), np.concatenate(ends))


def ledger_table(lg: Ledger) -> pa.Table:
    at = pa.array(lg.at.astype("datetime64[s]").astype("datetime64[us]"))
    return pa.table({"member_id": pa.array(lg.member + 1), "occurred_at": at, "delta": pa.array(lg.delta),
                     "kind": pa.array(np.array(KINDS, dtype=object)[lg.kind].tolist(), pa.string()),
                     "balance_after": pa.array(lg.balance)})


def paid_table(p: Paid) -> pa.Table:
    return pa.table({"member_id": pa.array(p.member + 1),
                     "started_at": pa.array(p.start.astype("datetime64[s]").astype("datetime64[us]")),
                     "expires_at": pa.array(p.end.astype("datetime64[s]").astype("datetime64[us]")),
                     "fee_cents": pa.array(np.full(len(p.member), VIP_FEE, dtype=np.int64)),
                     "plan": pa.array([VIP_PLAN] * len(p.member), pa.string())})


def threshold_table() -> pa.Table:
    return pa.table({"tier": [t[0] for t in TIERS], "growth_threshold": pa.array(THRESHOLDS)})


@dataclass
class Programme:
    snapshots: Snapshots
    ledger: Ledger | None
    paid: Paid


def programme(m: Members, o: Orders, s: Snapshots, rng: np.random.Generator, *, with_ledger: bool) -> Programme:
    """The snapshots under the yearly review with ledger points, the ledger (when written) and the VIP terms."""
    s = with_downgrades(s)
    ledger = points_ledger(m, o, rng) if with_ledger else None
    if ledger is not None:
        s = snapshot_points(s, ledger)
    return Programme(s, ledger, paid_vip(m, o, rng))


def write(con: duckdb.DuckDBPyConnection, p: Programme, batch_id: int) -> dict[str, int]:
    """Insert the ledger and the VIP terms, and state the tier thresholds (inside the demo's transaction)."""
    tables = {"points_ledger": ledger_table(p.ledger) if p.ledger is not None else None,
              "paid_memberships": paid_table(p.paid)}
    rows = {}
    for name, table in tables.items():
        if table is None:
            rows[name] = 0
            continue
        con.register(f"demo_{name}", table)
        execute(con, f"demo_write_{name}", {"batch_id": batch_id})
        con.unregister(f"demo_{name}")
        rows[name] = table.num_rows
    con.register("demo_tier_thresholds", threshold_table())
    execute(con, "demo_write_tier_thresholds", {"batch_id": batch_id})
    con.unregister("demo_tier_thresholds")
    return rows
