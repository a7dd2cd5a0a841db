"""Registry entries for the cohort metrics: retention, lifecycle, rfm, rfm_segments, concentration, tiers."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import frame_cache, inputs
from siyu.metrics.periods import parse_date
from siyu.metrics.registry import MetricSpec, register
from siyu.metrics.retention import COHORTS, MEASURES, MODES, cohort_retention
from siyu.metrics.runner_params import as_of_range, choice, number, order_days


def _run_retention(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    cohort = choice(params, "cohort", COHORTS, "first_order")
    grain = choice(params, "grain", ("day", "week", "month"), "month")
    measure = choice(params, "measure", MEASURES, "members")
    mode = choice(params, "mode", MODES, "on")
    rng, as_of = as_of_range(con, params)
    members = None if cohort == "first_order" else inputs.members_channel(con)
    orders = order_days(con)  # sorted by member then day: assume_sorted below
    return cohort_retention(orders, members, as_of=as_of, cohort=cohort, grain=grain, measure=measure,
                            mode=mode, start=rng.start, end=rng.end, assume_sorted=True)


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
                       unit=choice(params, "unit", tuple(UNITS), "day"), assume_sorted=True)


register(MetricSpec(
    name="rfm",
    summary="RFM 汇总（BG/NBD 输入）/ buy-till-you-die RFM summary per buyer",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "unit": "day | week (default day; week = days / 7)",
            "calibration_end": "ISO date (optional): summary at this day, later orders ignored"},
    run=_run_rfm,
))


def _run_concentration(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.concentration import gmv_concentration
    from siyu.metrics.registry import resolve_range

    rng = resolve_range(con, params)
    orders = order_days(con).filter(pl.col("paid_at").cast(pl.Date).is_between(rng.start, rng.end))
    return gmv_concentration(orders)


def _run_tiers(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.registry import resolve_range
    from siyu.metrics.tiers import tier_distribution

    rng = resolve_range(con, params)
    return tier_distribution(inputs.members(con), inputs.member_snapshots(con), inputs.tiers(con),
                             order_days(con), start=rng.start, end=rng.end, assume_sorted=True)


def _run_tier_migration(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_migration import SCHEMA, tier_migration

    dates = inputs.snapshot_dates(con)
    to_date = parse_date(params.get("to"), "to") or (dates[0] if dates else None)
    from_date = parse_date(params.get("from"), "from")
    if from_date is None:
        earlier = [d for d in dates if to_date is not None and d < to_date]
        from_date = earlier[0] if earlier else None
    if from_date is None or to_date is None:
        return pl.DataFrame(schema=SCHEMA)
    if from_date > to_date:
        raise MetricError(f"from={from_date} 晚于 to={to_date} / from must be on or before to")
    return tier_migration(inputs.member_snapshots(con), inputs.tiers(con), from_date=from_date, to_date=to_date,
                          assume_sorted=True)


_RANGE = {"start": "first day, ISO date (default: first day in the data)",
          "end": "last day, inclusive (default: last day in the data)"}
register(MetricSpec(
    name="concentration",
    summary="GMV 集中度：头部买家占比、洛伦兹曲线、基尼系数 / GMV concentration, Lorenz curve, Gini",
    params=dict(_RANGE),
    run=_run_concentration,
))
register(MetricSpec(
    name="tiers",
    summary="会员等级分布：人数、购买人数、GMV、ARPU / members and GMV by tier",
    params=dict(_RANGE),
    run=_run_tiers,
))
register(MetricSpec(
    name="tier_migration",
    summary="等级迁移矩阵（桑基图）/ tier migration matrix between two snapshot dates",
    params={"from": "first date (default: the snapshot date before `to`)",
            "to": "second date (default: the latest snapshot date)"},
    run=_run_tier_migration,
))


def _run_lifecycle(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.lifecycle import buyer_lifecycle

    grain = choice(params, "grain", ("day", "week", "month"), "month")
    rng, as_of = as_of_range(con, params)
    return buyer_lifecycle(order_days(con), as_of=as_of, grain=grain, start=rng.start, assume_sorted=True)


register(MetricSpec(
    name="lifecycle",
    summary="买家生命周期：新客、回头客、召回、沉睡（PostHog 定义）/ new, returning, resurrecting, dormant buyers",
    params={"grain": "day | week | month (default month)", "start": "first period shown (optional)",
            "end": "as-of day (default: the data's last day)"},
    run=_run_lifecycle,
))



def _run_rfm_segments(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.rfm_segments import rfm_cutoffs, rfm_segments

    view = choice(params, "view", ("members", "cutoffs"), "members")
    observation_end = parse_date(params.get("observation_end"), "observation_end")
    cuts = {k: number(params, k, None) for k in ("r_cut", "f_cut", "m_cut")}
    # Once per data, scope and cut-offs: the Segments page's member list (segment_members) reuses it.
    frame = frame_cache.memo(con, ("rfm_segments", observation_end, *cuts.values()),
                             lambda: rfm_segments(order_days(con), observation_end=observation_end, **cuts,
                                                  assume_sorted=True), large=True)
    return frame if view == "members" else rfm_cutoffs(frame)


register(MetricSpec(
    name="rfm_segments",
    summary="RFM 分层：经典网格与八大类 / RFM segments: the classic grid and the Chinese 8-way split",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "r_cut": "days since last purchase at or below which R is high (default: mean)",
            "f_cut": "purchase days at or above which F is high (default: mean)",
            "m_cut": "net yuan at or above which M is high (default: mean)",
            "view": "members (one row per buyer) | cutoffs (quintile boundaries)"},
    run=_run_rfm_segments,
))
