"""Channel scorecard and friend survival (Kaplan–Meier) on hand-checked fixtures."""

from __future__ import annotations

import datetime as dt
import math
import random
from pathlib import Path

import polars as pl
import pytest

from siyu.metrics.channels import channel_scorecard
from siyu.metrics.friend_survival import friend_survival
from tests.metrics import analytics_db

D, T = dt.date, dt.datetime
FRIEND_SCHEMA = {"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us"),
                 "channel": pl.String, "add_way": pl.String}

SPELLS = pl.LazyFrame([
    (1, T(2024, 1, 1), T(2024, 1, 1, 12), "X", None),   # 0.5 days, deleted
    (2, T(2024, 1, 1), T(2024, 1, 4), "X", None),       # 3 days, deleted
    (3, T(2024, 1, 2), T(2024, 1, 12), "X", None),      # 10 days, deleted
    (4, T(2024, 1, 10), None, "X", None),               # open: censored at 82 days
    (5, T(2024, 1, 20), T(2024, 5, 1), "X", None),      # deleted after the as-of day: censored at 72 days
    (6, T(2024, 3, 25), None, None, None),              # censored at 7 days
    (7, T(2024, 3, 30), T(2024, 3, 30, 6), None, None), # 0.25 days, deleted
    (8, T(2024, 4, 2), None, "X", None),                # added after the as-of day: left out
], schema=FRIEND_SCHEMA, orient="row")


def test_friend_survival_literal_kaplan_meier() -> None:
    got = friend_survival(SPELLS, as_of=D(2024, 3, 31), horizons=(1, 7, 30, 90))
    assert got.columns == ["cohort", "channel", "friends", "days", "at_risk", "survival"]
    expected = [
        (D(2024, 1, 1), "X", 5, 1, 4, 0.8),          # 1 - 1/5
        (D(2024, 1, 1), "X", 5, 7, 3, 0.6),          # x (1 - 1/4)
        (D(2024, 1, 1), "X", 5, 30, 2, 0.4),         # x (1 - 1/3)
        (D(2024, 1, 1), "X", 5, 90, 0, None),        # nobody observed that long and the curve is not 0
        (D(2024, 3, 1), "未知", 2, 1, 1, 0.5),
        (D(2024, 3, 1), "未知", 2, 7, 1, 0.5),        # observed exactly 7 days: still at risk at 7
        (D(2024, 3, 1), "未知", 2, 30, 0, None),
        (D(2024, 3, 1), "未知", 2, 90, 0, None),
    ]
    for row, exp in zip(got.rows(), expected, strict=True):
        assert row[:5] == exp[:5]
        assert row[5] == (None if exp[5] is None else pytest.approx(exp[5]))


def test_friend_survival_reaches_zero_and_empty() -> None:
    one = SPELLS.filter(pl.col("member_id") == 2)
    assert friend_survival(one, as_of=D(2024, 3, 31), horizons=(1, 7))["survival"].to_list() == [1.0, 0.0]
    assert friend_survival(SPELLS, as_of=None).height == 0


def _plain_km(times: list[tuple[float, bool]], n_days: float) -> float | None:
    s = 1.0
    for t in sorted({t for t, e in times if e and t < n_days}):
        risk = sum(1 for u, _ in times if u >= t)
        d = sum(1 for u, e in times if e and u == t)
        s *= 1 - d / risk
    observed = sum(1 for u, _ in times if u >= n_days)
    return s if observed or s == 0 else None


def test_friend_survival_matches_plain_python() -> None:
    rng = random.Random(9)
    rows, hi = [], T(2024, 7, 1)
    for i in range(300):
        added = T(2024, 1, 1) + dt.timedelta(hours=rng.randint(0, 170 * 24))
        deleted = added + dt.timedelta(hours=rng.choice([1, 5, 30, 200, 2000, 9000])) if rng.random() < 0.6 else None
        rows.append((i, added, deleted, rng.choice(["A", "B"]), None))
    got = friend_survival(pl.LazyFrame(rows, schema=FRIEND_SCHEMA, orient="row"), as_of=D(2024, 6, 30),
                          horizons=(1, 7, 30, 90))
    for cohort, channel, _, days, _, survival in got.rows():
        times = []
        for _, added, deleted, ch, _ in rows:
            if ch == channel and added.date().replace(day=1) == cohort:
                end = deleted if deleted is not None and deleted < hi else hi
                times.append(((end - added).total_seconds() / 86400, end is deleted))
        want = _plain_km(times, days)
        assert (survival is None and want is None) or math.isclose(survival, want, rel_tol=1e-12)


MEMBERS = pl.LazyFrame(
    [(1, T(2024, 1, 1), "包裹卡"), (2, T(2024, 1, 5), "包裹卡"), (3, T(2024, 3, 1), "门店"), (4, T(2024, 3, 20), None)],
    schema={"member_id": pl.Int64, "joined_at": pl.Datetime("us"), "channel": pl.String}, orient="row")
FRIENDS = pl.LazyFrame(
    [(1, T(2024, 1, 1), None, "qr_a", "扫描二维码"),
     (2, T(2024, 1, 5), T(2024, 1, 5, 8), "qr_a", "扫描二维码"),    # gone within hours
     (2, T(2024, 2, 1), None, "qr_b", "搜索手机号"),                 # re-added later: not the first friendship
     (3, T(2024, 3, 1), T(2024, 3, 20), "qr_b", "搜索手机号")],      # 19 days
    schema=FRIEND_SCHEMA, orient="row")
ORDERS = pl.LazyFrame(
    [(1, T(2024, 1, 2), 990, 990, 1000, True),          # coupon-only first order
     (1, T(2024, 2, 20), 30000, 30000, 0, False),
     (2, T(2024, 1, 1), 5000, 5000, 0, False),          # before joining: ignored
     (3, T(2024, 3, 2), 0, 0, 0, False),                # free sample
     (3, T(2024, 3, 2, 18), 12000, 12000, 0, False)],
    schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64, "paid_cents": pl.Int64,
            "discount_cents": pl.Int64, "has_coupon": pl.Boolean}, orient="row")


def test_channel_scorecard_literal() -> None:
    got = channel_scorecard(MEMBERS, FRIENDS, ORDERS, start=None, end=D(2024, 4, 30), as_of=D(2024, 4, 30))
    assert got.columns == ["channel", "added", "friends", "deleted_1d", "deleted_7d", "deleted_30d", "buyer_30d",
                           "buyer_90d", "revenue_90d_per_member", "repeat_rate", "token_first_order_share",
                           "valid_members", "vanity_headcount", "valid_share"]
    expected = [
        # 1: coupon-only first order (9.90), then 300 yuan on day 50; 2: left within hours, bought only
        # before joining. 90-day revenue (9.90 + 300 + 0) / 2 members.
        ("包裹卡", 2, 2, 0.5, 0.5, 0.5, 0.5, 0.5, 154.95, 1.0, 1.0, 2, 2, 1.0),
        # 4 joined 41 days before the as-of day: judged at 30 days (no order), not yet at 90.
        ("未知", 1, 0, None, None, None, 0.0, None, None, None, None, 0, 1, 0.0),
        # 3: friendship ended after 19 days; two orders on one day (free sample first); valid by the purchase.
        ("门店", 1, 1, 0.0, 0.0, 1.0, 1.0, None, None, 0.0, 1.0, 1, 1, 1.0),
    ]
    for row, exp in zip(got.rows(), expected, strict=True):
        assert row == tuple(pytest.approx(v) if isinstance(v, float) else v for v in exp)
    by_way = channel_scorecard(MEMBERS, FRIENDS, ORDERS, start=D(2024, 2, 1), end=D(2024, 4, 30),
                               as_of=D(2024, 4, 30), by="add_way")
    assert by_way.select("channel", "added").rows() == [("搜索手机号", 1), ("未知", 1)]


def test_channel_scorecard_empty() -> None:
    assert channel_scorecard(MEMBERS.clear(), FRIENDS.clear(), ORDERS.clear(), start=None, end=D(2024, 1, 1),
                             as_of=D(2024, 1, 1)).height == 0


def test_cli(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    code, text = analytics_db.run_cli(db, "channels", fmt="csv")
    assert code == 0 and text.splitlines() == [
        "channel,added,friends,deleted_1d,deleted_7d,deleted_30d,buyer_30d,buyer_90d,revenue_90d_per_member,"
        "repeat_rate,token_first_order_share,valid_members,vanity_headcount,valid_share",
        "裂变海报,2,2,0.5,0.5,0.5,0.5,,,1.0,1.0,1,2,0.5",
        "包裹卡,1,1,0.0,0.0,0.0,1.0,,,1.0,0.0,1,1,1.0",
        "未知,1,0,,,,,,,,,0,1,0.0",
        "门店,1,1,0.0,1.0,1.0,1.0,,,0.0,0.0,1,1,1.0",
    ]
    assert len(analytics_db.run_json(db, "friend_survival", "days=1,7", "grain=week")) == 8  # 4 weekly cohorts
    for name in ("channels", "friend_survival"):
        code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", name, fmt="csv")
        assert code == 0 and text.count("\n") == 1


def test_channel_scorecard_with_narrow_orders_and_token_candidates() -> None:
    full = channel_scorecard(MEMBERS, FRIENDS, ORDERS, start=None, end=D(2024, 4, 30), as_of=D(2024, 4, 30))
    candidates = ORDERS.filter((pl.col("paid_cents") == 0) | (pl.col("discount_cents") > 0) | pl.col("has_coupon"))
    narrow = channel_scorecard(MEMBERS, FRIENDS, ORDERS.select("member_id", "paid_at", "net_cents"),
                               token_orders=candidates, start=None, end=D(2024, 4, 30), as_of=D(2024, 4, 30))
    assert narrow.equals(full)


def test_csv_neutralises_formula_like_channel_names(tmp_path: Path) -> None:
    from siyu.db import writing

    db = analytics_db.build(tmp_path / "brand.duckdb")
    with writing(db) as con:
        con.execute("INSERT INTO members VALUES (9, NULL, '2024-03-01 08:00', '=HYPERLINK(\"http://x\")', 'test', 1)")
    code, text = analytics_db.run_cli(db, "channels", fmt="csv")
    assert code == 0
    line = next(x for x in text.splitlines() if "HYPERLINK" in x)
    assert line.startswith("\"'=HYPERLINK(\"\"http://x\"\")\",1,0,")
