"""The cohort metrics: retention (and the members behind one cell), lifecycle, rfm, rfm_segments (and the
members of one segment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of, as_of_range, choice, integer, number, order_days
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import DateRange, parse_date
from siyu.metrics.retention import COHORTS, MEASURES, MODES, cohort_retention

GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class RetentionParams:
    """retention's parameters, parsed and checked once, in this order, with the messages the CLI and the
    pages show (siyu.engine.params)."""

    cohort: str = "first_order"
    grain: str = "month"
    measure: str = "members"
    mode: str = "on"
    days: DateRange = DateRange()
    """First and last cohort day; the last is also the as-of day when it is before the data's last day."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RetentionParams:
        return cls(cohort=choice(params, "cohort", COHORTS, "first_order"),
                   grain=choice(params, "grain", GRAINS, "month"),
                   measure=choice(params, "measure", MEASURES, "members"),
                   mode=choice(params, "mode", MODES, "on"),
                   days=DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end")))


def retention(ctx: ReadContext, p: RetentionParams) -> pl.DataFrame:
    """The retention triangle (siyu.metrics.retention.cohort_retention) in the context's scope."""
    members = None if p.cohort == "first_order" else inputs.members_channel(ctx)
    orders = order_days(ctx)  # sorted by member then day: assume_sorted below
    return cohort_retention(orders, members, as_of=as_of(ctx, p.days.end), cohort=p.cohort, grain=p.grain,
                            measure=p.measure, mode=p.mode, start=p.days.start, end=p.days.end, assume_sorted=True)


def _run_retention(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    return retention(ctx, RetentionParams.parse(params))


_RETENTION = MetricSpec(
    name="retention",
    summary="同期群留存/LTV 三角 / cohort retention and revenue triangle",
    params={"cohort": "first_order | joined | channel (default first_order)",
            "grain": "day | week | month (default month; weeks start on Monday)",
            "measure": "members | revenue (default members)",
            "mode": "on | on_or_after (default on)",
            "start": "first cohort day, ISO date (optional)",
            "end": "last cohort day and the as-of day, ISO date (optional; default the data's last day)"},
    run=_run_retention,
)


@dataclass(frozen=True)
class CohortMembersParams:
    """cohort_members' parameters, parsed and checked once (the cell of the retention triangle)."""

    cohort_start: dt.date
    cohort: str = "first_order"
    grain: str = "month"
    mode: str = "on"
    period: int = 0
    channel: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> CohortMembersParams:
        cohort = choice(params, "cohort", COHORTS, "first_order")
        grain = choice(params, "grain", GRAINS, "month")
        mode = choice(params, "mode", MODES, "on")
        start = parse_date(params.get("cohort_start"), "cohort_start")
        if start is None:
            raise MetricError("需要 cohort_start（同期群的第一天）/ cohort_start is required")
        rng = DateRange(parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))
        return cls(cohort_start=start, cohort=cohort, grain=grain, mode=mode, start=rng.start, end=rng.end,
                   period=integer(params, "period", 0), channel=params.get("channel") or None)


def cohort_members_of(ctx: ReadContext, p: CohortMembersParams) -> pl.DataFrame:
    """The members behind one cell of the retention triangle (siyu.metrics.cohort_members)."""
    from siyu.metrics.cohort_members import cohort_members

    members = None if p.cohort == "first_order" else inputs.members_channel(ctx)
    return cohort_members(order_days(ctx), members, as_of=as_of(ctx, p.end), cohort=p.cohort, grain=p.grain,
                          cohort_start=p.cohort_start, period=p.period, mode=p.mode, channel=p.channel,
                          start=p.start, end=p.end)  # the triangle's range: a cell lists who it counts


def _run_cohort_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    return cohort_members_of(ctx, CohortMembersParams.parse(params))


_COHORT_MEMBERS = MetricSpec(
    name="cohort_members",
    summary="留存三角某一格背后的会员 / the members behind one cell of the retention triangle",
    params={"cohort": "first_order | joined | channel (default first_order)", "grain": "day | week | month",
            "mode": "on | on_or_after", "cohort_start": "first day of the cohort's period (ISO date)",
            "period": "period k (0 = the cohort's own period)", "channel": "the channel (cohort=channel)",
            "start": "first cohort day of the triangle's range (optional, as retention's start)",
            "end": "last cohort day and as-of day (default: the data's last day)"},
    run=_run_cohort_members,
)


def _run_rfm(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.rfm import UNITS, rfm_summary

    return rfm_summary(order_days(ctx),
                       observation_end=parse_date(params.get("observation_end"), "observation_end"),
                       calibration_end=parse_date(params.get("calibration_end"), "calibration_end"),
                       unit=choice(params, "unit", tuple(UNITS), "day"), assume_sorted=True)


_RFM = MetricSpec(
    name="rfm",
    summary="RFM 汇总（BG/NBD 输入）/ buy-till-you-die RFM summary per buyer",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "unit": "day | week (default day; week = days / 7)",
            "calibration_end": "ISO date (optional): summary at this day, later orders ignored"},
    run=_run_rfm,
)


def _run_lifecycle(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.lifecycle import buyer_lifecycle

    grain = choice(params, "grain", ("day", "week", "month"), "month")
    rng, as_of = as_of_range(ctx, params)
    return buyer_lifecycle(order_days(ctx), as_of=as_of, grain=grain, start=rng.start, assume_sorted=True)


_LIFECYCLE = MetricSpec(
    name="lifecycle",
    summary="买家生命周期：新客、回头客、召回、沉睡（PostHog 定义）/ new, returning, resurrecting, dormant buyers",
    params={"grain": "day | week | month (default month)", "start": "first period shown (optional)",
            "end": "as-of day (default: the data's last day)"},
    run=_run_lifecycle,
)


def _run_rfm_segments(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.rfm_segments import rfm_cutoffs, rfm_segments

    view = choice(params, "view", ("members", "cutoffs"), "members")
    observation_end = parse_date(params.get("observation_end"), "observation_end")
    cuts = {k: number(params, k, None) for k in ("r_cut", "f_cut", "m_cut")}
    # Once per data, scope and cut-offs: the Segments page's member list (segment_members) reuses it.
    frame = frame_cache.memo(ctx, ("rfm_segments", observation_end, *cuts.values()),
                             lambda: rfm_segments(order_days(ctx), observation_end=observation_end, **cuts,
                                                  assume_sorted=True), large=True)
    return frame if view == "members" else rfm_cutoffs(frame)


_RFM_SEGMENTS = MetricSpec(
    name="rfm_segments",
    summary="RFM 分层：经典网格与八大类 / RFM segments: the classic grid and the Chinese 8-way split",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "r_cut": "days since last purchase at or below which R is high (default: mean)",
            "f_cut": "purchase days at or above which F is high (default: mean)",
            "m_cut": "net yuan at or above which M is high (default: mean)",
            "view": "members (one row per buyer) | cutoffs (quintile boundaries)"},
    run=_run_rfm_segments,
)


SEGMENT_STANDARDS = {"cn": "cn_segment", "classic": "segment"}


def _run_segment_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:

    standard = choice(params, "standard", tuple(SEGMENT_STANDARDS), "cn")
    wanted = params.get("segment") or ""
    passed = {k: params[k] for k in ("observation_end", "r_cut", "f_cut", "m_cut") if params.get(k)}
    frame = _run_rfm_segments(ctx, {**passed, "view": "members"})  # the page's own, from memory
    chosen = frame.filter(pl.col(SEGMENT_STANDARDS[standard]) == wanted)
    contacts = inputs.member_contacts(ctx, sorted({int(v) for v in chosen["member_id"].to_list()}))
    return (chosen.with_columns(pl.col("member_id").cast(pl.String))
            .join(contacts, on="member_id", how="left")
            .select("member_id", "display_name", "phone", "last_order", "recency_days", "frequency", "monetary",
                    pl.col(SEGMENT_STANDARDS[standard]).alias("segment"))
            .sort(["monetary", "member_id"], descending=[True, False]))


_SEGMENT_MEMBERS = MetricSpec(
    name="segment_members",
    summary="某个 RFM 分群的会员名单（召回用：昵称、手机号、最近下单）/ the members of one RFM segment, with contacts",
    params={"standard": "cn (八大类) | classic (RFM grid)", "segment": "segment name, as rfm_segments spells it",
            "observation_end": "as rfm_segments", "r_cut": "as rfm_segments", "f_cut": "as rfm_segments",
            "m_cut": "as rfm_segments"},
    run=_run_segment_members,
)


def _run_lifecycle_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.lifecycle_members import STATUSES, lifecycle_members

    period = parse_date(params.get("period_start"), "period_start")
    if period is None:
        raise MetricError("需要 period_start（该期间的第一天）/ period_start is required")
    _, as_of_day = as_of_range(ctx, params)
    return lifecycle_members(order_days(ctx), as_of=as_of_day, grain=choice(params, "grain", ("day", "week", "month"), "month"),
                             period_start=period, status=choice(params, "status", STATUSES, "new"))


_LIFECYCLE_MEMBERS = MetricSpec(
    name="lifecycle_members",
    summary="买家生命周期某一根柱子背后的会员 / the members behind one bar of the buyer lifecycle",
    params={"grain": "day | week | month", "period_start": "first day of the period (ISO date)",
            "status": "new | returning | resurrecting | dormant", "end": "as-of day (default: the data's last day)"},
    run=_run_lifecycle_members,
)


SPECS: tuple[MetricSpec, ...] = (_RETENTION, _COHORT_MEMBERS, _RFM, _LIFECYCLE, _RFM_SEGMENTS, _SEGMENT_MEMBERS,
                                 _LIFECYCLE_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
