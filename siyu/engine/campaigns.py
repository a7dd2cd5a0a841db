"""The campaign metrics: `campaign_lift` (召回效果: sent vs holdout, per variant and window) and `campaigns`
(every campaign with its plan and send counts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import NoParams, as_of, integer
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import parse_date


def _windows(raw: str | None) -> tuple[int, ...]:
    from siyu.metrics.campaign_lift import WINDOWS

    if not raw:
        return WINDOWS
    try:
        found = tuple(int(x) for x in raw.split(","))
    except ValueError as exc:
        raise MetricError(f"参数 windows={raw!r}：写成 7,14,30 / windows must be comma-separated days") from exc
    if not found or any(w < 1 or w > 365 for w in found):
        raise MetricError("参数 windows 需要 1 到 365 之间的天数 / windows must be 1..365 days")
    return found


def assignments(ctx: ReadContext, campaign: str | None = None) -> pl.DataFrame:
    """campaign_assignments() of the stored sends and plans, in the scope of the context."""
    from siyu.metrics.campaign_lift import campaign_assignments

    sends, planned = query(ctx.con, "m_campaign_sends"), query(ctx.con, "m_campaign_plans")
    if campaign:
        sends = sends.filter(pl.col("campaign") == campaign)
        planned = planned.filter(pl.col("campaign") == campaign)
    assigned = campaign_assignments(sends, planned)
    if ctx.scope is not None and ctx.scope.member_ids is not None:  # the global filters' member population
        assigned = assigned.filter(pl.col("member_id").is_in(ctx.scope.member_ids.implode()))
    return assigned


@dataclass(frozen=True)
class CampaignLiftParams:
    campaign: str | None
    """One campaign (None: all)."""
    windows: tuple[int, ...]
    seed: int
    n_boot: int
    """Bootstrap resamples for the GMV interval (0: none)."""
    end: dt.date | None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> CampaignLiftParams:
        from siyu.metrics.campaign_lift import N_BOOT

        campaign = params.get("campaign") or None
        windows = _windows(params.get("windows"))
        seed, n_boot = integer(params, "seed", 0), integer(params, "bootstrap", N_BOOT, low=0)
        if n_boot > 100_000:
            raise MetricError("参数 bootstrap 最多 100000 / bootstrap is at most 100000")
        return cls(campaign, windows, seed, n_boot, parse_date(params.get("end"), "end"))


def _run_campaign_lift(ctx: ReadContext, p: CampaignLiftParams) -> pl.DataFrame:
    from siyu.metrics.campaign_lift import SCHEMA, campaign_lift

    day = as_of(ctx, p.end)
    assigned = assignments(ctx, p.campaign)
    if assigned.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    kinds = dict(query(ctx.con, "m_campaign_kinds").iter_rows())
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time()) if day else None
    return campaign_lift(assigned, inputs.valid_orders_cached(ctx), inputs.friends(ctx),
                         group_leaves=_group_leaves(ctx, assigned), comparisons=kinds, windows=p.windows, as_of=end,
                         seed=p.seed, n_boot=p.n_boot)


def _group_leaves(ctx: ReadContext, assigned: pl.DataFrame) -> pl.LazyFrame:
    """member_id, left_at of the group leaves that may fall within 7 days of some member's start."""
    from siyu.metrics.campaign_lift import DELETE_DAYS

    since, until = assigned["start"].min(), assigned["start"].max()
    if not isinstance(since, dt.datetime) or not isinstance(until, dt.datetime):  # no member with a start
        return pl.LazyFrame(schema={"member_id": pl.Int64(), "left_at": pl.Datetime("us")})
    return query(ctx.con, "m_campaign_group_leaves",
                 {"since": since, "until": until + dt.timedelta(days=DELETE_DAYS)}).lazy()


_CAMPAIGN_LIFT = MetricSpec(
    name="campaign_lift",
    summary="召回效果：发送组 vs 对照组的购买率、GMV、删好友/退群率与提升（95% 区间）/ recall lift over the holdout",
    params={"campaign": "one campaign (default: all)", "windows": "days after sending, comma-separated (default 7,14,30)",
            "seed": "bootstrap seed for the GMV interval (default 0)",
            "bootstrap": "bootstrap resamples (default 2000; 0: no GMV interval)",
            "end": "as-of day: windows ending later are marked incomplete (default: the data's last day)"},
    parse=CampaignLiftParams.parse,
    run=_run_campaign_lift,
)


def _run_campaigns(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    return query(ctx.con, "cmp_campaigns")


_CAMPAIGNS = MetricSpec(
    name="campaigns",
    summary="召回活动列表：来源、计划时间、随机种子、发送/对照人数 / every campaign with its plan and sends",
    params={},
    parse=NoParams.parse,
    run=_run_campaigns,
)


SPECS: tuple[MetricSpec, ...] = (_CAMPAIGN_LIFT, _CAMPAIGNS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
