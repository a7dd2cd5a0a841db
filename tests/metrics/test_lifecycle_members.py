"""The members behind each lifecycle bar: as many as the bar counts (siyu/metrics/lifecycle_members.py).

Hand-built orders (month grain, as of 2024-04-30):
  m1 Jan, Feb, Apr     m2 Jan, Mar     m3 Feb (¥30 + ¥20), Mar     m4 Apr
lifecycle: Jan new {1,2}; Feb new {3}, returning {1}, dormant {2}; Mar returning {3}, resurrecting {2},
dormant {1}; Apr new {4}, resurrecting {1}, dormant {2, 3}.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.db import reading
from siyu.engine.catalog import run_metric
from siyu.metrics.lifecycle import buyer_lifecycle
from siyu.metrics.lifecycle_members import STATUSES, lifecycle_members
from tests.pages.small_db import build_fixture

D = dt.date
ORDERS = pl.LazyFrame({
    "member_id": [1, 1, 1, 2, 2, 3, 3, 3, 4],
    "paid_at": [D(2024, 1, 5), D(2024, 2, 5), D(2024, 4, 5), D(2024, 1, 9), D(2024, 3, 9), D(2024, 2, 1),
                D(2024, 2, 2), D(2024, 3, 3), D(2024, 4, 4)],
    "net_cents": [100, 200, 300, 400, 500, 3000, 2000, 600, 700],
})
AS_OF = D(2024, 4, 30)


def ids(period: dt.date, status: str) -> list[int]:
    got = lifecycle_members(ORDERS, as_of=AS_OF, grain="month", period_start=period, status=status)
    return sorted(got["member_id"].to_list())


def test_by_hand():
    assert (ids(D(2024, 1, 1), "new"), ids(D(2024, 2, 1), "new"), ids(D(2024, 2, 1), "returning")) == ([1, 2], [3], [1])
    assert (ids(D(2024, 2, 1), "dormant"), ids(D(2024, 3, 1), "resurrecting"), ids(D(2024, 3, 1), "dormant")) == ([2], [2], [1])
    assert (ids(D(2024, 4, 1), "new"), ids(D(2024, 4, 1), "resurrecting"), ids(D(2024, 4, 1), "dormant")) == ([4], [1], [2, 3])
    feb_new = lifecycle_members(ORDERS, as_of=AS_OF, grain="month", period_start=D(2024, 2, 1), status="new")
    assert feb_new.rows() == [(3, 2, 50.0, D(2024, 3, 3))]
    dormant = lifecycle_members(ORDERS, as_of=AS_OF, grain="month", period_start=D(2024, 4, 1), status="dormant")
    assert dormant["orders"].to_list() == [0, 0] and dormant["net"].to_list() == [0.0, 0.0]


@pytest.mark.parametrize("grain", ["month", "week", "day"])
def test_every_bar_drills_to_its_count(grain):
    bars = buyer_lifecycle(ORDERS, as_of=AS_OF, grain=grain)
    for bar in bars.iter_rows(named=True):
        for status in STATUSES:
            got = lifecycle_members(ORDERS, as_of=AS_OF, grain=grain, period_start=bar["period"], status=status)
            assert got.height == bar[status], (bar["period"], status)


def test_every_bar_of_the_fixture_through_the_registry(tmp_path):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        bars = run_metric(con, "lifecycle", {"grain": "month"})[1]
        assert bars.height
        for bar in bars.iter_rows(named=True):
            for status in STATUSES:
                got = run_metric(con, "lifecycle_members", {"grain": "month", "status": status,
                                                            "period_start": bar["period"].isoformat()})[1]
                assert got.height == bar[status], (bar["period"], status)
