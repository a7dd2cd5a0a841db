"""The member metrics: tiers, tier migration, super users; and the lookups the pages need (snapshot dates
for the tier-migration pickers, the contact columns of a recall list)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from siyu.engine import frame_cache, inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import RANGE_PARAMS, choice, integer, number, order_days, parse_ids, resolve_range
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import parse_date


def _run_tiers(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tiers import tier_distribution

    rng = resolve_range(ctx, params)
    return tier_distribution(inputs.members(ctx), inputs.member_snapshots(ctx), inputs.tiers(ctx),
                             order_days(ctx), start=rng.start, end=rng.end, assume_sorted=True)


def _run_tier_migration(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tier_migration import SCHEMA, tier_migration

    dates = inputs.snapshot_dates(ctx)
    to_date = parse_date(params.get("to"), "to") or (dates[0] if dates else None)
    from_date = parse_date(params.get("from"), "from")
    if from_date is None:
        earlier = [d for d in dates if to_date is not None and d < to_date]
        from_date = earlier[0] if earlier else None
    if from_date is None or to_date is None:
        return pl.DataFrame(schema=SCHEMA)
    if from_date > to_date:
        raise MetricError(f"from={from_date} 晚于 to={to_date} / from must be on or before to")
    return tier_migration(inputs.member_snapshots(ctx), inputs.tiers(ctx), from_date=from_date, to_date=to_date,
                          assume_sorted=True)


_TIERS = MetricSpec(
    name="tiers",
    summary="会员等级分布：人数、购买人数、GMV、ARPU / members and GMV by tier",
    params=dict(RANGE_PARAMS),
    run=_run_tiers,
)


_TIER_MIGRATION = MetricSpec(
    name="tier_migration",
    summary="等级迁移矩阵（桑基图）/ tier migration matrix between two snapshot dates",
    params={"from": "first date (default: the snapshot date before `to`)",
            "to": "second date (default: the latest snapshot date)"},
    run=_run_tier_migration,
)


def _run_super_users(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.page_frames import layer_summary
    from siyu.metrics.super_users import super_users

    rng = resolve_range(ctx, params)
    view = choice(params, "view", ("members", "layers"), "members")
    options = (number(params, "super_pct", 1.0), number(params, "core_pct", 10.0),
               integer(params, "launch_window", 30, low=1))
    # Once per data, scope and options: the Members page asks for the layers and for the super layer's rows
    # (small frames to cache and send) from one computation.
    frame = frame_cache.memo(ctx, ("super_users", rng.start, rng.end, *options), lambda: super_users(
        order_days(ctx), inputs.referrals(ctx), inputs.order_lines(ctx), start=rng.start, end=rng.end,
        super_pct=options[0], core_pct=options[1], launch_window=options[2], assume_sorted=True), large=True)
    if view == "layers":
        return layer_summary(frame)
    top = integer(params, "top", 0)
    return frame.head(top) if top else frame


_SUPER_USERS = MetricSpec(
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
)


def _run_snapshot_dates(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    dates = inputs.snapshot_dates(ctx)
    return pl.DataFrame({"snapshot_date": dates}, schema={"snapshot_date": pl.Date})


def _run_member_contacts(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    return inputs.member_contacts(ctx, parse_ids(params.get("ids")))


_SNAPSHOT_DATES = MetricSpec(
    name="snapshot_dates",
    summary="会员导出快照的日期（新到旧）/ member-export snapshot dates, newest first",
    params={},
    run=_run_snapshot_dates,
)


_MEMBER_CONTACTS = MetricSpec(
    name="member_contacts",
    summary="名单会员的昵称、手机号与最近下单日（召回名单用）/ name, phone and last order of listed members",
    params={"ids": "comma-separated member ids"},
    run=_run_member_contacts,
)


def _run_tier_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.tiers import tier_members

    tier = params.get("tier")
    if not tier:
        raise MetricError("需要 tier（等级名称，未定级写「未定级」）/ tier is required")
    rng = resolve_range(ctx, params)
    return tier_members(inputs.members(ctx), inputs.member_snapshots(ctx), order_days(ctx), start=rng.start,
                        end=rng.end, tier=tier, assume_sorted=True)


_TIER_MEMBERS = MetricSpec(
    name="tier_members",
    summary="某一会员等级的会员（等级分布的明细）/ the members of one tier, as counted by `tiers`",
    params={"tier": "tier name (未定级 for members without one)", "start": "first day", "end": "last day"},
    run=_run_tier_members,
)


def _run_kpi_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.kpi_members import CARDS, kpi_members

    rng = resolve_range(ctx, params)
    return kpi_members(inputs.members(ctx), inputs.valid_orders_cached(ctx), inputs.friends(ctx), lo=rng.lo,
                       hi=rng.hi, card=choice(params, "card", CARDS, "buyers"))


_KPI_MEMBERS = MetricSpec(
    name="kpi_members",
    summary="总览某张指标卡背后的会员 / the members behind one Overview KPI card",
    params={"card": " | ".join(("members", "new_members", "valid_members", "buyers", "repeat_buyers")),
            "start": "first day", "end": "last day"},
    run=_run_kpi_members,
)


SPECS: tuple[MetricSpec, ...] = (_TIERS, _TIER_MIGRATION, _SUPER_USERS, _SNAPSHOT_DATES, _MEMBER_CONTACTS,
                                 _TIER_MEMBERS, _KPI_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
