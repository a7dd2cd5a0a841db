"""The tier-economics metrics: cohorts by first tier, time to upgrade, spend around upgrades, downgrade
paths, members close to the next tier, paid membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.db import query
from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of, choice, integer, number, order_days
from siyu.engine.points import paid_memberships
from siyu.engine.spec import MetricSpec
from siyu.metrics.periods import parse_date

END_PARAM = {"end": "last day of data used (default: the data's last day)"}


def growth(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, snapshot_date, tier, points, growth_value, in the context's scope (kept in memory)."""
    return frame_cache.scoped(ctx, "m_member_growth").lazy()


def ladder(ctx: ReadContext) -> pl.LazyFrame:
    """tier, rank, growth_threshold."""
    return query(ctx.con, "m_tier_thresholds").lazy()


def _end(params: Mapping[str, str]) -> dt.date | None:
    return parse_date(params.get("end"), "end")


@dataclass(frozen=True)
class TierCohortsParams:
    end: dt.date | None = None
    length: int = 90
    """Days per period."""
    periods: int = 8

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TierCohortsParams:
        end = _end(params)
        return cls(end, integer(params, "length", 90, low=1), integer(params, "periods", 8, low=1))


def _run_cohorts(ctx: ReadContext, p: TierCohortsParams) -> pl.DataFrame:
    from siyu.metrics.tier_cohorts import SCHEMA, tier_cohorts

    day = as_of(ctx, p.end)
    if day is None:
        return pl.DataFrame(schema=SCHEMA)
    return tier_cohorts(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day,
                        length=p.length, periods=p.periods)


@dataclass(frozen=True)
class UpgradeSurvivalParams:
    view: str = "curve"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> UpgradeSurvivalParams:
        return cls(choice(params, "view", ("curve", "members"), "curve"))


def _run_survival(ctx: ReadContext, p: UpgradeSurvivalParams) -> pl.DataFrame:
    from siyu.metrics.tier_upgrades import step_durations, upgrade_survival

    if p.view == "members":
        return step_durations(inputs.member_snapshots(ctx), ladder(ctx))
    return upgrade_survival(inputs.member_snapshots(ctx), ladder(ctx))


@dataclass(frozen=True)
class UpgradeSpendParams:
    end: dt.date | None = None
    view: str = "steps"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> UpgradeSpendParams:
        end = _end(params)
        return cls(end, choice(params, "view", ("steps", "members"), "steps"))


def _run_upgrade_spend(ctx: ReadContext, p: UpgradeSpendParams) -> pl.DataFrame:
    from siyu.metrics.tier_upgrades import SPEND_SCHEMA, upgrade_spend, upgrade_spend_members

    day = as_of(ctx, p.end)
    if day is None:
        return pl.DataFrame(schema=SPEND_SCHEMA)
    run = upgrade_spend_members if p.view == "members" else upgrade_spend
    return run(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day)


@dataclass(frozen=True)
class DowngradesParams:
    view: str = "paths"
    end: dt.date | None = None
    """Read only with view=paths (the members view lists every downgrade, whatever the day)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> DowngradesParams:
        view = choice(params, "view", ("paths", "members"), "paths")
        return cls(view, None if view == "members" else _end(params))


def _run_downgrades(ctx: ReadContext, p: DowngradesParams) -> pl.DataFrame:
    from siyu.metrics.tier_paths import PATH_SCHEMA, downgrade_paths
    from siyu.metrics.tier_upgrades import upgrade_events

    if p.view == "members":
        return upgrade_events(inputs.member_snapshots(ctx), ladder(ctx)).filter(pl.col("to_rank") < pl.col("from_rank"))
    day = as_of(ctx, p.end)
    if day is None:
        return pl.DataFrame(schema=PATH_SCHEMA)
    return downgrade_paths(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day)


@dataclass(frozen=True)
class NearNextTierParams:
    as_of: dt.date | None = None
    """None: the latest snapshot."""
    within: float = 0.2
    """The gap as a share of the next threshold."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> NearNextTierParams:
        day = parse_date(params.get("as_of"), "as_of")
        return cls(day, number(params, "within", 0.2, low=0.0))


def _run_near(ctx: ReadContext, p: NearNextTierParams) -> pl.DataFrame:
    from siyu.metrics.tier_paths import near_next_tier

    return near_next_tier(growth(ctx), ladder(ctx), as_of=p.as_of, within=p.within)


PAID_VIEWS = ("plans", "expiries", "comparison", "members")


@dataclass(frozen=True)
class PaidMembersParams:
    end: dt.date | None = None
    view: str = "plans"
    window: int = 365
    """Days after the first term's start; read only with view=comparison or members."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> PaidMembersParams:
        end = _end(params)
        view = choice(params, "view", PAID_VIEWS, "plans")
        window = integer(params, "window", 365, low=1) if view in ("comparison", "members") else 365
        return cls(end, view, window)


def _run_paid(ctx: ReadContext, p: PaidMembersParams) -> pl.DataFrame:
    from siyu.metrics.paid_members import SUMMARY_SCHEMA, paid_expiry_paths, paid_summary, paid_vs_members
    from siyu.metrics.redeemer_uplift import uplift_summary

    day = as_of(ctx, p.end)
    if day is None:
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    if p.view == "plans":
        return paid_summary(paid_memberships(ctx), as_of=day)
    if p.view == "expiries":
        return paid_expiry_paths(paid_memberships(ctx), order_days(ctx), as_of=day)
    per = frame_cache.memo(ctx, ("paid_vs_members", day, p.window), lambda: paid_vs_members(
        paid_memberships(ctx), inputs.members(ctx), order_days(ctx), inputs.member_snapshots(ctx), as_of=day,
        window=p.window), large=True)
    return uplift_summary(per, window=p.window, label="paid_member") if p.view == "comparison" else per


SPECS: tuple[MetricSpec, ...] = (
    MetricSpec("tier_cohorts", "按首次快照等级的留存与累计 LTV / retention and cumulative LTV by first-snapshot tier",
               {**END_PARAM, "length": "days per period (default 90)", "periods": "periods (default 8)"}, _run_cohorts, parse=TierCohortsParams.parse),
    MetricSpec("tier_upgrade_survival", "各等级首次升级的时间（Kaplan–Meier）/ time to first upgrade per tier step",
               {"view": "curve (default) | members (one row per member and tier: days, upgraded)"}, _run_survival, parse=UpgradeSurvivalParams.parse),
    MetricSpec("tier_upgrade_spend", "升级前后 90 天的消费 / spend 90 days before vs after an upgrade",
               {**END_PARAM, "view": "steps (default) | members (one row per upgrade)"}, _run_upgrade_spend, parse=UpgradeSpendParams.parse),
    MetricSpec("tier_downgrades", "降级路径：之后回升、停留或继续下降 / downgrade paths",
               {**END_PARAM, "view": "paths (default) | members (one row per downgrade)"}, _run_downgrades, parse=DowngradesParams.parse),
    MetricSpec("near_next_tier", "接近下一等级的会员（成长值差距）/ members close to the next tier",
               {"as_of": "day (default: the latest snapshot)", "within": "gap as a share of the next threshold (default 0.2)"},
               _run_near, parse=NearNextTierParams.parse),
    MetricSpec("paid_members", "付费会员：会费、续费率、与可比非付费会员的 GMV / paid membership economics",
               {**END_PARAM, "view": "plans (default) | expiries (what lapsed members did) | comparison (vs matched non-members) | members",
                "window": "days after the first term's start compared (default 365)"}, _run_paid, parse=PaidMembersParams.parse),
)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
