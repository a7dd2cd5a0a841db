"""The tier-economics metrics: cohorts by first tier, time to upgrade, spend around upgrades, downgrade
paths, members close to the next tier, paid membership."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

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


def _day(ctx: ReadContext, params: Mapping[str, str]) -> dt.date | None:
    return as_of(ctx, parse_date(params.get("end"), "end"))


def _run_cohorts(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_cohorts import SCHEMA, tier_cohorts

    day = _day(ctx, params)
    if day is None:
        return pl.DataFrame(schema=SCHEMA)
    return tier_cohorts(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day,
                        length=integer(params, "length", 90, low=1), periods=integer(params, "periods", 8, low=1))


def _run_survival(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_upgrades import step_durations, upgrade_survival

    if choice(params, "view", ("curve", "members"), "curve") == "members":
        return step_durations(inputs.member_snapshots(ctx), ladder(ctx))
    return upgrade_survival(inputs.member_snapshots(ctx), ladder(ctx))


def _run_upgrade_spend(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_upgrades import SPEND_SCHEMA, upgrade_spend, upgrade_spend_members

    day = _day(ctx, params)
    if day is None:
        return pl.DataFrame(schema=SPEND_SCHEMA)
    run = upgrade_spend_members if choice(params, "view", ("steps", "members"), "steps") == "members" else upgrade_spend
    return run(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day)


def _run_downgrades(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_paths import PATH_SCHEMA, downgrade_paths
    from siyu.metrics.tier_upgrades import upgrade_events

    if choice(params, "view", ("paths", "members"), "paths") == "members":
        return upgrade_events(inputs.member_snapshots(ctx), ladder(ctx)).filter(pl.col("to_rank") < pl.col("from_rank"))
    day = _day(ctx, params)
    if day is None:
        return pl.DataFrame(schema=PATH_SCHEMA)
    return downgrade_paths(inputs.member_snapshots(ctx), ladder(ctx), order_days(ctx), as_of=day)


def _run_near(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_paths import near_next_tier

    return near_next_tier(growth(ctx), ladder(ctx), as_of=parse_date(params.get("as_of"), "as_of"),
                          within=number(params, "within", 0.2, low=0.0))


def _run_paid(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.paid_members import SUMMARY_SCHEMA, paid_expiry_paths, paid_summary, paid_vs_members
    from siyu.metrics.redeemer_uplift import uplift_summary

    day = _day(ctx, params)
    view = choice(params, "view", ("plans", "expiries", "comparison", "members"), "plans")
    if day is None:
        return pl.DataFrame(schema=SUMMARY_SCHEMA)
    if view == "plans":
        return paid_summary(paid_memberships(ctx), as_of=day)
    if view == "expiries":
        return paid_expiry_paths(paid_memberships(ctx), order_days(ctx), as_of=day)
    window = integer(params, "window", 365, low=1)
    per = frame_cache.memo(ctx, ("paid_vs_members", day, window), lambda: paid_vs_members(
        paid_memberships(ctx), inputs.members(ctx), order_days(ctx), inputs.member_snapshots(ctx), as_of=day,
        window=window), large=True)
    return uplift_summary(per, window=window, label="paid_member") if view == "comparison" else per


SPECS: tuple[MetricSpec, ...] = (
    MetricSpec("tier_cohorts", "按首次快照等级的留存与累计 LTV / retention and cumulative LTV by first-snapshot tier",
               {**END_PARAM, "length": "days per period (default 90)", "periods": "periods (default 8)"}, _run_cohorts),
    MetricSpec("tier_upgrade_survival", "各等级首次升级的时间（Kaplan–Meier）/ time to first upgrade per tier step",
               {"view": "curve (default) | members (one row per member and tier: days, upgraded)"}, _run_survival),
    MetricSpec("tier_upgrade_spend", "升级前后 90 天的消费 / spend 90 days before vs after an upgrade",
               {**END_PARAM, "view": "steps (default) | members (one row per upgrade)"}, _run_upgrade_spend),
    MetricSpec("tier_downgrades", "降级路径：之后回升、停留或继续下降 / downgrade paths",
               {**END_PARAM, "view": "paths (default) | members (one row per downgrade)"}, _run_downgrades),
    MetricSpec("near_next_tier", "接近下一等级的会员（成长值差距）/ members close to the next tier",
               {"as_of": "day (default: the latest snapshot)", "within": "gap as a share of the next threshold (default 0.2)"},
               _run_near),
    MetricSpec("paid_members", "付费会员：会费、续费率、与可比非付费会员的 GMV / paid membership economics",
               {**END_PARAM, "view": "plans (default) | expiries (what lapsed members did) | comparison (vs matched non-members) | members",
                "window": "days after the first term's start compared (default 365)"}, _run_paid),
)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
