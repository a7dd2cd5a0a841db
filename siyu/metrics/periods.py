"""Date-range helpers shared by the metrics: inclusive calendar days, the data's "as of" instant."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from siyu.errors import MetricError


@dataclass(frozen=True)
class DateRange:
    """Whole calendar days [start, end], both inclusive; None means unbounded on that side."""

    start: dt.date | None = None
    end: dt.date | None = None

    def __post_init__(self) -> None:
        if self.start and self.end and self.start > self.end:
            raise MetricError(f"开始日期 {self.start} 晚于结束日期 {self.end} / start is after end")

    @property
    def lo(self) -> dt.datetime | None:
        return dt.datetime.combine(self.start, dt.time()) if self.start else None

    @property
    def hi(self) -> dt.datetime | None:
        """Exclusive upper bound: midnight after the end day."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time()) if self.end else None


def parse_date(value: object, name: str) -> dt.date | None:
    """ISO date (2024-03-05) or None. Anything else is a MetricError naming the parameter."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise MetricError(f"参数 {name}={value!r} 不是日期，请写成 2024-03-05 / {name} must be an ISO date") from exc
