"""The global filter state and the date presets, with literal days (siyu/filter_state.py, siyu/ranges.py)."""

import datetime as dt

import pytest

from siyu.filter_state import GlobalFilters, from_params
from siyu.metrics.periods import DateRange as Range
from siyu.ranges import anchor_day, comparison_period, default_range, matching_preset, preset_range

D = dt.date
FIRST, LAST = D(2022, 5, 3), D(2024, 6, 20)  # the data's first and last day (a friend added on 06-20)
ANCHOR = D(2024, 5, 31)                       # its last order day


@pytest.mark.parametrize(("name", "expected"), [
    ("last7", Range(D(2024, 5, 25), D(2024, 5, 31))),
    ("last30", Range(D(2024, 5, 2), D(2024, 5, 31))),
    ("this_month", Range(D(2024, 5, 1), D(2024, 5, 31))),
    ("last_month", Range(D(2024, 4, 1), D(2024, 4, 30))),
    ("this_quarter", Range(D(2024, 4, 1), D(2024, 5, 31))),
    ("this_year", Range(D(2024, 1, 1), D(2024, 5, 31))),
    ("all", Range(D(2022, 5, 3), D(2024, 6, 20))),
])
def test_presets_count_back_from_the_last_order_day(name, expected):
    assert preset_range(name, anchor=ANCHOR, first=FIRST, last=LAST) == expected
    assert matching_preset(expected, anchor=ANCHOR, first=FIRST, last=LAST) == name


def test_presets_across_year_and_quarter_edges():
    jan3 = D(2025, 1, 3)
    assert preset_range("last_month", anchor=jan3, first=FIRST, last=jan3) == Range(D(2024, 12, 1), D(2024, 12, 31))
    assert preset_range("last7", anchor=jan3, first=FIRST, last=jan3) == Range(D(2024, 12, 28), D(2025, 1, 3))
    nov = D(2024, 11, 15)
    assert preset_range("this_quarter", anchor=nov, first=FIRST, last=nov) == Range(D(2024, 10, 1), D(2024, 11, 15))
    assert matching_preset(Range(D(2024, 10, 2), nov), anchor=nov, first=FIRST, last=nov) is None  # custom


def test_the_anchor_is_the_last_order_day_and_never_after_today():
    assert anchor_day(D(2024, 2, 29), D(2024, 3, 20)) == D(2024, 2, 29)  # a WeCom list does not move it
    assert anchor_day(None, D(2024, 3, 20)) == D(2024, 3, 20)            # no orders at all: the data's end
    assert anchor_day(D(2031, 1, 1), D(2031, 1, 1), today=D(2024, 6, 1)) == D(2024, 6, 1)  # future-dated order
    assert default_range(FIRST, ANCHOR) == Range(D(2023, 6, 1), D(2024, 5, 31))  # 12 months ending on it
    leap = D(2024, 2, 29)
    assert preset_range("last30", anchor=leap, first=FIRST, last=LAST) == Range(D(2024, 1, 31), D(2024, 2, 29))
    assert preset_range("last_month", anchor=leap, first=FIRST, last=LAST) == Range(D(2024, 1, 1), D(2024, 1, 31))


def test_comparison_periods():
    march = Range(D(2024, 3, 1), D(2024, 3, 31))
    assert comparison_period(march, "previous") == Range(D(2024, 1, 30), D(2024, 2, 29))  # 31 days before
    assert comparison_period(march, "year") == Range(D(2023, 3, 1), D(2023, 3, 31))
    leap = Range(D(2024, 2, 1), D(2024, 2, 29))
    assert comparison_period(leap, "year") == Range(D(2023, 2, 1), D(2023, 2, 28))


def test_the_url_is_read_strictly_and_written_back_without_defaults():
    state, bad = from_params({"start": "2024-01-01", "end": "2024-03-31", "grain": "week", "channel": "门店",
                              "tier": None, "compare": "year"})
    assert state == GlobalFilters(D(2024, 1, 1), D(2024, 3, 31), "week", "year", channel="门店")
    assert bad == []
    assert state.params() == {"start": "2024-01-01", "end": "2024-03-31", "grain": "week", "compare": "year",
                              "channel": "门店"}
    assert GlobalFilters().params() == {"grain": "month"}


@pytest.mark.parametrize(("params", "bad"), [
    ({"start": "2024-13-01", "end": "2024-03-31"}, ["start"]),
    ({"start": "2024-04-01", "end": "2024-03-31"}, ["range"]),
    ({"grain": "year"}, ["grain"]),
    ({"compare": "<script>"}, ["compare"]),
    ({"staff": "x" * 101}, ["staff"]),
    ({"store": ""}, ["store"]),
])
def test_bad_url_values_are_dropped_and_named(params, bad):
    state, dropped = from_params(params)
    assert dropped == bad
    assert state == GlobalFilters()  # everything falls back to the defaults


def test_one_side_of_a_range_alone_is_the_default_range():
    state, bad = from_params({"start": "2024-01-01"})
    assert (state.start, state.end, bad) == (None, None, [])
