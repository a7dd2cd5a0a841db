"""Buyer lifecycle (PostHog's new / returning / resurrecting / dormant), literal and against plain Python."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl

from siyu.metrics.lifecycle import buyer_lifecycle
from tests.metrics import analytics_db

D = dt.date


def orders(rows: list[tuple[int, dt.date]]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema={"member_id": pl.Int64, "paid_at": pl.Date}, orient="row")


ROWS = [(1, D(2024, 1, 5)), (1, D(2024, 1, 20)), (1, D(2024, 2, 5)), (1, D(2024, 4, 1)),
        (2, D(2024, 1, 9)), (2, D(2024, 3, 3)), (3, D(2024, 3, 9)), (3, D(2024, 5, 1))]


def test_monthly_literal() -> None:
    got = buyer_lifecycle(orders(ROWS), as_of=D(2024, 4, 15))
    assert got.columns == ["period", "new", "returning", "resurrecting", "dormant", "active", "complete"]
    assert got.rows() == [
        (D(2024, 1, 1), 2, 0, 0, 0, 2, True),    # 1 and 2 arrive
        (D(2024, 2, 1), 0, 1, 0, 1, 1, True),    # 1 returns, 2 goes dormant
        (D(2024, 3, 1), 1, 0, 1, 1, 2, True),    # 3 arrives, 2 resurrects, 1 goes dormant
        (D(2024, 4, 1), 0, 0, 1, 2, 1, False),   # 1 resurrects; 2 and 3 dormant (3's May order is after as_of)
    ]


def test_start_keeps_history_and_weekly_grain() -> None:
    got = buyer_lifecycle(orders(ROWS), as_of=D(2024, 4, 15), start=D(2024, 3, 1))
    assert got["period"].to_list() == [D(2024, 3, 1), D(2024, 4, 1)] and got["resurrecting"].to_list() == [1, 1]
    weekly = buyer_lifecycle(orders([(1, D(2024, 1, 7)), (1, D(2024, 1, 8))]), as_of=D(2024, 1, 14), grain="week")
    assert weekly.rows() == [(D(2024, 1, 1), 1, 0, 0, 0, 1, True), (D(2024, 1, 8), 0, 1, 0, 0, 1, True)]


def test_matches_plain_python() -> None:
    rng = random.Random(2)
    rows = [(rng.randint(1, 40), D(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 300))) for _ in range(300)]
    as_of = D(2024, 10, 31)
    got = buyer_lifecycle(orders(rows), as_of=as_of)
    month = lambda d: d.year * 12 + d.month - 1  # noqa: E731
    act: dict[int, set[int]] = {}
    for m, d in rows:
        act.setdefault(month(d), set()).add(m)
    seen: set[int] = set()
    for row in got.iter_rows(named=True):
        p = month(row["period"])
        now, before = act.get(p, set()), act.get(p - 1, set())
        assert row["new"] == len(now - seen)
        assert row["returning"] == len(now & before)
        assert row["resurrecting"] == len((now - before) & seen)
        assert row["dormant"] == len(before - now)
        seen |= now


def test_cli_and_empty(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    rows = analytics_db.run_json(db, "lifecycle")
    assert [(r["period"], r["new"], r["returning"], r["resurrecting"], r["dormant"]) for r in rows] == [
        ("2024-01-01", 2, 0, 0, 0), ("2024-02-01", 1, 1, 0, 1), ("2024-03-01", 0, 1, 0, 1)]
    code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", "lifecycle", fmt="csv")
    assert code == 0 and text == "period,new,returning,resurrecting,dormant,active,complete\n"
