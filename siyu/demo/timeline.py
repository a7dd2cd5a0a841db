"""Calendar shape of the demo: growth, 双11 / 618 peaks, the Spring Festival lull, hours of the day.

Times are int64 seconds since 1970-01-01 in naive local time. A `Warp` maps real time to
"operational" days whose density follows an hourly intensity curve: events drawn evenly in
operational time land on the calendar with the curve's seasonality, all vectorised.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from siyu.demo.catalog import END, START

EPOCH = dt.datetime(1970, 1, 1)
DAY = 86_400


def seconds(moment: dt.datetime | dt.date) -> int:
    """Seconds since 1970-01-01 of a naive datetime (a date means its midnight)."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time())
    return int((moment - EPOCH).total_seconds())


START_S = seconds(START)
END_S = seconds(END)
DAYS = np.arange(np.datetime64(START.date()), np.datetime64(END.date()) + 1)   # every calendar day
SPRING_FESTIVALS = (dt.date(2024, 2, 10), dt.date(2025, 1, 29), dt.date(2026, 2, 17))
# Share of a day's activity per hour: quiet nights, a lunch bump, the 20:00-22:00 peak.
HOUR_PROFILE = np.array([0.35, 0.2, 0.1, 0.06, 0.05, 0.07, 0.15, 0.35, 0.6, 0.8, 0.95, 1.0,
                         1.05, 0.95, 0.9, 0.9, 0.95, 1.0, 1.1, 1.3, 1.5, 1.6, 1.4, 0.9])


def _days_from(month: int, day: int) -> np.ndarray:
    """Signed days from each calendar day to the nearest (month, day) anniversary."""
    out = np.full(len(DAYS), 10_000.0)
    for year in range(START.year - 1, END.year + 2):
        target = np.datetime64(dt.date(year, month, day))
        delta = (DAYS - target).astype(np.int64).astype(float)
        out = np.where(np.abs(delta) < np.abs(out), delta, out)
    return out


def _peak(month: int, day: int, height: float, lead: float) -> np.ndarray:
    """A shopping festival: rising over `lead` days of pre-sales, collapsing the day after."""
    delta = _days_from(month, day)
    shape = np.where(delta <= 0, np.exp(delta / lead), np.exp(-delta / 1.2))
    return height * np.where(delta > -4 * lead, shape, 0.0)


def festival_boost() -> np.ndarray:
    """Per calendar day, 0..1: how deep inside a 双11 or 618 campaign the day is."""
    return np.clip(_peak(11, 11, 1.0, 5.0) + _peak(6, 18, 1.0, 4.0), 0.0, 1.0)


def day_factors(*, growth: float, double11: float, mid618: float) -> np.ndarray:
    """Relative activity of each calendar day: yearly growth x festivals x Spring Festival x weekends."""
    years = (DAYS - DAYS[0]).astype(np.int64) / 365.25
    factor = np.exp(growth * years) * (1.0 + _peak(11, 11, double11, 5.0) + _peak(6, 18, mid618, 4.0))
    for festival in SPRING_FESTIVALS:
        delta = (DAYS - np.datetime64(festival)).astype(np.int64).astype(float)
        factor *= 1.0 - 0.55 * np.exp(-((delta / 6.0) ** 2))
    weekday = (DAYS.astype(np.int64) + 3) % 7   # 1970-01-01 was a Thursday; 0 = Monday
    return factor * np.where(weekday >= 5, 1.12, 1.0)


class Warp:
    """Piecewise-linear map between real seconds and operational days (hourly knots)."""

    def __init__(self, factors: np.ndarray) -> None:
        hourly = np.repeat(factors, 24) * np.tile(HOUR_PROFILE, len(factors))
        cumulative = np.concatenate([[0.0], np.cumsum(hourly)])
        self.knots_s = START_S + 3600 * np.arange(len(cumulative), dtype=np.int64)
        self.knots_op = cumulative * (len(factors) / cumulative[-1])
        self.total = float(self.knots_op[-1])

    def to_op(self, secs: np.ndarray) -> np.ndarray:
        return np.interp(secs, self.knots_s, self.knots_op)

    def to_seconds(self, op: np.ndarray) -> np.ndarray:
        return np.floor(np.interp(op, self.knots_op, self.knots_s)).astype(np.int64)


JOIN_WARP = Warp(day_factors(growth=0.45, double11=2.5, mid618=1.5))
ORDER_WARP = Warp(day_factors(growth=0.0, double11=4.0, mid618=2.5))


def quarter_ends() -> list[dt.date]:
    """Quarter-end dates inside the data: the days member snapshots are taken."""
    ends = []
    for year in range(START.year, END.year + 1):
        for month, day in ((3, 31), (6, 30), (9, 30), (12, 31)):
            day_ = dt.date(year, month, day)
            if START.date() <= day_ <= END.date():
                ends.append(day_)
    return ends
