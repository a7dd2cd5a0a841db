"""The referral metrics: the referral forest, K-factor, the referrers' leaderboard, referred vs organic."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of, choice, flag, integer, order_days, parse_range
from siyu.engine.spec import MetricSpec
from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS


def _as_of_end(params: Mapping[str, str]) -> dt.date | None:
    """`end` (the as-of day), checked against `start` as every range is (these metrics accept no start:
    the catalog refuses it before this runs)."""
    return parse_range(params).end


@dataclass(frozen=True)
class ReferralsParams:
    view: str = "members"
    root: int | None = None
    """With view=members: only the tree of this root (None: every member)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ReferralsParams:
        view = choice(params, "view", ("members", "trees", "issues"), "members")
        root = integer(params, "root", 0)
        return cls(view, root if params.get("root") else None)


def _run_referrals(ctx: ReadContext, p: ReferralsParams) -> pl.DataFrame:
    from siyu.metrics.referrals import referral_forest, referral_trees

    # Once per data and scope: the Referrals page asks for the trees and then for one tree's members.
    nodes, issues = frame_cache.memo(ctx, "referral_forest", lambda: referral_forest(inputs.referrals(ctx)), large=True)
    if p.view == "members" and p.root is not None:
        return nodes.filter(pl.col("root") == p.root)
    return {"members": nodes, "trees": referral_trees(nodes), "issues": issues}[p.view]


@dataclass(frozen=True)
class KFactorParams:
    by: str = "month"
    end: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> KFactorParams:
        return cls(choice(params, "by", ("month", "generation"), "month"), _as_of_end(params))


def _run_k_factor(ctx: ReadContext, p: KFactorParams) -> pl.DataFrame:
    from siyu.metrics.k_factor import k_factor

    return k_factor(inputs.referrals(ctx), order_days(ctx), by=p.by, as_of=as_of(ctx, p.end), assume_sorted=True)


@dataclass(frozen=True)
class LeaderboardParams:
    exclude_coupon_only: bool = False
    exclude_deleted: bool = False
    top: int = 100
    coupon_max_cents: int = COUPON_ONLY_MAX_CENTS

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> LeaderboardParams:
        return cls(exclude_coupon_only=flag(params, "exclude_coupon_only"),
                   exclude_deleted=flag(params, "exclude_deleted"), top=integer(params, "top", 100),
                   coupon_max_cents=integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_leaderboard(ctx: ReadContext, p: LeaderboardParams) -> pl.DataFrame:
    from siyu.metrics.referral_leaderboard import referral_leaderboard

    # The wide order frame (coupon flags) only when it is needed; otherwise the cached narrow one.
    orders = inputs.valid_orders_flags(ctx) if p.exclude_coupon_only else order_days(ctx)
    return referral_leaderboard(
        inputs.referrals(ctx), orders, inputs.friends(ctx), exclude_deleted=p.exclude_deleted,
        exclude_coupon_only=p.exclude_coupon_only, top=p.top, coupon_max_cents=p.coupon_max_cents)


@dataclass(frozen=True)
class ReferredVsOrganicParams:
    end: dt.date | None = None
    window: int = 90

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ReferredVsOrganicParams:
        return cls(_as_of_end(params), integer(params, "window", 90, low=1))


def _run_referred_vs_organic(ctx: ReadContext, p: ReferredVsOrganicParams) -> pl.DataFrame:
    from siyu.metrics.referred_vs_organic import referred_vs_organic

    return referred_vs_organic(inputs.members(ctx), inputs.referrals(ctx), order_days(ctx),
                               as_of=as_of(ctx, p.end), window=p.window, assume_sorted=True)


_REFERRALS = MetricSpec(
    name="referrals",
    summary="推荐关系森林：根、深度、下级人数 / the referral forest per member, per tree, and its data issues",
    params={"view": "members (one row per member) | trees (one row per root) | issues (duplicates, cycles)",
            "root": "with view=members: only the members of the tree of this root (member id)"},
    parse=ReferralsParams.parse,
    run=_run_referrals,
)


_K_FACTOR = MetricSpec(
    name="k_factor",
    summary="裂变系数 K（按月/按代）/ referral K-factor per month or per generation",
    params={"by": "month | generation (default month)", "end": "as-of day (default: the data's last day)"},
    parse=KFactorParams.parse,
    run=_run_k_factor,
)


_REFERRAL_LEADERBOARD = MetricSpec(
    name="referral_leaderboard",
    summary="推荐排行榜 / top referrers by converted referees",
    params={"exclude_deleted": "true | false: drop referees who deleted every friendship",
            "exclude_coupon_only": "true | false: drop referees whose orders are all zero-amount or coupon-only",
            "top": "rows to return (default 100; 0 = all)",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    parse=LeaderboardParams.parse,
    run=_run_leaderboard,
)


_REFERRED_VS_ORGANIC = MetricSpec(
    name="referred_vs_organic",
    summary="转介绍 vs 自然用户：转化、留存、90天LTV / referred vs organic members side by side",
    params={"end": "as-of day (default: the data's last day)", "window": "days (default 90)"},
    parse=ReferredVsOrganicParams.parse,
    run=_run_referred_vs_organic,
)


SPECS: tuple[MetricSpec, ...] = (_REFERRALS, _K_FACTOR, _REFERRAL_LEADERBOARD, _REFERRED_VS_ORGANIC,)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
