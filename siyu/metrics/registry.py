"""Every metric the CLI and the pages can ask for by name, with the parameters it accepts.

A runner takes an open read-only connection and the parameters as strings, fetches the narrow
inputs it needs and calls the pure metric function.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import duckdb
import polars as pl

from siyu.db import query
from siyu.errors import MetricError
from siyu.metrics import frame_cache, inputs
from siyu.metrics.kpi_trend import GRAINS, kpi_trend
from siyu.metrics.kpis import kpis
from siyu.metrics.periods import DateRange, parse_date

Runner = Callable[[duckdb.DuckDBPyConnection, Mapping[str, str]], pl.DataFrame]


@dataclass(frozen=True)
class MetricSpec:
    name: str
    summary: str
    params: dict[str, str]
    run: Runner
    single_row: bool = False
    """JSON output is one object rather than a list of rows."""
    defaults: dict[str, str] = field(default_factory=dict)


REGISTRY: dict[str, MetricSpec] = {}


def register(spec: MetricSpec) -> MetricSpec:
    REGISTRY[spec.name] = spec
    return spec


def resolve_range(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> DateRange:
    """start/end from the parameters; missing sides default to the first and last day of the data
    (not today: exports are historical, and a stale export must not read as an empty private domain)."""
    start = parse_date(params.get("start"), "start")
    end = parse_date(params.get("end"), "end")
    if start is None or end is None:
        bounds = query(con, "data_bounds").row(0, named=True)
        today = dt.date.today()
        start = start or (bounds["first_at"].date() if bounds["first_at"] else today)
        end = end or (bounds["last_at"].date() if bounds["last_at"] else today)
        if start > end:  # only one side given and it lies beyond the data
            end = start if params.get("start") else end
            start = min(start, end)
    return DateRange(start, end)


def _with_range(frame: pl.DataFrame, rng: DateRange) -> pl.DataFrame:
    return frame.with_columns(pl.lit(rng.start).alias("start"), pl.lit(rng.end).alias("end"))


def _run_kpis(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    rng = resolve_range(con, params)
    frame = kpis(inputs.members(con), inputs.valid_orders_cached(con), inputs.friends(con), lo=rng.lo, hi=rng.hi)
    return _with_range(frame, rng)


def _run_kpi_trend(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    rng = resolve_range(con, params)
    grain = params.get("grain", "month")
    if grain not in GRAINS:
        raise MetricError(f"grain={grain!r}：只能是 day、week 或 month / grain must be day, week or month")
    return kpi_trend(inputs.members(con), inputs.valid_orders_cached(con), inputs.friends(con),
                     lo=rng.lo, hi=rng.hi, grain=grain)


register(MetricSpec(
    name="kpis",
    summary="会员、有效会员、购买人数、有效订单、GMV、ARPU、复购率 / headline KPIs of a date range",
    params={"start": "first day, ISO date (default: first day in the data)",
            "end": "last day, inclusive (default: last day in the data)"},
    run=_run_kpis,
    single_row=True,
))
register(MetricSpec(
    name="kpi_trend",
    summary="按日/周/月的新增会员、好友增删、购买人数、订单、GMV / flow KPIs per period",
    params={"start": "first day (ISO date)", "end": "last day, inclusive", "grain": "day | week | month"},
    run=_run_kpi_trend,
))


# Runner modules register themselves on import; each team edits only its own module.
from siyu.metrics import (  # noqa: E402,F401
    runners_clv,
    runners_cohorts,
    runners_community,
    runners_costs,
    runners_pages,
)


def run_metric(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, str]) -> tuple[MetricSpec, pl.DataFrame]:
    """Look the metric up, check its parameters, run it."""
    spec = REGISTRY.get(name)
    if spec is None:
        raise MetricError(f"没有名为 {name!r} 的指标；可用：{', '.join(sorted(REGISTRY))} / unknown metric")
    unknown = sorted(set(params) - set(spec.params))
    if unknown:
        raise MetricError(
            f"指标 {name} 不接受参数 {unknown}；可用参数：{sorted(spec.params)} / unknown parameter(s)")
    with frame_cache.bound(con):  # the data version and scope of `con` are read once per run
        return spec, spec.run(con, {**spec.defaults, **params})
