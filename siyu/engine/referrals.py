"""The referral metrics: the referral forest, K-factor, the referrers' leaderboard, referred vs organic."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of_range, choice, flag, integer, order_days
from siyu.engine.spec import MetricSpec


def _run_referrals(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.referrals import referral_forest, referral_trees

    view = choice(params, "view", ("members", "trees", "issues"), "members")
    root = integer(params, "root", 0)
    # Once per data and scope: the Referrals page asks for the trees and then for one tree's members.
    nodes, issues = frame_cache.memo(ctx, "referral_forest", lambda: referral_forest(inputs.referrals(ctx)), large=True)
    if view == "members" and params.get("root"):
        return nodes.filter(pl.col("root") == root)
    return {"members": nodes, "trees": referral_trees(nodes), "issues": issues}[view]


def _run_k_factor(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.k_factor import k_factor

    by = choice(params, "by", ("month", "generation"), "month")
    _, as_of = as_of_range(ctx, params)
    return k_factor(inputs.referrals(ctx), order_days(ctx), by=by, as_of=as_of, assume_sorted=True)


def _run_leaderboard(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS
    from siyu.metrics.referral_leaderboard import referral_leaderboard

    coupon = flag(params, "exclude_coupon_only")
    # The wide order frame (coupon flags) only when it is needed; otherwise the cached narrow one.
    orders = inputs.valid_orders_flags(ctx) if coupon else order_days(ctx)
    return referral_leaderboard(
        inputs.referrals(ctx), orders, inputs.friends(ctx),
        exclude_deleted=flag(params, "exclude_deleted"), exclude_coupon_only=coupon,
        top=integer(params, "top", 100), coupon_max_cents=integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_referred_vs_organic(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.referred_vs_organic import referred_vs_organic

    _, as_of = as_of_range(ctx, params)
    return referred_vs_organic(inputs.members(ctx), inputs.referrals(ctx), order_days(ctx),
                               as_of=as_of, window=integer(params, "window", 90, low=1), assume_sorted=True)


_REFERRALS = MetricSpec(
    name="referrals",
    summary="推荐关系森林：根、深度、下级人数 / the referral forest per member, per tree, and its data issues",
    params={"view": "members (one row per member) | trees (one row per root) | issues (duplicates, cycles)",
            "root": "with view=members: only the members of the tree of this root (member id)"},
    run=_run_referrals,
)


_K_FACTOR = MetricSpec(
    name="k_factor",
    summary="裂变系数 K（按月/按代）/ referral K-factor per month or per generation",
    params={"by": "month | generation (default month)", "end": "as-of day (default: the data's last day)"},
    run=_run_k_factor,
)


_REFERRAL_LEADERBOARD = MetricSpec(
    name="referral_leaderboard",
    summary="推荐排行榜 / top referrers by converted referees",
    params={"exclude_deleted": "true | false: drop referees who deleted every friendship",
            "exclude_coupon_only": "true | false: drop referees whose orders are all zero-amount or coupon-only",
            "top": "rows to return (default 100; 0 = all)",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    run=_run_leaderboard,
)


_REFERRED_VS_ORGANIC = MetricSpec(
    name="referred_vs_organic",
    summary="转介绍 vs 自然用户：转化、留存、90天LTV / referred vs organic members side by side",
    params={"end": "as-of day (default: the data's last day)", "window": "days (default 90)"},
    run=_run_referred_vs_organic,
)


SPECS: tuple[MetricSpec, ...] = (_REFERRALS, _K_FACTOR, _REFERRAL_LEADERBOARD, _REFERRED_VS_ORGANIC,)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
