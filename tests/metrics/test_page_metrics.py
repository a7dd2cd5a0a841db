"""The metrics and reshapes the dashboard pages add (docs/metrics/pages.md)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.charts.referrals import tree_layout
from siyu.db import reading
from siyu.engine.catalog import run_metric
from siyu.engine.params import parse_ids
from siyu.errors import MetricError
from siyu.metrics.channel_survival import channel_survival
from siyu.metrics.page_frames import layer_summary, segment_summary
from tests.pages.small_db import build_fixture

D = dt.datetime


@pytest.fixture
def small(tmp_path):
    return build_fixture(tmp_path / "small.duckdb")


@pytest.mark.parametrize("cohort", ["first_order", "joined", "channel"])
@pytest.mark.parametrize("mode", ["on", "on_or_after"])
def test_cohort_members_count_equals_every_triangle_cell(small, cohort, mode):
    with reading(small) as con:
        triangle = run_metric(con, "retention", {"cohort": cohort, "mode": mode})[1]
        assert triangle.height
        for cell in triangle.iter_rows(named=True):
            params = {"cohort": cohort, "mode": mode, "cohort_start": cell["cohort"].isoformat(),
                      "period": str(cell["period"])}
            if cohort == "channel":
                params["channel"] = cell["channel"]
            members = run_metric(con, "cohort_members", params)[1]
            assert members.height == cell["value"], cell


def test_cohort_members_lists_who_and_what(small):
    with reading(small) as con:
        got = run_metric(con, "cohort_members", {"cohort_start": "2024-01-01", "period": "1"})[1]
    assert got.rows() == [(2, 1, 60.0, dt.date(2024, 2, 15))]  # m2's ¥80 − ¥20 refund in February


def test_channel_survival_by_hand():
    friends = pl.LazyFrame({
        "member_id": [1, 2, 3, 4],
        "added_at": [D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 2), D(2024, 1, 3)],
        "deleted_at": [D(2024, 1, 1, 12), None, D(2024, 1, 10), None],
        "channel": ["a", "a", "a", None],
    })
    got = channel_survival(friends, as_of=dt.date(2024, 1, 31), horizons=(0, 1, 7, 30))
    # channel a: deleted after 0.5 and 8 days, one open for 30 days; 未知: one open for 28 days
    assert got.filter(pl.col("channel") == "a")["survival"].to_list() == pytest.approx([1.0, 2 / 3, 2 / 3, 1 / 3])
    assert got.filter(pl.col("channel") == "a")["at_risk"].to_list() == [3, 2, 2, 1]
    assert got.filter(pl.col("channel") == "未知")["survival"].to_list() == [1.0, 1.0, 1.0, None]


def test_tree_layout_centres_parents_over_children():
    nodes = pl.DataFrame({"member_id": [10, 11, 12, 13, 14], "referrer_id": [None, 10, 10, 11, 11]})
    got = {r["member_id"]: (r["x"], r["y"]) for r in tree_layout(nodes).iter_rows(named=True)}
    assert got == {13: (0.0, -2), 14: (1.0, -2), 11: (0.5, -1), 12: (2.0, -1), 10: (1.25, 0)}


def test_layer_and_segment_summaries_add_up():
    frame = pl.DataFrame({"member_id": [1, 2, 3, 4], "spend": [50.0, 30.0, 15.0, 5.0],
                          "layer": ["super", "core", "mass", "mass"]})
    layers = layer_summary(frame)
    assert layers["layer"].to_list() == ["super", "core", "mass"]
    assert layers["members"].to_list() == [1, 1, 2] and layers["spend_share"].to_list() == [0.5, 0.3, 0.2]
    rfm = pl.DataFrame({"cn_segment": ["重要价值客户", "一般挽留客户", "一般挽留客户"], "monetary": [300.0, 50.0, 50.0],
                        "frequency": [3, 1, 1], "recency_days": [1, 100, 200]})
    seg = segment_summary(rfm, "cn_segment")
    assert seg.height == 8 and seg["members"].sum() == 3
    assert seg.filter(pl.col("segment") == "一般挽留客户").row(0, named=True)["avg_recency_days"] == 150


@pytest.mark.parametrize("raw", ["1;DROP TABLE members", "1,2,x", "１,2", "-1", "1 OR 1=1"])
def test_member_ids_are_digits_only(raw):
    with pytest.raises(MetricError):
        parse_ids(raw)
    assert parse_ids("3, 1,2,3") == [1, 2, 3]
