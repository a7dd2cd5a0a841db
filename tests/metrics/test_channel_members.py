"""The members behind each row of the channel scorecard: as many as its `added`, for every channel of
every `by`, on the hand-built fixture (tests/pages/small_db.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.db import reading
from siyu.engine.catalog import run_metric
from tests.pages.small_db import build_fixture


@pytest.mark.parametrize("by", ["member", "friend_channel", "add_way"])
@pytest.mark.parametrize("start", ["2023-06-01", "2024-01-01"])
def test_every_channel_row_drills_to_its_added(tmp_path, by, start):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        card = run_metric(con, "channels", {"by": by, "start": start, "end": "2024-03-10"})[1]
        assert card.height
        for row in card.iter_rows(named=True):
            who = run_metric(con, "channel_members", {"by": by, "start": start, "end": "2024-03-10",
                                                      "channel": row["channel"]})[1]
            assert who.height == row["added"], row["channel"]


def test_by_hand(tmp_path):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        got = run_metric(con, "channel_members", {"channel": "门店", "start": "2024-01-01", "end": "2024-03-10"})[1]
    # m4 joined 2024-03-10 and is still a friend; m3 joined 2024-02-01, its friendship ended 2024-03-01
    assert got.rows() == [(4, dt.date(2024, 3, 10), dt.date(2024, 3, 10), 1), (3, dt.date(2024, 2, 1), dt.date(2024, 2, 1), 0)]
