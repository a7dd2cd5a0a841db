"""A click on any heatmap cell opens exactly that cell's members (siyu/ui/views/retention.py), on the
hand-built database of tests/pages/small_db.py, with a range that starts inside a month and a week.

Range 2024-01-08 .. 2024-03-10: first-order cohorts keep m2 (first order 2024-01-10) and m3 (2024-02-03);
joined cohorts keep m3 (joined 2024-02-01) and m4 (2024-03-10), not m2 (joined 2024-01-05, before the
range start). Every overlay marker of the heatmap carries its cell's count; the members list for the
click has exactly that many rows.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.charts.retention import CELLS_TRACE, retention_heatmap
from siyu.db import reading
from siyu.engine import lookups
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
from siyu.metrics.periods import DateRange
from siyu.ui.views.retention import Cell, cell_in, cell_params, clicked_cell
from tests.pages.small_db import build_fixture

RNG = DateRange(dt.date(2024, 1, 8), dt.date(2024, 3, 10))


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("view") / "small.duckdb")


def overlay(fig) -> list[list]:
    (trace,) = [t for t in fig.data if t.name == CELLS_TRACE]
    return [list(c) for c in trace.customdata]


@pytest.mark.parametrize("cohort", ["first_order", "joined", "channel"])
@pytest.mark.parametrize("mode", ["on", "on_or_after"])
@pytest.mark.parametrize("grain", ["month", "week"])
def test_every_cell_click_lists_as_many_members_as_the_cell_counts(small, cohort, mode, grain):
    params = {"cohort": cohort, "grain": grain, "start": RNG.start.isoformat(), "end": RNG.end.isoformat()}
    with reading(small) as con:
        counts = run_metric(con, "retention", {**params, "measure": "members", "mode": mode})[1]
        revenue = run_metric(con, "retention", {**params, "measure": "revenue", "mode": "on"})[1]
        assert counts.height
        for tri, drill_mode in ((counts, mode), (revenue, "on")):
            shown = counts if drill_mode == mode else run_metric(
                con, "retention", {**params, "measure": "members", "mode": "on"})[1]
            fig = retention_heatmap(tri, grain=grain, money=tri is revenue, counts=shown)
            points = overlay(fig)
            assert len(points) == shown.height  # one marker per drawn cell
            for data in points:
                cell = clicked_cell([{"curve_number": 2, "customdata": data}])
                assert cell is not None and cell_in(cell, shown)
                who = run_metric(con, "cohort_members",
                                 cell_params(cell, cohort=cohort, grain=grain, mode=drill_mode, rng=RNG))[1]
                assert who.height == cell.count, data


def test_first_order_cells_by_hand(small):
    params = {"grain": "month", "start": RNG.start.isoformat(), "end": RNG.end.isoformat()}
    with reading(small) as con:
        tri = run_metric(con, "retention", params)[1]
        fig = retention_heatmap(tri, counts=tri)
        assert overlay(fig) == [["2024-01-01", "", 0, 1], ["2024-01-01", "", 1, 1], ["2024-01-01", "", 2, 0],
                                ["2024-02-01", "", 0, 1], ["2024-02-01", "", 1, 0]]
        assert [t for t in fig.data if t.name == CELLS_TRACE][0].text[:2] == ("100% · 1 人", "100% · 1 人")
        who = run_metric(con, "cohort_members", cell_params(Cell(dt.date(2024, 1, 1), "", 1, 1), cohort="first_order",
                                                            grain="month", mode="on", rng=RNG))[1]
    assert who.rows() == [(2, 1, 60.0, dt.date(2024, 2, 15))]


def test_joined_january_row_leaves_out_the_member_who_joined_before_the_range(small):
    cell = Cell(dt.date(2024, 1, 1), "", 0, 0)
    with reading(small) as con:
        tri = run_metric(con, "retention", {"cohort": "joined", "start": "2024-01-08", "end": "2024-03-10"})[1]
        assert tri["cohort"].to_list()[0] == dt.date(2024, 2, 1)  # no January row: m2 joined 2024-01-05
        whole = run_metric(con, "cohort_members", {"cohort": "joined", "cohort_start": "2024-01-01", "period": "0",
                                                   "end": "2024-03-10"})[1]
        ranged = run_metric(con, "cohort_members", cell_params(cell, cohort="joined", grain="month", mode="on",
                                                               rng=RNG))[1]
    assert whole["member_id"].to_list() == [2] and ranged.height == 0


@pytest.mark.parametrize("points", [
    [], [{}], [{"customdata": None}], [{"customdata": ["2024-01-01", "", 1]}],
    [{"customdata": ["2024-13-01", "", 1, 1]}], [{"customdata": ["2024-01-01", "", -1, 1]}],
    [{"customdata": ["2024-01-01", "", True, 1]}], [{"customdata": ["<b>x</b>", "", 1, 1]}],
    [{"customdata": ["2024-01-01", "", 1.5, 1]}], ["not a point"],
])
def test_malformed_clicks_pick_nothing(points):
    assert clicked_cell(points) is None


def test_a_forged_cell_that_was_not_drawn_is_ignored(small):
    with reading(small) as con:
        tri = run_metric(con, "retention", {"start": RNG.start.isoformat(), "end": RNG.end.isoformat()})[1]
    assert cell_in(Cell(dt.date(2024, 1, 1), "", 1, 1), tri)
    assert not cell_in(Cell(dt.date(2023, 12, 1), "", 0, 1), tri)  # m1's cohort is outside the range
    assert not cell_in(Cell(dt.date(2024, 1, 1), "", 9, 0), tri)


def test_every_lifecycle_bar_click_lists_as_many_buyers_as_the_bar(small):
    from siyu.charts.retention import lifecycle_bars
    from siyu.metrics.lifecycle_members import STATUSES
    from siyu.ui.views.retention import bar_in, bar_params, clicked_bar

    with reading(small) as con:
        life = run_metric(con, "lifecycle", {"start": RNG.start.isoformat(), "end": RNG.end.isoformat()})[1]
        fig = lifecycle_bars(life)
        points = [list(c) for trace in fig.data for c in trace.customdata]
        assert len(points) == 4 * life.height
        assert points[:3] == [["2024-01-01", "new", 1], ["2024-02-01", "new", 1], ["2024-03-01", "new", 0]]
        for data in points:
            bar = clicked_bar([{"customdata": data}], STATUSES)
            assert bar is not None and bar_in(bar, life)
            who = run_metric(con, "lifecycle_members", bar_params(bar, grain="month", rng=RNG))[1]
            assert who.height == bar.count, data
    assert clicked_bar([{"customdata": ["2024-01-01", "ghost", 1]}], STATUSES) is None
    assert clicked_bar([{"customdata": ["2024-01-01", "new", -1]}], STATUSES) is None


def test_a_triangle_too_large_to_aim_at_gets_no_overlay():
    import polars as pl

    from siyu.charts.retention import MAX_CLICKABLE_CELLS

    n = 101  # 101 daily cohorts: 101 * 102 / 2 = 5,151 cells
    rows = [(dt.date(2024, 1, 1) + dt.timedelta(days=c), 10, p, 1, 0.1, True) for c in range(n) for p in range(n - c)]
    tri = pl.DataFrame(rows, schema=["cohort", "cohort_size", "period", "value", "rate", "complete"], orient="row")
    assert tri.height > MAX_CLICKABLE_CELLS
    assert [t.name for t in retention_heatmap(tri, grain="day", counts=tri).data if t.name == CELLS_TRACE] == []


@pytest.mark.parametrize("measure,mode", [("members", "on"), ("members", "on_or_after"), ("revenue", "on_or_after")])
def test_retention_frames_without_streamlit(small, measure, mode):
    from siyu.ui.views.retention import retention_frames

    calls: list[tuple] = []
    with reading(small) as con:
        def load(name, **params):
            calls.append((name, params["measure"], params["mode"]))
            return run_metric(con, name, params)[1]

        frames = retention_frames(load, cohort="first_order", measure=measure, mode=mode, grain="month", rng=RNG,
                                  lang="zh")
        assert frames is not None
        assert frames.labels == ["2024年1月", "2024年2月"]
        assert frames.money == (measure == "revenue")
        assert frames.drill_mode == ("on" if measure == "revenue" else mode)
        assert frames.counts["value"].to_list() == [1, 1, 0, 1, 0]  # m2 in Jan and Feb; m3 in Feb only
        assert frames.revenue.filter(pl.col("label") == "2024年1月")["value"].to_list() == [100.0, 60.0, 0.0]
        assert len(calls) == len(set(calls))  # each triangle loaded once
        empty = retention_frames(load, cohort="first_order", measure=measure, mode=mode, grain="month",
                                 rng=DateRange(dt.date(2022, 1, 1), dt.date(2022, 12, 31)), lang="zh")
    assert empty is None


def test_the_pickers_name_a_cell_and_list_its_members_with_names(small):
    """First-order cohorts by month: 2024年1月 holds m2 (first order 01-10, again 02-15), 2024年2月 m3."""
    from siyu.ui.views.retention import (
        MEMBERS,
        cell_options,
        members_listing,
        periods_of,
        picked_cell,
        retention_frames,
    )

    with reading(small) as con:
        def load(name, **params):
            return run_metric(con, name, params)[1]

        def contacts(ids):
            return lookups.member_contacts(read_context(con), ids)

        frames = retention_frames(load, cohort="first_order", measure="members", mode="on", grain="month", rng=RNG,
                                  lang="zh")
        cells = cell_options(frames.counts, cohort="first_order", grain="month", lang="zh")
        label = frames.labels[0]
        assert label.startswith("2024年1月")
        assert periods_of(cells, label) == [0, 1, 2]
        cell = picked_cell(cells, label, 1)
        assert cell == Cell(dt.date(2024, 1, 1), "", 1, 1)
        who = members_listing(load, contacts, "cohort_members", cell_params(cell, cohort="first_order", grain="month",
                                                                   mode="on", rng=RNG))
    assert who.columns == list(MEMBERS)
    assert who.select("member_id", "display_name", "orders", "net").rows() == [("2", "=cmd|' /C calc'!A0", 1, 60.0)]
