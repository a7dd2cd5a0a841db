"""Parameter parsing and input helpers shared by runners_cohorts and runners_community.

Kept apart from both so that importing either runner module first never meets a half-initialised
other one (registry imports the runners; the runners import these helpers, not each other).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import inputs
from siyu.metrics.periods import DateRange, parse_date


def choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise MetricError(f"参数 {name}={value!r}：只能是 {' | '.join(allowed)} / {name} must be one of {allowed}")
    return value


def as_of_range(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> tuple[DateRange, dt.date | None]:
    """start/end as given, and the "as of" day: the data's last day, or `end` when that is earlier."""
    rng = DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))
    last = inputs.data_last_day(con)
    if last is None:
        return rng, None
    return rng, last if rng.end is None else min(rng.end, last)


def order_days(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of valid orders (the cached narrow frame, sorted by member then day)."""
    return inputs.valid_orders_cached(con)


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


def number(params: Mapping[str, str], name: str, default: float | None, low: float | None = None) -> float | None:
    """A decimal parameter; `default` when absent; below `low` (when given) is refused."""
    raw = params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise MetricError(f"参数 {name}={raw!r} 不是数字 / {name} must be a number") from exc
    if low is not None and value < low:
        raise MetricError(f"参数 {name}={raw!r}：不能小于 {low} / {name} must be >= {low}")
    return value
