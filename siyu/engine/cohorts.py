"""The cohort metrics: retention (and the members behind one cell), lifecycle, rfm, rfm_segments (and the
members of one segment)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.engine import frame_cache, inputs, lookups
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of, choice, integer, number, order_days, parse_range
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
                   days=parse_range(params))


def retention(ctx: ReadContext, p: RetentionParams) -> pl.DataFrame:
    """The retention triangle (siyu.metrics.retention.cohort_retention) in the context's scope."""
    members = None if p.cohort == "first_order" else inputs.members_channel(ctx)
    orders = order_days(ctx)  # sorted by member then day: assume_sorted below
    return cohort_retention(orders, members, as_of=as_of(ctx, p.days.end), cohort=p.cohort, grain=p.grain,
                            measure=p.measure, mode=p.mode, start=p.days.start, end=p.days.end, assume_sorted=True)


_RETENTION = MetricSpec(
    name="retention",
    summary="同期群留存/LTV 三角 / cohort retention and revenue triangle",
    params={"cohort": "first_order | joined | channel (default first_order)",
            "grain": "day | week | month (default month; weeks start on Monday)",
            "measure": "members | revenue (default members)",
            "mode": "on | on_or_after (default on)",
            "start": "first cohort day, ISO date (optional)",
            "end": "last cohort day and the as-of day, ISO date (optional; default the data's last day)"},
    parse=RetentionParams.parse,
    run=retention,
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
        rng = parse_range(params)
        return cls(cohort_start=start, cohort=cohort, grain=grain, mode=mode, start=rng.start, end=rng.end,
                   period=integer(params, "period", 0), channel=params.get("channel") or None)


def cohort_members_of(ctx: ReadContext, p: CohortMembersParams) -> pl.DataFrame:
    """The members behind one cell of the retention triangle (siyu.metrics.cohort_members)."""
    from siyu.metrics.cohort_members import cohort_members

    members = None if p.cohort == "first_order" else inputs.members_channel(ctx)
    return cohort_members(order_days(ctx), members, as_of=as_of(ctx, p.end), cohort=p.cohort, grain=p.grain,
                          cohort_start=p.cohort_start, period=p.period, mode=p.mode, channel=p.channel,
                          start=p.start, end=p.end)  # the triangle's range: a cell lists who it counts


_COHORT_MEMBERS = MetricSpec(
    name="cohort_members",
    summary="留存三角某一格背后的会员 / the members behind one cell of the retention triangle",
    params={"cohort": "first_order | joined | channel (default first_order)", "grain": "day | week | month",
            "mode": "on | on_or_after", "cohort_start": "first day of the cohort's period (ISO date)",
            "period": "period k (0 = the cohort's own period)", "channel": "the channel (cohort=channel)",
            "start": "first cohort day of the triangle's range (optional, as retention's start)",
            "end": "last cohort day and as-of day (default: the data's last day)"},
    parse=CohortMembersParams.parse,
    run=cohort_members_of,
)


@dataclass(frozen=True)
class RfmParams:
    observation_end: dt.date | None = None
    calibration_end: dt.date | None = None
    unit: str = "day"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RfmParams:
        from siyu.metrics.rfm import UNITS

        return cls(observation_end=parse_date(params.get("observation_end"), "observation_end"),
                   calibration_end=parse_date(params.get("calibration_end"), "calibration_end"),
                   unit=choice(params, "unit", tuple(UNITS), "day"))


def _run_rfm(ctx: ReadContext, p: RfmParams) -> pl.DataFrame:
    from siyu.metrics.rfm import rfm_summary

    return rfm_summary(order_days(ctx), observation_end=p.observation_end, calibration_end=p.calibration_end,
                       unit=p.unit, assume_sorted=True)


_RFM = MetricSpec(
    name="rfm",
    summary="RFM 汇总（BG/NBD 输入）/ buy-till-you-die RFM summary per buyer",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "unit": "day | week (default day; week = days / 7)",
            "calibration_end": "ISO date (optional): summary at this day, later orders ignored"},
    parse=RfmParams.parse,
    run=_run_rfm,
)


@dataclass(frozen=True)
class LifecycleParams:
    grain: str = "month"
    days: DateRange = DateRange()
    """First period shown (start) and the as-of day (end)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> LifecycleParams:
        return cls(grain=choice(params, "grain", GRAINS, "month"), days=parse_range(params))


def _run_lifecycle(ctx: ReadContext, p: LifecycleParams) -> pl.DataFrame:
    from siyu.metrics.lifecycle import buyer_lifecycle

    return buyer_lifecycle(order_days(ctx), as_of=as_of(ctx, p.days.end), grain=p.grain, start=p.days.start,
                           assume_sorted=True)


_LIFECYCLE = MetricSpec(
    name="lifecycle",
    summary="买家生命周期：新客、回头客、召回、沉睡（PostHog 定义）/ new, returning, resurrecting, dormant buyers",
    params={"grain": "day | week | month (default month)", "start": "first period shown (optional)",
            "end": "as-of day (default: the data's last day)"},
    parse=LifecycleParams.parse,
    run=_run_lifecycle,
)


@dataclass(frozen=True)
class RfmSegmentsParams:
    view: str = "members"
    observation_end: dt.date | None = None
    r_cut: float | None = None
    f_cut: float | None = None
    m_cut: float | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RfmSegmentsParams:
        return cls(view=choice(params, "view", ("members", "cutoffs"), "members"),
                   observation_end=parse_date(params.get("observation_end"), "observation_end"),
                   r_cut=number(params, "r_cut", None), f_cut=number(params, "f_cut", None),
                   m_cut=number(params, "m_cut", None))


def _segments(ctx: ReadContext, p: RfmSegmentsParams) -> pl.DataFrame:
    """One row per buyer with both segmentations, once per data, scope and cut-offs: the Segments page's
    member list (segment_members) reuses it."""
    from siyu.metrics.rfm_segments import rfm_segments

    return frame_cache.memo(ctx, ("rfm_segments", p.observation_end, p.r_cut, p.f_cut, p.m_cut),
                            lambda: rfm_segments(order_days(ctx), observation_end=p.observation_end, r_cut=p.r_cut,
                                                 f_cut=p.f_cut, m_cut=p.m_cut, assume_sorted=True), large=True)


def _run_rfm_segments(ctx: ReadContext, p: RfmSegmentsParams) -> pl.DataFrame:
    from siyu.metrics.rfm_segments import rfm_cutoffs

    frame = _segments(ctx, p)
    return frame if p.view == "members" else rfm_cutoffs(frame)


_RFM_SEGMENTS = MetricSpec(
    name="rfm_segments",
    summary="RFM 分层：经典网格与八大类 / RFM segments: the classic grid and the Chinese 8-way split",
    params={"observation_end": "ISO date (default: the last day with a valid order)",
            "r_cut": "days since last purchase at or below which R is high (default: mean)",
            "f_cut": "purchase days at or above which F is high (default: mean)",
            "m_cut": "net yuan at or above which M is high (default: mean)",
            "view": "members (one row per buyer) | cutoffs (quintile boundaries)"},
    parse=RfmSegmentsParams.parse,
    run=_run_rfm_segments,
)


SEGMENT_STANDARDS = {"cn": "cn_segment", "classic": "segment"}


@dataclass(frozen=True)
class SegmentMembersParams:
    standard: str = "cn"
    segment: str = ""
    cuts: RfmSegmentsParams = RfmSegmentsParams()
    """observation_end and the cut-offs, as rfm_segments takes them (view=members)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> SegmentMembersParams:
        standard = choice(params, "standard", tuple(SEGMENT_STANDARDS), "cn")
        passed = {k: params[k] for k in ("observation_end", "r_cut", "f_cut", "m_cut") if params.get(k)}
        return cls(standard=standard, segment=params.get("segment") or "", cuts=RfmSegmentsParams.parse(passed))


def _run_segment_members(ctx: ReadContext, p: SegmentMembersParams) -> pl.DataFrame:
    column = SEGMENT_STANDARDS[p.standard]
    chosen = _segments(ctx, p.cuts).filter(pl.col(column) == p.segment)  # the page's own, from memory
    contacts = lookups.member_contacts(ctx, lookups.member_ids(chosen))
    return (chosen.with_columns(pl.col("member_id").cast(pl.String))
            .join(contacts, on="member_id", how="left")
            .select("member_id", "display_name", "phone", "last_order", "recency_days", "frequency", "monetary",
                    pl.col(column).alias("segment"))
            .sort(["monetary", "member_id"], descending=[True, False]))


_SEGMENT_MEMBERS = MetricSpec(
    name="segment_members",
    summary="某个 RFM 分群的会员名单（召回用：昵称、手机号、最近下单）/ the members of one RFM segment, with contacts",
    params={"standard": "cn (八大类) | classic (RFM grid)", "segment": "segment name, as rfm_segments spells it",
            "observation_end": "as rfm_segments", "r_cut": "as rfm_segments", "f_cut": "as rfm_segments",
            "m_cut": "as rfm_segments"},
    parse=SegmentMembersParams.parse,
    run=_run_segment_members,
)


@dataclass(frozen=True)
class LifecycleMembersParams:
    period_start: dt.date
    days: DateRange = DateRange()
    grain: str = "month"
    status: str = "new"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> LifecycleMembersParams:
        from siyu.metrics.lifecycle_members import STATUSES

        period = parse_date(params.get("period_start"), "period_start")
        if period is None:
            raise MetricError("需要 period_start（该期间的第一天）/ period_start is required")
        return cls(period_start=period, days=parse_range(params), grain=choice(params, "grain", GRAINS, "month"),
                   status=choice(params, "status", STATUSES, "new"))


def _run_lifecycle_members(ctx: ReadContext, p: LifecycleMembersParams) -> pl.DataFrame:
    from siyu.metrics.lifecycle_members import lifecycle_members

    return lifecycle_members(order_days(ctx), as_of=as_of(ctx, p.days.end), grain=p.grain,
                             period_start=p.period_start, status=p.status)


_LIFECYCLE_MEMBERS = MetricSpec(
    name="lifecycle_members",
    summary="买家生命周期某一根柱子背后的会员 / the members behind one bar of the buyer lifecycle",
    params={"grain": "day | week | month", "period_start": "first day of the period (ISO date)",
            "status": "new | returning | resurrecting | dormant", "end": "as-of day (default: the data's last day)"},
    parse=LifecycleMembersParams.parse,
    run=_run_lifecycle_members,
)


SPECS: tuple[MetricSpec, ...] = (_RETENTION, _COHORT_MEMBERS, _RFM, _LIFECYCLE, _RFM_SEGMENTS, _SEGMENT_MEMBERS,
                                 _LIFECYCLE_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
