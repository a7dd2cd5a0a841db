"""Tier economics on a hand-built ladder: cohorts by first tier, Kaplan–Meier time to upgrade (checked against a
hand calculation), spend around upgrades, downgrade paths, members close to the next tier, paid memberships."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.metrics.paid_members import paid_expiry_paths, paid_summary, paid_vs_members
from siyu.metrics.tier_cohorts import tier_cohorts
from siyu.metrics.tier_paths import downgrade_paths, near_next_tier
from siyu.metrics.tier_upgrades import upgrade_spend, upgrade_survival

D, T = dt.date, dt.datetime
Q1, Q2, Q3, Q4, Q5 = D(2024, 3, 31), D(2024, 6, 30), D(2024, 9, 30), D(2024, 12, 31), D(2025, 3, 31)
TIERS = pl.LazyFrame({"tier": ["普通", "银卡", "金卡", "黑金"], "rank": [1, 2, 3, 4],
                      "growth_threshold": [0, 500, 2000, None]}, schema_overrides={"growth_threshold": pl.Int64})
_S = [  # member, date, tier, growth value
    (1, Q1, "普通", 100), (1, Q2, "银卡", 600), (1, Q3, "银卡", 700), (1, Q4, "金卡", 2100), (1, Q5, "金卡", 2200),
    (2, Q1, "普通", 0), (2, Q2, "普通", 50), (2, Q3, "普通", 450), (2, Q4, "普通", 460),
    (3, Q1, "银卡", 520), (3, Q2, "银卡", 530), (3, Q3, "普通", 0), (3, Q4, "银卡", 510),
    (4, Q2, "金卡", 2000), (4, Q4, "银卡", 1900),
    (5, Q1, "黑金", 7000),
    (6, Q3, "普通", 100),
]
SNAPS = pl.LazyFrame({"member_id": [r[0] for r in _S], "snapshot_date": [r[1] for r in _S],
                      "tier": [r[2] for r in _S], "growth_value": [r[3] for r in _S]})
ORDERS = pl.LazyFrame({"member_id": [1, 1, 1, 1, 3],
                       "paid_at": [T(2024, 5, 1), T(2024, 7, 15), T(2024, 12, 1), T(2025, 1, 10), T(2024, 12, 20)],
                       "net_cents": [50000, 10000, 140000, 5000, 51000]})
AS_OF = D(2025, 12, 31)


def test_cohorts_by_first_tier() -> None:
    got = tier_cohorts(SNAPS, TIERS, ORDERS, as_of=D(2024, 12, 31), length=90, periods=2)
    assert got.rows() == [
        ("普通", 1, 0, 3, 1, pytest.approx(1 / 3), pytest.approx(500 / 3)),   # members 1, 2, 6; 1 bought ¥500
        ("普通", 1, 1, 2, 1, 0.5, 300.0),      # member 6's second period ends after as of: not counted
        ("银卡", 2, 0, 1, 0, 0.0, 0.0), ("银卡", 2, 1, 1, 0, 0.0, 0.0),
        ("金卡", 3, 0, 1, 0, 0.0, 0.0), ("金卡", 3, 1, 1, 0, 0.0, 0.0),
        ("黑金", 4, 0, 1, 0, 0.0, 0.0), ("黑金", 4, 1, 1, 0, 0.0, 0.0),
    ]


def test_time_to_first_upgrade_kaplan_meier_by_hand() -> None:
    # 普通: member 6 censored at 0 days, member 1 up after 91, member 3 (entered 普通 on its downgrade) up after 92,
    # member 2 censored at 275. S(91) = 1 - 1/3; S(92) = 2/3 x (1 - 1/2) = 1/3.
    # 银卡: member 4 censored at 0, member 1 up after 184 (S = 1/2), member 3 censored at 275 (its 银卡 -> 普通 ->
    # 银卡 never shows a higher rank). 金卡: members 1 and 4 censored at 90 and 184 days. 黑金 is the top: no step.
    got = upgrade_survival(SNAPS, TIERS)
    assert got.select("tier", "days", "at_risk", "upgraded", "censored").rows() == [
        ("普通", 0, 4, 0, 1), ("普通", 91, 3, 1, 0), ("普通", 92, 2, 1, 0), ("普通", 275, 1, 0, 1),
        ("银卡", 0, 3, 0, 1), ("银卡", 184, 2, 1, 0), ("银卡", 275, 1, 0, 1),
        ("金卡", 90, 2, 0, 1), ("金卡", 184, 1, 0, 1),
    ]
    assert got["not_upgraded"].to_list() == pytest.approx([1, 2 / 3, 1 / 3, 1 / 3, 1, 0.5, 0.5, 1, 1])


def test_spend_ninety_days_before_and_after_an_upgrade() -> None:
    # 普通->银卡: member 1 on 06-30 (¥500 before, ¥100 after), member 3 on 12-31 (¥510 before, nothing after).
    # 银卡->金卡: member 1 on 12-31 (¥1,400 on 12-01 before, ¥50 on 2025-01-10 after).
    assert upgrade_spend(SNAPS, TIERS, ORDERS, as_of=AS_OF).rows() == [
        ("普通", "银卡", 2, 505.0, 50.0, -455.0, 0.5),
        ("银卡", "金卡", 1, 1400.0, 50.0, -1350.0, 1.0),
    ]
    # an upgrade whose 90 days after are not all in the data is left out
    assert upgrade_spend(SNAPS, TIERS, ORDERS, as_of=D(2025, 3, 30))["upgrades"].to_list() == [1]


def test_downgrade_paths() -> None:
    assert downgrade_paths(SNAPS, TIERS, ORDERS, as_of=AS_OF).rows() == [
        ("金卡", "银卡", 1, 0, 1, 0, 0.0),     # member 4 stays 银卡, no order after
        ("银卡", "普通", 1, 1, 0, 0, 1.0),     # member 3 is 银卡 again at its latest snapshot, bought on 12-20
    ]


def test_members_close_to_the_next_tier() -> None:
    assert near_next_tier(SNAPS, TIERS).rows() == [
        (2, "普通", 460, "银卡", 500, 40, 0.08, "stated"),
        (4, "银卡", 1900, "金卡", 2000, 100, 0.05, "stated"),
    ]
    wide = near_next_tier(SNAPS, TIERS, within=0.7)
    # 黑金 states no threshold: the lowest growth value seen in it (member 5's 7000) is used, and said so.
    assert (1, "金卡", 2200, "黑金", 7000, 4800, pytest.approx(4800 / 7000), "inferred") in wide.rows()
    assert near_next_tier(SNAPS, TIERS, as_of=Q2).rows() == []   # on 06-30 member 2 had 50, member 4 was 金卡


PAID = pl.LazyFrame({
    "member_id": [1, 1, 2, 3],
    "started_at": [T(2024, 1, 1), T(2025, 1, 5), T(2024, 3, 1), T(2025, 6, 1)],
    "expires_at": [T(2024, 12, 31, 23, 59, 59), T(2026, 1, 4), T(2025, 2, 28), T(2026, 5, 31)],
    "fee_cents": [19900, 19900, 19900, 9900], "plan": ["黑金VIP", "黑金VIP", "黑金VIP", "银VIP"]})


def test_paid_fee_and_renewal() -> None:
    # member 1 renewed within the 30-day grace; member 2's term ended unrenewed; the two 2025 terms are running.
    assert paid_summary(PAID, as_of=AS_OF).rows() == [
        ("银VIP", 1, 1, 99.0, 0, 0, None),
        ("黑金VIP", 2, 3, 597.0, 2, 1, 0.5),
        ("全部", 3, 4, 696.0, 2, 1, 0.5),
    ]


def test_paid_members_against_matched_non_members() -> None:
    members = pl.LazyFrame({"member_id": [1, 2, 3, 4, 5, 6], "joined_at": [T(2023, 1, 1)] * 6})
    per = paid_vs_members(PAID, members, ORDERS, SNAPS, as_of=AS_OF, window=90)
    # Weeks by their Monday. Member 1 (2024-01-01: no snapshot yet, no orders) is compared with 3, 4, 5, 6 (member 2
    # pays within the 90 days, so it is no comparison); member 2 (paid 03-01, week of 02-26) with 3, 4, 5, 6 too
    # (member 1 already pays). Member 3 (week of 2025-05-26: 银卡, one ¥510 order 157 days before) has nobody
    # alike: unmatched.
    assert per.select("member_id", "day", "tier", "recency", "value", "matched", "controls", "gmv_after").rows() == [
        (1, D(2024, 1, 1), "未定级", "none", "0", True, 4, 0.0), (2, D(2024, 2, 26), "未定级", "none", "0", True, 4, 0.0),
        (3, D(2025, 5, 26), "银卡", "91-180", "500-1000", False, 0, 0.0)]


def test_paid_expiry_paths() -> None:
    # member 1's first term renewed; member 2's lapsed 2025-02-28 and bought nothing after; then one more order
    # for member 2 on 2025-04-01 (inside the 90 days) makes it a lapsed member still buying.
    assert paid_expiry_paths(PAID, ORDERS, as_of=AS_OF).rows() == [
        ("黑金VIP", 2, 1, 1, 0, 0.0), ("全部", 2, 1, 1, 0, 0.0)]
    more = pl.concat([ORDERS, pl.LazyFrame({"member_id": [2], "paid_at": [T(2025, 4, 1)], "net_cents": [100]})])
    assert paid_expiry_paths(PAID, more, as_of=AS_OF).rows() == [
        ("黑金VIP", 2, 1, 1, 1, 1.0), ("全部", 2, 1, 1, 1, 1.0)]
    # before the 90 days after the expiry are over, the lapsed term is not judged yet
    assert paid_expiry_paths(PAID, more, as_of=D(2025, 4, 30)).rows()[-1] == ("全部", 2, 1, 1, 0, None)
