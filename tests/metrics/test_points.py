"""Points metrics on a hand-built ledger: flow per period and kind, balances, liability, breakage, and the
redeemers-vs-matched-non-redeemers comparison, cross-checked against a plain pandas brute force."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd
import polars as pl
import pytest

from siyu.metrics.points import liability_cents, points_balances, points_flow, points_summary
from siyu.metrics.redeemer_uplift import redeemer_uplift, uplift_summary

T, D = dt.datetime, dt.date
LEDGER = pl.LazyFrame({
    "member_id": [1, 1, 1, 2, 2, 3, 3, 3],
    "occurred_at": [T(2024, 1, 1, 10), T(2024, 1, 5), T(2024, 2, 1), T(2024, 1, 3), T(2024, 12, 31),
                    T(2024, 2, 2), T(2024, 2, 9), T(2024, 2, 9)],
    "delta": [120, -100, 5, 10, -10, 40, -3, 8],
    "kind": ["purchase", "redeem", "checkin", "share", "expire", "purchase", "adjust", "review"],
    "balance_after": [120, 20, 25, None, None, 40, 37, 45],
})


def test_flow_per_month_and_kind() -> None:
    assert points_flow(LEDGER).rows() == [
        (D(2024, 1, 1), "purchase", 120, 0, 0, 0, 1, 1),
        (D(2024, 1, 1), "redeem", 0, 100, 0, 0, 1, 1),
        (D(2024, 1, 1), "share", 10, 0, 0, 0, 1, 1),
        (D(2024, 2, 1), "adjust", 0, 0, 0, 3, 1, 1),
        (D(2024, 2, 1), "checkin", 5, 0, 0, 0, 1, 1),
        (D(2024, 2, 1), "purchase", 40, 0, 0, 0, 1, 1),
        (D(2024, 2, 1), "review", 8, 0, 0, 0, 1, 1),
        (D(2024, 12, 1), "expire", 0, 0, 10, 0, 1, 1),
    ]
    weeks = points_flow(LEDGER, grain="week", start=D(2024, 2, 1), end=D(2024, 2, 9))
    assert weeks.select("period", "kind", "issued", "deducted").rows() == [
        (D(2024, 1, 29), "checkin", 5, 0), (D(2024, 1, 29), "purchase", 40, 0),
        (D(2024, 2, 5), "adjust", 0, 3), (D(2024, 2, 5), "review", 8, 0)]


def test_balances_use_the_exported_balance_then_the_running_sum() -> None:
    bal = points_balances(LEDGER)
    # member 3's last instant has two changes (-3 -> 37, +8 -> 45): the lower balance is taken, whatever the order.
    assert bal.select("member_id", "balance", "outstanding", "issued", "redeemed", "expired").rows() == [
        (3, 37, 37, 48, 0, 0), (1, 25, 25, 125, 100, 0), (2, 0, 0, 10, 0, 10)]
    assert points_balances(LEDGER, as_of=D(2024, 1, 31)).select("member_id", "balance").rows() == [(1, 20), (2, 10)]


def test_summary_liability_and_breakage() -> None:
    s = points_summary(LEDGER, yuan_per_point="0.015").row(0, named=True)
    assert s == {"members": 2, "issued": 183, "redeemed": 100, "expired": 10, "outstanding": 62,
                 "yuan_per_point": 0.015, "liability": 0.93, "breakage_rate": pytest.approx(10 / 110)}
    assert liability_cents(25, "0.015") == 38          # 37.5 cents rounds half up
    assert liability_cents(3, "0.005") == 2            # 1.5 -> 2, exact decimal (binary 0.005 would give 1)
    early = points_summary(LEDGER, as_of=D(2024, 1, 2)).row(0, named=True)
    assert (early["outstanding"], early["breakage_rate"]) == (120, None)


# --- redeemers vs matched non-redeemers -------------------------------------------------------------------

AS_OF = D(2024, 12, 31)
MEMBERS = pl.LazyFrame({"member_id": [1, 2, 3, 4, 5, 6, 7],
                        "joined_at": [T(2023, 1, 1), T(2023, 1, 1), T(2023, 1, 1), T(2024, 5, 1), T(2024, 5, 15),
                                      T(2024, 2, 1), T(2023, 6, 1)]})
ORDERS = pl.LazyFrame({
    "member_id": [1, 1, 2, 3, 3, 4, 4, 5],
    "paid_at": [T(2023, 12, 15), T(2024, 3, 10), T(2023, 12, 20), T(2024, 1, 10), T(2024, 4, 1), T(2024, 6, 1, 12),
                T(2024, 6, 20), T(2024, 7, 1)],
    "net_cents": [10000, 5000, 12000, 15000, 8000, 20000, 6000, 3000]})
SNAPS = pl.LazyFrame({"member_id": [7], "snapshot_date": [D(2024, 1, 1)], "tier": ["金卡"]})
REDEEMS = pl.LazyFrame({"member_id": [1, 4, 7, 6, 1], "occurred_at": [T(2024, 3, 1, 9), T(2024, 6, 1, 12),
                                                                    T(2024, 4, 15), T(2024, 11, 15), T(2024, 5, 1)],
                        "delta": [-50, -100, -20, -30, -10], "kind": ["redeem"] * 5})


def test_matched_comparison_literal() -> None:
    per = redeemer_uplift(REDEEMS, MEMBERS, ORDERS, SNAPS, as_of=AS_OF)
    assert per.select("member_id", "day", "tier", "recency", "frequency", "value", "gmv_after", "matched",
                      "controls", "control_repurchase", "control_gmv_after").rows() == [
        # member 1 (redeemed Friday 2024-03-01: the week of Monday 02-26) vs members 2 and 3 (both 31-90 days
        # since their one order of under ¥200 on that Monday); 3 bought again within 03-04 .. 06-01.
        (1, D(2024, 2, 26), "未定级", "31-90", "1", "<200", 50.0, True, 2, 0.5, 40.0),
        # member 7 (金卡, no orders) has nobody comparable on 2024-04-15: unmatched, left out.
        (7, D(2024, 4, 15), "金卡", "none", "0", "0", 0.0, False, 0, None, None),
        # member 4's order on the redemption day (in the redemption week) counts on neither side; controls 5 and
        # 6 (6 redeems only on 11-15, after Sunday 06-02 + 90 days).
        (4, D(2024, 5, 27), "未定级", "none", "0", "0", 60.0, True, 2, 0.5, 15.0),
    ]
    s = uplift_summary(per).row(0, named=True)
    assert s == {"redeemers": 3, "matched": 2, "unmatched": 1, "control_units": 4, "window_days": 90,
                 "redeemer_repurchase": 1.0, "control_repurchase": 0.5, "repurchase_uplift": 0.5,
                 "redeemer_gmv": 55.0, "control_gmv": 27.5, "gmv_uplift": 27.5}


def _pandas_uplift(window: int = 90, frames: tuple | None = None, as_of: dt.date = AS_OF) -> dict[str, float]:
    """The same comparison by brute force: every unit's features recomputed from the raw order rows, weeks from
    Python's own weekday()."""
    m_, o_, s_, r_ = frames or (MEMBERS, ORDERS, SNAPS, REDEEMS)
    members, orders = m_.collect().to_pandas(), o_.collect().to_pandas()
    snaps, reds = s_.collect().to_pandas(), r_.collect().to_pandas()
    orders["day"] = orders["paid_at"].dt.date
    snaps["snapshot_date"] = pd.to_datetime(snaps["snapshot_date"]).dt.date
    first = reds.groupby("member_id")["occurred_at"].min().dt.date.to_dict()
    monday = {m: d - dt.timedelta(days=d.weekday()) for m, d in first.items()}

    def feats(m: int, d: dt.date) -> tuple[tuple[str, str, str, str], int, int]:
        o = orders[orders.member_id == m]
        before = o[(o.day < d) & (o.day >= d - dt.timedelta(days=365))]
        prior = o[o.day < d]
        after = o[(o.day > d + dt.timedelta(days=6)) & (o.day <= d + dt.timedelta(days=6 + window))]
        s = snaps[(snaps.member_id == m) & (snaps.snapshot_date <= d)].sort_values("snapshot_date")
        tier = s.tier.iloc[-1] if len(s) else "未定级"
        gap = (d - prior.day.max()).days if len(prior) else None
        rec = "none" if gap is None else next((lab for e, lab in [(30, "1-30"), (90, "31-90"), (180, "91-180"),
                                                                   (365, "181-365")] if gap <= e), "365+")
        n, v = len(before), int(before.net_cents.sum())
        freq = next((lab for e, lab in [(0, "0"), (1, "1"), (2, "2"), (5, "3-5")] if n <= e), "6+")
        val = next((lab for e, lab in [(0, "0"), (19999, "<200"), (49999, "200-500"), (99999, "500-1000"),
                                       (299999, "1000-3000")] if v <= e), "3000+")
        return (tier, rec, freq, val), len(after), int(after.net_cents.sum())

    pairs = []
    for m, d in monday.items():
        if d + dt.timedelta(days=6 + window) > as_of:
            continue
        key, n, g = feats(m, d)
        pool = [feats(c, d) for c, j in zip(members.member_id, members.joined_at, strict=True)
                if j.date() <= d and (c not in first or first[c] > d + dt.timedelta(days=6 + window))]
        same = [(cn > 0, cg) for ck, cn, cg in pool if ck == key]
        if same:
            pairs.append((n > 0, g, sum(r for r, _ in same) / len(same), sum(x for _, x in same) / len(same)))
    frame = pd.DataFrame(pairs, columns=["r", "g", "cr", "cg"])
    return {"matched": len(frame), "redeemer_repurchase": frame.r.mean(), "control_repurchase": frame.cr.mean(),
            "redeemer_gmv": frame.g.mean() / 100, "control_gmv": frame.cg.mean() / 100}


@pytest.mark.parametrize("window", [30, 90, 120])
def test_matched_comparison_agrees_with_pandas_brute_force(window: int) -> None:
    s = uplift_summary(redeemer_uplift(REDEEMS, MEMBERS, ORDERS, SNAPS, as_of=AS_OF, window=window),
                       window=window).row(0, named=True)
    expected = _pandas_uplift(window)
    assert {k: s[k] for k in expected} == pytest.approx(expected, nan_ok=True)


def _random_brand(seed: int) -> tuple[pl.LazyFrame, ...]:
    """40 members, ~150 orders, quarterly snapshots of three tiers and ~25 first redemptions over 2024."""
    rng = random.Random(seed)
    start = T(2023, 1, 1)
    joined = [start + dt.timedelta(days=rng.randrange(0, 500)) for _ in range(40)]
    members = pl.LazyFrame({"member_id": list(range(1, 41)), "joined_at": joined})
    o = [(m, joined[m - 1] + dt.timedelta(days=rng.randrange(0, 700), hours=rng.randrange(24)), rng.choice(
        [0, 5000, 15000, 30000, 80000, 250000])) for m in rng.choices(range(1, 41), k=150)]
    orders = pl.LazyFrame({"member_id": [r[0] for r in o], "paid_at": [r[1] for r in o], "net_cents": [r[2] for r in o]})
    quarters = [D(2023, 6, 30), D(2023, 12, 31), D(2024, 6, 30), D(2024, 12, 31)]
    snaps = [(m, q, rng.choice(["普通", "银卡", "金卡"])) for m in range(1, 41) for q in quarters if rng.random() < 0.6]
    snapshots = pl.LazyFrame({"member_id": [r[0] for r in snaps], "snapshot_date": [r[1] for r in snaps],
                              "tier": [r[2] for r in snaps]})
    r = [(m, T(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 300), hours=rng.randrange(24))) for m in
         rng.sample(range(1, 41), 25)]
    r += [(m, t + dt.timedelta(days=rng.randrange(1, 60))) for m, t in r[:8]]   # later redemptions add no unit
    redeems = pl.LazyFrame({"member_id": [x[0] for x in r], "occurred_at": [x[1] for x in r],
                            "delta": [-100] * len(r), "kind": ["redeem"] * len(r)})
    return members, orders, snapshots, redeems


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_brands_agree_with_pandas_brute_force(seed: int) -> None:
    members, orders, snapshots, redeems = _random_brand(seed)
    as_of = D(2025, 3, 31)
    s = uplift_summary(redeemer_uplift(redeems, members, orders, snapshots, as_of=as_of)).row(0, named=True)
    expected = _pandas_uplift(90, (members, orders, snapshots, redeems), as_of)
    assert s["matched"] > 0
    assert {k: s[k] for k in expected} == pytest.approx(expected, nan_ok=True)


def test_a_large_pool_is_a_fixed_sample_of_members() -> None:
    # 7 members x 3 index weeks = 21 units > 10: members whose id x 2654435761 mod 2**32 falls under 10/21 of
    # 2**32 stay in the pool, here 2, 4, 5 and 7 (4 and 7 redeem themselves): member 1 is compared with member 2
    # alone (no order after: ¥0), member 4 with member 5 alone (¥30).
    per = redeemer_uplift(REDEEMS, MEMBERS, ORDERS, SNAPS, as_of=AS_OF, max_units=10)
    assert per.select("member_id", "matched", "controls", "control_gmv_after").rows() == [
        (1, True, 1, 0.0), (7, False, 0, None), (4, True, 1, 30.0)]
    assert per.equals(redeemer_uplift(REDEEMS, MEMBERS, ORDERS, SNAPS, as_of=AS_OF, max_units=10))
