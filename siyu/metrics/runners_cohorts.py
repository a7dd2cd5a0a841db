"""Registry entries for the cohort metrics: retention, lifecycle, rfm, rfm_segments, concentration, tiers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import inputs
from siyu.metrics.periods import DateRange, parse_date
from siyu.metrics.registry import MetricSpec, register
from siyu.metrics.retention import COHORTS, MEASURES, MODES, cohort_retention


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
    """Valid orders per member-day, with the day in `paid_at` as the pure functions expect."""
    return inputs.valid_order_days(con).rename({"day": "paid_at"})


def _run_retention(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    cohort = choice(params, "cohort", COHORTS, "first_order")
    grain = choice(params, "grain", ("day", "week", "month"), "month")
    measure = choice(params, "measure", MEASURES, "members")
    mode = choice(params, "mode", MODES, "on")
    rng, as_of = as_of_range(con, params)
    if cohort == "first_order":
        orders, members = order_days(con), None
    else:  # the join-time cut needs order timestamps
        orders, members = inputs.valid_orders(con), inputs.members_channel(con)
    return cohort_retention(orders, members, as_of=as_of, cohort=cohort, grain=grain, measure=measure,
                            mode=mode, start=rng.start, end=rng.end)


register(MetricSpec(
    name="retention",
    summary="同期群留存/LTV 三角 / cohort retention and revenue triangle",
    params={"cohort": "first_order | joined | channel (default first_order)",
            "grain": "day | week | month (default month; weeks start on Monday)",
            "measure": "members | revenue (default members)",
            "mode": "on | on_or_after (default on)",
            "start": "first cohort day, ISO date (optional)",
            "end": "last cohort day and the as-of day, ISO date (optional; default the data's last day)"},
    run=_run_retention,
))


def _run_rfm(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.rfm import UNITS, rfm_summary

    return rfm_summary(order_days(con),
                       observation_end=parse_date(params.get("observation_end"), "observation_end"),
                       calibration_end=parse_date(params.get("calibration_end"), "calibration_end"),
                       unit=choice(params, "unit", tuple(UNITS), "day"))


register(MetricSpec(
    name="rfm",
    summary="RFM 汇总（BG/NBD 输入）/ buy-till-you-die RFM summary per buyer",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "unit": "day | week (default day; week = days / 7)",
            "calibration_end": "ISO date (optional): summary at this day, later orders ignored"},
    run=_run_rfm,
))
