"""Calendar periods as integers, so cohort arithmetic is integer subtraction.

day   -> days since 1970-01-01
week  -> ISO weeks (Monday start) since the week of 1969-12-29 (1970-01-01 was a Thursday)
month -> year * 12 + month - 1
Period k of a cohort is then `index(order) - index(cohort)`: whole calendar periods between them.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError

GRAINS = ("day", "week", "month")
_EPOCH = dt.date(1970, 1, 1)


def check_grain(grain: str) -> str:
    if grain not in GRAINS:
        raise MetricError(f"grain={grain!r}：只能是 day、week 或 month / grain must be day, week or month")
    return grain


def period_index(day: pl.Expr, grain: str) -> pl.Expr:
    """Integer index of the calendar period containing `day` (a Date expression)."""
    check_grain(grain)
    if grain == "month":
        return (day.dt.year().cast(pl.Int32) * 12 + day.dt.month().cast(pl.Int32) - 1).cast(pl.Int32)
    days = day.cast(pl.Int32)
    return days if grain == "day" else (days + 3) // 7


def period_start(index: pl.Expr, grain: str) -> pl.Expr:
    """First day (Date) of the period with integer `index`."""
    check_grain(grain)
    if grain == "month":
        return pl.date(index // 12, index % 12 + 1, 1)
    days = index if grain == "day" else index * 7 - 3
    return days.cast(pl.Int32).cast(pl.Date)


def index_of(day: dt.date, grain: str) -> int:
    """Python twin of `period_index` for one date."""
    check_grain(grain)
    if grain == "month":
        return day.year * 12 + day.month - 1
    days = (day - _EPOCH).days
    return days if grain == "day" else (days + 3) // 7


def start_of(index: int, grain: str) -> dt.date:
    """Python twin of `period_start`."""
    check_grain(grain)
    if grain == "month":
        return dt.date(index // 12, index % 12 + 1, 1)
    return _EPOCH + dt.timedelta(days=index if grain == "day" else index * 7 - 3)


def last_complete_index(as_of: dt.date, grain: str) -> int:
    """The newest period whose last day is on or before `as_of` (periods after it are incomplete)."""
    idx = index_of(as_of, grain)
    return idx if start_of(idx + 1, grain) - dt.timedelta(days=1) <= as_of else idx - 1


def as_day(col: str, schema: pl.Schema) -> pl.Expr:
    """`col` as a Date whether it holds dates or timestamps."""
    return pl.col(col) if schema[col] == pl.Date else pl.col(col).cast(pl.Date)
