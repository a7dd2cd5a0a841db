"""The dashboard's date ranges: the default range, the presets (近7天 … 全部) and the comparison period,
shared by siyu/ui/filters.py and siyu/report (so the page and the report pick the same days).

Everything here is plain date arithmetic with the anchor day passed in (never `date.today()` inside), so
the tests give literal days.
"""

from __future__ import annotations

import datetime as dt

from siyu.metrics.periods import DateRange

PRESETS = ("last7", "last30", "this_month", "last_month", "this_quarter", "this_year", "all")
COMPARES = ("previous", "year")  # 上一周期 (same length, just before) / 去年同期 (same days a year earlier)


def previous_period(rng: DateRange) -> DateRange:
    """The period of the same length that ends the day before `rng` starts."""
    end = rng.start - dt.timedelta(days=1)
    return DateRange(end - (rng.end - rng.start), end)


def year_before(day: dt.date) -> dt.date:
    """The same calendar day a year earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def same_period_last_year(rng: DateRange) -> DateRange:
    """The same calendar days one year earlier (2024-03-01..2024-03-31 -> 2023-03-01..2023-03-31)."""
    return DateRange(year_before(rng.start), year_before(rng.end))


def comparison_period(rng: DateRange, compare: str) -> DateRange:
    """What the KPI deltas compare with: `previous` (the period just before) or `year` (a year earlier)."""
    if compare == "year":
        return same_period_last_year(rng)
    return previous_period(rng)


def range_params(rng: DateRange) -> dict[str, str]:
    """The metric parameters (and URL values) of a range."""
    return {"start": rng.start.isoformat(), "end": rng.end.isoformat()}


def anchor_day(last_order: dt.date | None, last_data: dt.date, today: dt.date | None = None) -> dt.date:
    """The day ranges end on: the last order day (importing a WeCom friend list or a member export must not
    move it), the data's last day when there are no orders, and never after `today` when that is given
    (an order dated in the future is a data error, not a reason to show empty days)."""
    day = last_order or last_data
    return min(day, today) if today is not None else day


def default_range(first: dt.date, last: dt.date) -> DateRange:
    """The 12 months ending on `last` (pass the anchor day: the last order day), or from `first` if shorter."""
    start = max(first, year_before(last) + dt.timedelta(days=1))
    return DateRange(min(start, last), last)


def preset_range(name: str, *, anchor: dt.date, first: dt.date, last: dt.date) -> DateRange:
    """A preset's days, counted back from `anchor` (the last order day): last7 = the 7 days ending on it,
    this_month = its month up to it, last_month = the whole month before, this_quarter / this_year = the
    quarter / year up to it, all = the data's first to last day. Raises KeyError for an unknown name."""
    if name == "last7":
        return DateRange(anchor - dt.timedelta(days=6), anchor)
    if name == "last30":
        return DateRange(anchor - dt.timedelta(days=29), anchor)
    if name == "this_month":
        return DateRange(anchor.replace(day=1), anchor)
    if name == "last_month":
        end = anchor.replace(day=1) - dt.timedelta(days=1)
        return DateRange(end.replace(day=1), end)
    if name == "this_quarter":
        return DateRange(anchor.replace(month=(anchor.month - 1) // 3 * 3 + 1, day=1), anchor)
    if name == "this_year":
        return DateRange(anchor.replace(month=1, day=1), anchor)
    if name == "all":
        return DateRange(min(first, anchor), max(last, anchor))
    raise KeyError(name)


def matching_preset(rng: DateRange, *, anchor: dt.date, first: dt.date, last: dt.date) -> str | None:
    """The preset whose days are exactly `rng` (the first in PRESETS order), or None for a custom range."""
    return next((name for name in PRESETS
                 if preset_range(name, anchor=anchor, first=first, last=last) == rng), None)
