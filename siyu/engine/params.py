"""Parameter parsing and validation shared by the domain modules of the catalog (siyu.engine.catalog).

Each helper refuses a bad value with the message the CLI and the pages show (Chinese first, then English).
The metrics' own parameter classes (RetentionParams, SuperUsersParams, ...) live next to their runners in the
domain modules and are built from these helpers; the classes shared by several metrics are here
(RangeParams, EndParams, NoParams).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import overload

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.errors import MetricError
from siyu.metrics.periods import DateRange, parse_date


def choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise MetricError(f"参数 {name}={value!r}：只能是 {' | '.join(allowed)} / {name} must be one of {allowed}")
    return value


@dataclass(frozen=True)
class Days:
    """Whole calendar days [start, end], both known and inclusive (a DateRange with both sides resolved)."""

    start: dt.date
    end: dt.date

    @property
    def lo(self) -> dt.datetime:
        return dt.datetime.combine(self.start, dt.time())

    @property
    def hi(self) -> dt.datetime:
        """Exclusive upper bound: midnight after the end day."""
        return dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time())


def parse_range(params: Mapping[str, str]) -> DateRange:
    """start/end as given (either may be missing); refuses a malformed day and start after end."""
    return DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))


def resolve_days(ctx: ReadContext, rng: DateRange) -> Days:
    """`rng` with missing sides defaulting to the first and last day of the data (not today: exports are
    historical, and a stale export must not read as an empty private domain)."""
    start, end = rng.start, rng.end
    if start is None or end is None:
        bounds = query(ctx.con, "data_bounds").row(0, named=True)
        today = dt.date.today()
        start = start or (bounds["first_at"].date() if bounds["first_at"] else today)
        end = end or (bounds["last_at"].date() if bounds["last_at"] else today)
        if start > end:  # only one side given and it lies beyond the data
            end = start if rng.start is not None else end
            start = min(start, end)
    return Days(start, end)


def resolve_range(ctx: ReadContext, params: Mapping[str, str]) -> Days:
    """start/end from the parameter strings, resolved as `resolve_days` does (for callers outside the
    catalog: the benchmarks)."""
    return resolve_days(ctx, parse_range(params))


@dataclass(frozen=True)
class RangeParams:
    """The parameters of the metrics that read one date range and nothing else (kpis, concentration,
    tiers, channel_survival, staff): start and end, either may be missing."""

    days: DateRange = DateRange()

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RangeParams:
        return cls(parse_range(params))


@dataclass(frozen=True)
class EndParams:
    """The parameters of the metrics that read only an "as of" day (groups, group_layers, group_layer_moves):
    end, missing = the data's last day."""

    end: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> EndParams:
        return cls(parse_date(params.get("end"), "end"))


@dataclass(frozen=True)
class NoParams:
    """The parameters of a metric that takes none (snapshot_dates, channel_cost_rows, group_daily,
    campaigns, points_value ...)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> NoParams:
        return cls()


MAX_IDS = 1_000_000  # the longest recall list a page asks contacts for (a segment of a very large brand)


def parse_ids(raw: str | None) -> list[int]:
    """'3,1,2' -> [1, 2, 3]: member ids as integers, strictly (digits and commas only), at most MAX_IDS."""
    if raw in (None, ""):
        return []
    parts = raw.split(",")
    if len(parts) > MAX_IDS or not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        raise MetricError(f"参数 ids 只能是逗号分隔的会员编号（最多 {MAX_IDS} 个）/ ids must be comma-separated member ids")
    return sorted({int(p) for p in parts})


def as_of(ctx: ReadContext, end: dt.date | None) -> dt.date | None:
    """The "as of" day: the data's last day in the context's scope, or `end` when that is earlier."""
    last = inputs.data_last_day(ctx)
    if last is None:
        return None
    return last if end is None else min(end, last)


order_days = inputs.valid_orders_cached
"""member_id, paid_at, net_cents of valid orders (the cached narrow frame, sorted by member then day): the
name the runners use, bound directly so that it adds no call between a runner and the frame."""


def flag(params: Mapping[str, str], name: str, default: bool = False) -> bool:
    raw = (params.get(name) or "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise MetricError(f"参数 {name}={raw!r}：只能是 true 或 false / {name} must be true or false")


def integer(params: Mapping[str, str], name: str, default: int, low: int = 0) -> int:
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        value = low - 1
    if value < low:
        raise MetricError(f"参数 {name}={raw!r}：需要 >= {low} 的整数 / {name} must be an integer >= {low}")
    return value


@overload
def number(params: Mapping[str, str], name: str, default: float, low: float | None = None) -> float: ...
@overload
def number(params: Mapping[str, str], name: str, default: None, low: float | None = None) -> float | None: ...
def number(params: Mapping[str, str], name: str, default: float | None, low: float | None = None) -> float | None:
    """A decimal parameter; `default` when absent; below `low` (when given) is refused."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise MetricError(f"参数 {name}={raw!r} 不是数字 / {name} must be a number") from exc
    if low is not None and value < low:
        raise MetricError(f"参数 {name}={raw!r}：不能小于 {low} / {name} must be >= {low}")
    return value


RANGE_PARAMS = {"start": "first day, ISO date (default: first day in the data)",
                "end": "last day, inclusive (default: last day in the data)"}
"""The parameters of the metrics that read one date range (resolve_range)."""
