"""Super-user score and three-layer community on hand-checked fixtures."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest

from siyu.errors import MetricError
from siyu.metrics.super_users import super_users
from tests.metrics import analytics_db

D, T = dt.date, dt.datetime
EDGES = pl.LazyFrame([(3, 1, T(2024, 2, 1)), (4, 3, T(2024, 2, 15))],
                     schema={"referee_id": pl.Int64, "referrer_id": pl.Int64, "referred_at": pl.Datetime("us")},
                     orient="row")
ORDERS = pl.LazyFrame(
    [(1, D(2024, 1, 3), 10000), (1, D(2024, 2, 10), 5000), (2, D(2024, 1, 21), 15000), (3, D(2024, 2, 2), 0),
     (3, D(2024, 3, 20), 8000), (3, D(2024, 1, 30), 999)],   # 3's order before being referred is not 1's doing
    schema={"member_id": pl.Int64, "paid_at": pl.Date, "net_cents": pl.Int64}, orient="row")


def test_literal_without_order_lines() -> None:
    got = super_users(ORDERS, EDGES, None, start=D(2024, 1, 1), end=D(2024, 3, 31), super_pct=1, core_pct=50)
    assert got.columns == ["member_id", "purchase_days", "spend", "referrals", "referee_gmv", "early_buys", "score",
                           "rank", "layer", "is_super", "spend_vs_median"]
    # Percentiles (n = 3): days 2,1,3 -> 2/3,1/3,1; spend 150,150,89.99 -> 1,1,1/3; referrals 1,0,1 -> 1,0,1;
    # referee gmv 80,0,0 -> 1,0,0. Scores 0.3*(2/3)+0.3+0.2+0.2 = 0.9; 0.3*(1/3)+0.3 = 0.4; 0.3+0.1+0.2 = 0.6.
    expected = [
        (1, 2, 150.0, 1, 80.0, None, 0.9, 1, "super", True, 150 / 150),
        (3, 3, 89.99, 1, 0.0, None, 0.6, 2, "core", False, 89.99 / 150),
        (2, 1, 150.0, 0, 0.0, None, 0.4, 3, "mass", False, 1.0),
    ]
    for row, exp in zip(got.rows(), expected, strict=True):
        assert row == tuple(pytest.approx(v) if isinstance(v, float) else v for v in exp)


def test_layers_are_one_and_ten_percent() -> None:
    rng = random.Random(8)
    rows = [(rng.randint(1, 1000), D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 90)), rng.randint(0, 50000))
            for _ in range(5000)]
    orders = pl.LazyFrame(rows, schema={"member_id": pl.Int64, "paid_at": pl.Date, "net_cents": pl.Int64}, orient="row")
    got = super_users(orders, EDGES.clear(), None, start=D(2024, 1, 1), end=D(2024, 3, 31))
    n = got.height
    counts = dict(got.group_by("layer").len().rows())
    assert counts["super"] == -(-n // 100) and counts["super"] + counts["core"] == -(-n // 10)
    assert got["score"].is_sorted(descending=True) and got["rank"].to_list() == list(range(1, n + 1))
    assert got.filter(pl.col("is_super"))["spend_vs_median"].min() > 1


def test_bad_layers_and_empty() -> None:
    with pytest.raises(MetricError):
        super_users(ORDERS, EDGES, None, start=D(2024, 1, 1), end=D(2024, 3, 31), super_pct=20, core_pct=10)
    assert super_users(ORDERS.clear(), EDGES.clear(), None, start=D(2024, 1, 1), end=D(2024, 1, 2)).height == 0


def test_cli_with_order_lines(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    code, text = analytics_db.run_cli(db, "super_users", fmt="csv")
    # 面霜 first sells on 03-20, more than 30 days after the catalogue's first sale: new; 3 bought it at launch.
    # Weights with order lines: 0.27 / 0.27 / 0.18 / 0.18 and 0.1 for early buys.
    assert code == 0 and text.splitlines() == [
        "member_id,siyu_id,purchase_days,spend,referrals,referee_gmv,early_buys,score,rank,layer,is_super,spend_vs_median",
        "siyu:1,1,2,150.0,1,80.0,0,0.9000000000000001,1,super,true,1.0",  # siyu:N: no identifiers in the fixture
        "siyu:3,3,2,80.0,1,0.0,1,0.64,2,mass,false,0.5333333333333333",
        "siyu:2,2,1,150.0,0,0.0,0,0.36,3,mass,false,1.0",
    ]
    code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", "super_users", fmt="csv")
    assert code == 0 and text.count("\n") == 1


def test_cli_layers_view_and_top(tmp_path: Path) -> None:
    """view=layers: one row per layer of the same computation (what the Members page draws); top=N: the
    best N rows. On the fixture above: 3 members, ceil(1% x 3) = 1 super (member 1, 150 yuan), ceil(10%) = 1
    so no core, 2 mass (230 yuan)."""
    db = analytics_db.build(tmp_path / "brand.duckdb")
    code, text = analytics_db.run_cli(db, "super_users", "view=layers", fmt="csv")
    assert code == 0 and text.splitlines() == [
        "layer,members,spend,member_share,spend_share,avg_spend",
        "super,1,150.0,0.3333333333333333,0.39473684210526316,150.0",  # 150 / 380
        "core,0,0.0,0.0,0.0,0.0",
        "mass,2,230.0,0.6666666666666666,0.6052631578947368,115.0",
    ]
    code, text = analytics_db.run_cli(db, "super_users", "top=1", fmt="csv")
    assert code == 0 and text.splitlines()[1:] == ["siyu:1,1,2,150.0,1,80.0,0,0.9000000000000001,1,super,true,1.0"]
