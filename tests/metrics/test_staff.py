"""The 导购 scorecard (siyu.metrics.staff) on a hand-checked fixture; as of 2024-03-31 (end of day = 2024-04-01 00:00)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.metrics.staff import staff_scorecard

D, T = dt.date, dt.datetime
FRIEND_SCHEMA = {"member_id": pl.Int64, "staff_id": pl.String, "added_at": pl.Datetime("us"),
                 "deleted_at": pl.Datetime("us"), "deleted_by": pl.String}
FRIENDS = pl.LazyFrame([
    (1, "A", T(2024, 1, 1, 10), T(2024, 1, 1, 20), "customer"),  # 10 hours
    (2, "A", T(2023, 12, 25, 9), T(2023, 12, 28, 9), "staff"),   # 3 days
    (3, "A", T(2023, 12, 20), T(2024, 1, 6), "customer"),        # 17 days: credited
    (4, "A", T(2024, 3, 28, 10), None, None),                    # 3.6 days old: judged for 1 day only, not credited yet
    (5, "A", T(2024, 2, 1), T(2024, 2, 3), None),                # 2 days, side unknown
    (8, "A", T(2024, 3, 1), T(2024, 4, 10), "staff"),            # deleted after the as-of day: open, credited
    (1, "B", T(2024, 1, 10), None, None),                        # credited
    (6, "B", T(2024, 2, 1), T(2024, 2, 5), "customer"),          # 4 days ...
    (6, "B", T(2024, 2, 10), None, None),                        # ... re-added: one friend, active, not credited
    (7, "B", T(2024, 4, 5), None, None),                         # after the as-of day: left out
], schema=FRIEND_SCHEMA, orient="row")
STAFF = pl.LazyFrame({"staff_id": ["A", "B", "C"], "name": ["小美", "老王", "没加人"]})
ORDERS = pl.LazyFrame([
    (1, T(2024, 1, 1, 12), 10000),   # after A's add, before B's
    (1, T(2024, 1, 15), 5000),       # after both
    (1, T(2024, 5, 1), 99900),       # after the as-of day
    (3, T(2023, 12, 15), 3000),      # before A's add: not A's
    (3, T(2024, 2, 15), 8000),       # 57 days after the add: within 90, not 30
    (6, T(2024, 2, 20, 10), 2000),
    (6, T(2024, 2, 20, 15), 1000),   # same day: one purchase day
    (8, T(2024, 3, 2), 6000),
    (8, T(2024, 3, 10), 4000),
], schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}, orient="row")


def test_staff_scorecard_literal() -> None:
    got = staff_scorecard(FRIENDS, STAFF, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31))
    rows = got.to_dicts()
    assert [(r["rank"], r["staff_id"], r["staff_name"]) for r in rows] == [(1, "A", "小美"), (2, "B", "老王")]
    a, b = rows
    assert (a["friends"], a["active"], a["buyers"], a["credited_friends"]) == (6, 2, 3, 2)
    assert (b["friends"], b["active"], b["buyers"], b["credited_friends"]) == (2, 2, 2, 1)
    expected_a = {"deleted_1d": 1 / 6, "deleted_1d_customer": 1 / 6, "deleted_1d_staff": 0.0,
                  "deleted_7d": 3 / 5, "deleted_7d_customer": 1 / 5, "deleted_7d_staff": 1 / 5,
                  "deleted_30d": 4 / 5, "deleted_30d_customer": 2 / 5, "deleted_30d_staff": 1 / 5,
                  "buyer_30d": 2 / 5, "buyer_90d": 2 / 3, "gmv": 330.0, "gmv_per_friend": 55.0,
                  "repeat_rate": 2 / 3, "credited_gmv": 180.0}
    expected_b = {"deleted_1d": 0.0, "deleted_1d_customer": 0.0, "deleted_1d_staff": 0.0,
                  "deleted_7d": 0.5, "deleted_7d_customer": 0.5, "deleted_7d_staff": 0.0,
                  "deleted_30d": 0.5, "deleted_30d_customer": 0.5, "deleted_30d_staff": 0.0,
                  "buyer_30d": 1.0, "buyer_90d": None, "gmv": 80.0, "gmv_per_friend": 40.0,
                  "repeat_rate": 0.0, "credited_gmv": 50.0}
    for row, expected in ((a, expected_a), (b, expected_b)):
        for key, value in expected.items():
            assert row[key] == (None if value is None else pytest.approx(value)), key


def test_staff_scorecard_range_and_empty() -> None:
    got = staff_scorecard(FRIENDS, STAFF, ORDERS, start=D(2024, 2, 1), end=D(2024, 3, 31), as_of=D(2024, 3, 31))
    assert dict(zip(got["staff_id"], got["friends"], strict=True)) == {"A": 3, "B": 1}
    # B's friend 6 added in range; its re-add is the same friend. A's friend 8 is its only credited one.
    assert dict(zip(got["staff_id"], got["credited_friends"], strict=True)) == {"A": 1, "B": 0}
    none = staff_scorecard(FRIENDS.clear(), STAFF, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31))
    assert none.height == 0 and none.columns[:3] == ["staff_id", "staff_name", "friends"]


def test_staff_groups_owned_literal() -> None:
    """groups_owned: by owner account = staff_id, else by the owner's name when one staff member has it."""
    groups = pl.LazyFrame([
        ("g1", "A", "小美", T(2024, 1, 1)),        # A by account
        ("g2", "A", None, None),                   # A by account, no creation time: counted
        ("g3", None, "老王", T(2024, 2, 1)),        # no account: B by name
        ("g4", "wx_laowang", "老王", T(2024, 2, 2)),  # account unknown to staff: B by name
        ("g5", "A", "小美", T(2024, 4, 1)),        # created after the as-of day: not yet
        ("g6", "Z", "陌生人", T(2024, 1, 1)),       # nobody's
        ("g7", "C", "没加人", T(2024, 1, 1)),       # C has no friends, so no row
    ], schema={"group_id": pl.String, "owner_id": pl.String, "owner_name": pl.String,
               "created_at": pl.Datetime("us")}, orient="row")
    got = staff_scorecard(FRIENDS, STAFF, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31), groups=groups)
    assert got.columns[-1] == "groups_owned"
    assert dict(zip(got["staff_id"], got["groups_owned"], strict=True)) == {"A": 2, "B": 2}
    # Two staff members named 老王: the name alone credits no one.
    twins = pl.LazyFrame({"staff_id": ["A", "B", "B2"], "name": ["小美", "老王", "老王"]})
    got = staff_scorecard(FRIENDS, twins, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31), groups=groups)
    assert dict(zip(got["staff_id"], got["groups_owned"], strict=True)) == {"A": 2, "B": 0}
    without = staff_scorecard(FRIENDS, STAFF, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31))
    assert without["groups_owned"].to_list() == [0, 0]
