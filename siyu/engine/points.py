"""The membership-economics metrics of points (积分): flow, balances and liability, redeemers vs matched
non-redeemers; and the stored value of a point."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import polars as pl

from siyu.db import query
from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import NoParams, as_of, choice, integer, order_days
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import parse_date

MAX_VALUE = Decimal("1000")  # yuan per point; more is a typo (a point is worth cents)


def ledger(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, occurred_at, delta, kind, balance_after, in the context's scope (kept in memory)."""
    return frame_cache.scoped(ctx, "m_points_ledger").lazy()


def paid_memberships(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, started_at, expires_at, fee_cents, plan, in the context's scope (kept in memory)."""
    return frame_cache.scoped(ctx, "m_paid_memberships").lazy()


def point_value(ctx: ReadContext) -> str:
    """The stored value of one point in yuan, as exact decimal text ('0.010000')."""
    frame = query(ctx.con, "m_points_value")
    return str(frame["yuan_per_point"][0]) if frame.height else "0.01"


def parse_point_value(raw: str) -> Decimal:
    """'0.01' / '0.015' -> Decimal, refusing what cannot be a point's value (negative, absurd, not a number)."""
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise MetricError(f"积分价值 {raw!r} 不是数字，请写成 0.01（100 积分抵 1 元）/ not a number (write 0.01)") from exc
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        raise MetricError(f"积分价值需在 0 到 {MAX_VALUE} 元之间 / the value of a point must be 0..{MAX_VALUE} yuan")
    return value


def ledger_last_day(ctx: ReadContext) -> dt.date | None:
    """The later of the data's last day and the ledger's last change (expiries often run after the last order)."""
    last = ledger(ctx).select(pl.col("occurred_at").max()).collect().item()
    days = [d for d in (inputs.data_last_day(ctx), last.date() if last else None) if d is not None]
    return max(days) if days else None


@dataclass(frozen=True)
class PointsFlowParams:
    grain: str = "month"
    start: dt.date | None = None
    end: dt.date | None = None
    """start and end are each optional and not checked against each other (an empty flow, not a refusal)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PointsFlowParams:
        from siyu.metrics.points import GRAINS

        grain = choice(params, "grain", tuple(GRAINS), "month")
        return cls(grain, parse_date(params.get("start"), "start"), parse_date(params.get("end"), "end"))


def _run_flow(ctx: ReadContext, p: PointsFlowParams) -> pl.DataFrame:
    from siyu.metrics.points import points_flow

    return points_flow(ledger(ctx), grain=p.grain, start=p.start, end=p.end)


@dataclass(frozen=True)
class PointsLiabilityParams:
    as_of: dt.date | None = None
    value: Decimal | None = None
    """Yuan per point (None: the stored value, read at run time)."""
    view: str = "summary"
    top: int = 0
    """Rows of the members view (0: all); read only with view=members."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PointsLiabilityParams:
        day = parse_date(params.get("as_of"), "as_of")
        value = parse_point_value(params["value"]) if params.get("value") else None
        view = choice(params, "view", ("summary", "members"), "summary")
        return cls(day, value, view, integer(params, "top", 0) if view == "members" else 0)


def _run_balances(ctx: ReadContext, p: PointsLiabilityParams) -> pl.DataFrame:
    from siyu.metrics.points import points_balances, points_summary

    if p.view == "summary":
        value = p.value if p.value is not None else point_value(ctx)
        return points_summary(ledger(ctx), as_of=p.as_of, yuan_per_point=value)
    frame = points_balances(ledger(ctx), as_of=p.as_of)
    return frame.head(p.top) if p.top else frame


@dataclass(frozen=True)
class RedeemerUpliftParams:
    window: int = 90
    end: dt.date | None = None
    view: str = "summary"
    start: dt.date | None = None
    """First redemption day considered (None: every redemption)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> RedeemerUpliftParams:
        window = integer(params, "window", 90, low=1)
        end = parse_date(params.get("end"), "end")
        view = choice(params, "view", ("summary", "members"), "summary")
        return cls(window, end, view, parse_date(params.get("start"), "start"))


def _run_uplift(ctx: ReadContext, p: RedeemerUpliftParams) -> pl.DataFrame:
    from siyu.metrics.redeemer_uplift import SUMMARY_SCHEMA, redeemer_uplift, uplift_summary

    day = as_of(ctx, p.end)
    if day is None:
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    per = frame_cache.memo(ctx, ("redeemer_uplift", p.start, day, p.window), lambda: redeemer_uplift(
        ledger(ctx), inputs.members(ctx), order_days(ctx), inputs.member_snapshots(ctx), as_of=day, start=p.start,
        window=p.window), large=True)
    return uplift_summary(per, window=p.window) if p.view == "summary" else per


_FLOW = MetricSpec(
    name="points_flow",
    summary="积分发放/兑换/过期（按期间与类型）/ points issued, redeemed, expired per period and kind",
    params={"grain": "day | week | month (default)", "start": "first day", "end": "last day"},
    parse=PointsFlowParams.parse,
    run=_run_flow,
)
_BALANCES = MetricSpec(
    name="points_liability",
    summary="未使用积分、负债（元）与过期率 / outstanding points, their liability and the breakage rate",
    params={"as_of": "day (default: the last change)", "value": "yuan per point (default: the stored value)",
            "view": "summary (one row, default) | members (one row per member: balance, outstanding ...)",
            "top": "rows of the members view (default 0 = all)"},
    parse=PointsLiabilityParams.parse,
    run=_run_balances,
)
_UPLIFT = MetricSpec(
    name="redeemer_uplift",
    summary="兑换会员 vs 同层可比未兑换会员：之后 N 天复购率与 GMV / redeemers vs matched non-redeemers",
    params={"start": "first redemption day considered", "end": "last day of data used (default: the data's last day)",
            "window": "days after the redemption (default 90)",
            "view": "summary (default) | members (one row per redeemer with its matched controls' means)"},
    parse=RedeemerUpliftParams.parse,
    run=_run_uplift,
)


def _run_point_value(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    frame = query(ctx.con, "m_points_value")
    return frame.with_columns(pl.col("yuan_per_point").map_elements(lambda v: float(Decimal(v)),
                                                                      return_dtype=pl.Float64))


_VALUE = MetricSpec(name="points_value", summary="每积分价值（元）/ the stored value of one point in yuan",
                    params={}, parse=NoParams.parse, run=_run_point_value, single_row=True)

SPECS: tuple[MetricSpec, ...] = (_FLOW, _BALANCES, _UPLIFT, _VALUE)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
