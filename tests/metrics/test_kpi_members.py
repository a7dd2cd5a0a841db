"""The members behind each Overview card (siyu/metrics/kpi_members.py) number exactly what the card shows,
on the hand-built fixture (tests/pages/small_db.py: range 2024-01-01 .. 2024-03-31 has members 5,
new 3, valid 4, buyers 2 (m2, m3), repeat buyers 1 (m2))."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.db import reading
from siyu.engine.catalog import run_metric
from siyu.metrics.kpi_members import CARDS
from tests.pages.small_db import build_fixture

RANGES = [{"start": "2024-01-01", "end": "2024-03-31"}, {"start": "2023-10-02", "end": "2023-12-31"},
          {"start": "2024-02-01", "end": "2024-02-29"}]


@pytest.mark.parametrize("rng", RANGES)
def test_every_card_drills_to_its_number(tmp_path, rng):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        card = run_metric(con, "kpis", rng)[1].row(0, named=True)
        heads = {c: run_metric(con, "kpi_members", {**rng, "card": c})[1].height for c in CARDS}
    assert heads["members"] == card["members"] and heads["new_members"] == card["new_members"]
    assert heads["valid_members"] == card["valid_members"] and heads["buyers"] == card["buyers"]
    assert heads["repeat_buyers"] == round(card["repurchase_rate"] * card["buyers"])


def test_by_hand(tmp_path):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        buyers = run_metric(con, "kpi_members", {"start": "2024-01-01", "end": "2024-03-31", "card": "buyers"})[1]
        valid = run_metric(con, "kpi_members", {"start": "2024-01-01", "end": "2024-03-31", "card": "valid_members"})[1]
    assert buyers.rows() == [(3, dt.date(2024, 2, 1), 2, 240.0, dt.date(2024, 2, 3)),
                             (2, dt.date(2024, 1, 5), 2, 160.0, dt.date(2024, 2, 15))]
    assert sorted(valid["member_id"].to_list()) == [1, 2, 3, 4]
