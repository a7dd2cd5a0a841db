"""Registry entries for the community metrics: super users, referrals, channels, friend survival."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import frame_cache, inputs
from siyu.metrics.registry import MetricSpec, register
from siyu.metrics.runner_params import as_of_range, choice, flag, integer, number, order_days


def _run_referrals(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.referrals import referral_forest, referral_trees

    view = choice(params, "view", ("members", "trees", "issues"), "members")
    root = integer(params, "root", 0)
    # Once per data and scope: the Referrals page asks for the trees and then for one tree's members.
    nodes, issues = frame_cache.memo(con, "referral_forest", lambda: referral_forest(inputs.referrals(con)), large=True)
    if view == "members" and params.get("root"):
        return nodes.filter(pl.col("root") == root)
    return {"members": nodes, "trees": referral_trees(nodes), "issues": issues}[view]


def _run_k_factor(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.k_factor import k_factor

    by = choice(params, "by", ("month", "generation"), "month")
    _, as_of = as_of_range(con, params)
    return k_factor(inputs.referrals(con), order_days(con), by=by, as_of=as_of, assume_sorted=True)


def _run_leaderboard(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS
    from siyu.metrics.referral_leaderboard import referral_leaderboard

    coupon = flag(params, "exclude_coupon_only")
    # The wide order frame (coupon flags) only when it is needed; otherwise the cached narrow one.
    orders = inputs.valid_orders_flags(con) if coupon else order_days(con)
    return referral_leaderboard(
        inputs.referrals(con), orders, inputs.friends(con),
        exclude_deleted=flag(params, "exclude_deleted"), exclude_coupon_only=coupon,
        top=integer(params, "top", 100), coupon_max_cents=integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_referred_vs_organic(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.referred_vs_organic import referred_vs_organic

    _, as_of = as_of_range(con, params)
    return referred_vs_organic(inputs.members(con), inputs.referrals(con), order_days(con),
                               as_of=as_of, window=integer(params, "window", 90, low=1), assume_sorted=True)


register(MetricSpec(
    name="referrals",
    summary="推荐关系森林：根、深度、下级人数 / the referral forest per member, per tree, and its data issues",
    params={"view": "members (one row per member) | trees (one row per root) | issues (duplicates, cycles)",
            "root": "with view=members: only the members of the tree of this root (member id)"},
    run=_run_referrals,
))
register(MetricSpec(
    name="k_factor",
    summary="裂变系数 K（按月/按代）/ referral K-factor per month or per generation",
    params={"by": "month | generation (default month)", "end": "as-of day (default: the data's last day)"},
    run=_run_k_factor,
))
register(MetricSpec(
    name="referral_leaderboard",
    summary="推荐排行榜 / top referrers by converted referees",
    params={"exclude_deleted": "true | false: drop referees who deleted every friendship",
            "exclude_coupon_only": "true | false: drop referees whose orders are all zero-amount or coupon-only",
            "top": "rows to return (default 100; 0 = all)",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    run=_run_leaderboard,
))
register(MetricSpec(
    name="referred_vs_organic",
    summary="转介绍 vs 自然用户：转化、留存、90天LTV / referred vs organic members side by side",
    params={"end": "as-of day (default: the data's last day)", "window": "days (default 90)"},
    run=_run_referred_vs_organic,
))


def _run_channels(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channels import BY, SCHEMA, channel_scorecard
    from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS

    by = choice(params, "by", BY, "member")
    rng, as_of = as_of_range(con, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_scorecard(inputs.members_channel(con), inputs.friends_channel(con), order_days(con),
                             token_orders=inputs.token_order_candidates(con),
                             start=rng.start, end=rng.end or as_of, as_of=as_of, by=by, assume_sorted=True,
                             coupon_max_cents=integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_friend_survival(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.friend_survival import HORIZONS, friend_survival

    grain = choice(params, "grain", ("day", "week", "month"), "month")
    raw = params.get("days")
    try:
        horizons = tuple(int(x) for x in raw.split(",")) if raw else HORIZONS
    except ValueError as exc:
        raise MetricError(f"参数 days={raw!r}：写成 1,7,30 / days must be a comma-separated list of integers") from exc
    if any(h < 1 for h in horizons):
        raise MetricError("参数 days 需要正整数 / days must be positive")
    _, as_of = as_of_range(con, params)
    return friend_survival(inputs.friends_channel(con), as_of=as_of, grain=grain, horizons=horizons)


register(MetricSpec(
    name="channels",
    summary="渠道质量记分卡：删除率、转化、90天收入、羊毛党、有效 vs 虚荣人数 / channel scorecard",
    params={"start": "first join day (optional)", "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel (first friendship's QR state) | add_way",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    run=_run_channels,
))
register(MetricSpec(
    name="friend_survival",
    summary="好友留存（Kaplan–Meier，按添加批次与渠道）/ share of friends still connected after N days",
    params={"grain": "add cohort: day | week | month (default month)",
            "days": "horizons, comma-separated (default 1,7,30,90,180,365)",
            "end": "as-of day (default: the data's last day)"},
    run=_run_friend_survival,
))


def _run_super_users(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.page_frames import layer_summary
    from siyu.metrics.registry import resolve_range
    from siyu.metrics.super_users import super_users

    rng = resolve_range(con, params)
    view = choice(params, "view", ("members", "layers"), "members")
    options = (number(params, "super_pct", 1.0), number(params, "core_pct", 10.0),
               integer(params, "launch_window", 30, low=1))
    # Once per data, scope and options: the Members page asks for the layers and for the super layer's rows
    # (small frames to cache and send) from one computation.
    frame = frame_cache.memo(con, ("super_users", rng.start, rng.end, *options), lambda: super_users(
        order_days(con), inputs.referrals(con), inputs.order_lines(con), start=rng.start, end=rng.end,
        super_pct=options[0], core_pct=options[1], launch_window=options[2], assume_sorted=True), large=True)
    if view == "layers":
        return layer_summary(frame)
    top = integer(params, "top", 0)
    return frame.head(top) if top else frame


register(MetricSpec(
    name="super_users",
    summary="超级用户：四高得分与三层社群（大众→核心→超级）/ super-user score and community layer per member",
    params={"start": "first day (default: first day in the data)", "end": "last day (default: last day in the data)",
            "super_pct": "percent of members in the super layer (default 1)",
            "core_pct": "percent in super + core (default 10)",
            "launch_window": "days after a product's first sale that count as early (default 30)",
            "top": "rows to return (default 0 = all)",
            "view": "members (one row per member, default) | layers (one row per layer: layer, members, "
                    "spend, member_share, spend_share, avg_spend)"},
    run=_run_super_users,
))
