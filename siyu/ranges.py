"""The dashboard's default range and comparison period, shared by siyu/ui/filters.py and siyu/report
(so the page and the report pick the same days)."""

from __future__ import annotations

import datetime as dt

from siyu.metrics.periods import DateRange


def previous_period(rng: DateRange) -> DateRange:
    """The period of the same length that ends the day before `rng` starts."""
    end = rng.start - dt.timedelta(days=1)
    return DateRange(end - (rng.end - rng.start), end)


def range_params(rng: DateRange) -> dict[str, str]:
    """The metric parameters (and URL values) of a range."""
    return {"start": rng.start.isoformat(), "end": rng.end.isoformat()}


def default_range(first: dt.date, last: dt.date) -> DateRange:
    """The last 12 months of data, ending on the data's last day (or all of it, if shorter)."""
    try:
        year_before = last.replace(year=last.year - 1)
    except ValueError:  # 29 February
        year_before = last.replace(year=last.year - 1, day=28)
    return DateRange(max(first, year_before + dt.timedelta(days=1)), last)
