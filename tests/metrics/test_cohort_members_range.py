"""The members behind a cell agree with the heatmap when the range starts inside a cohort's period.

Hand-built orders (month cohorts, first valid order):
  m1 2023-08-03 ¥10, 2023-09-05 ¥20   -> August cohort, but before the range start 2023-08-15
  m2 2023-08-20 ¥30, 2023-09-10 ¥40   -> August cohort, in range; active again in September
  m3 2023-08-25 ¥50                   -> August cohort, in range
  m4 2023-07-30 ¥60, 2023-08-16 ¥70   -> July cohort (outside the range even though it buys in August)
  m5 2023-09-01 ¥80                   -> September cohort
The range 2023-08-15 .. 2023-10-31 labels the August row "2023年8月（2）": m2 and m3, never m1.
"""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.metrics.cohort_members import cohort_members
from siyu.metrics.retention import cohort_retention

D = dt.date
ORDERS = pl.LazyFrame({
    "member_id": [1, 1, 2, 2, 3, 4, 4, 5],
    "paid_at": [D(2023, 8, 3), D(2023, 9, 5), D(2023, 8, 20), D(2023, 9, 10), D(2023, 8, 25), D(2023, 7, 30),
                D(2023, 8, 16), D(2023, 9, 1)],
    "net_cents": [1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000],
})
# joined cohorts: m1 joined 2023-08-01 (before the range), m2 2023-08-15, m3 2023-08-31, m6 2023-08-20 (no order)
MEMBERS = pl.LazyFrame({
    "member_id": [1, 2, 3, 4, 5, 6],
    "joined_at": [dt.datetime(2023, 8, 1), dt.datetime(2023, 8, 15), dt.datetime(2023, 8, 31),
                  dt.datetime(2023, 7, 1), dt.datetime(2023, 9, 1), dt.datetime(2023, 8, 20)],
    "channel": ["门店", "门店", None, "门店", "门店", "门店"],
})
START, END = D(2023, 8, 15), D(2023, 10, 31)


def test_august_row_of_a_range_starting_mid_month_lists_its_two_members():
    triangle = cohort_retention(ORDERS, as_of=END, start=START, end=END)
    august = triangle.filter(pl.col("cohort") == D(2023, 8, 1))
    assert august["cohort_size"].to_list() == [2, 2, 2]
    assert august["value"].to_list() == [2, 1, 0]
    got = cohort_members(ORDERS, None, as_of=END, cohort="first_order", grain="month", cohort_start=D(2023, 8, 1),
                         period=0, start=START, end=END)
    assert got.rows() == [(3, 1, 50.0, D(2023, 8, 25)), (2, 1, 30.0, D(2023, 9, 10))]
    got = cohort_members(ORDERS, None, as_of=END, cohort="first_order", grain="month", cohort_start=D(2023, 8, 1),
                         period=1, start=START, end=END)
    assert got.rows() == [(2, 1, 40.0, D(2023, 9, 10))]


def test_without_a_range_the_whole_august_cohort_is_listed():
    got = cohort_members(ORDERS, None, as_of=END, cohort="first_order", grain="month", cohort_start=D(2023, 8, 1),
                         period=0)
    assert sorted(got["member_id"].to_list()) == [1, 2, 3]


def test_joined_cohort_respects_the_range_start():
    got = cohort_members(ORDERS, MEMBERS, as_of=END, cohort="joined", grain="month", cohort_start=D(2023, 8, 1),
                         period=1, start=START, end=END)
    assert got["member_id"].to_list() == [2]  # m1 joined 2023-08-01, before the range; m3 never bought again


@pytest.mark.parametrize("cohort", ["first_order", "joined", "channel"])
@pytest.mark.parametrize("mode", ["on", "on_or_after"])
@pytest.mark.parametrize("grain", ["month", "week"])
def test_every_cell_of_a_mid_period_range_drills_to_its_count(cohort, mode, grain):
    members = None if cohort == "first_order" else MEMBERS
    triangle = cohort_retention(ORDERS, members, as_of=END, cohort=cohort, grain=grain, mode=mode,
                                start=START, end=END)
    assert triangle.height
    for cell in triangle.iter_rows(named=True):
        got = cohort_members(ORDERS, members, as_of=END, cohort=cohort, grain=grain, cohort_start=cell["cohort"],
                             period=cell["period"], mode=mode, channel=cell.get("channel"), start=START, end=END)
        assert got.height == cell["value"], cell
