"""The member metrics: tiers, tier migration, super users, the members of one tier or KPI card; and the
catalog's names for the page lookups (snapshot dates for the tier-migration pickers, the contact columns of
a recall list: siyu.engine.lookups)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.engine import frame_cache, inputs, lookups
from siyu.engine.context import ReadContext
from siyu.engine.params import (
    RANGE_PARAMS,
    NoParams,
    RangeParams,
    choice,
    integer,
    number,
    order_days,
    parse_ids,
    parse_range,
    resolve_days,
)
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import DateRange, parse_date


def _run_tiers(ctx: ReadContext, p: RangeParams) -> pl.DataFrame:
    from siyu.metrics.tiers import tier_distribution

    rng = resolve_days(ctx, p.days)
    return tier_distribution(inputs.members(ctx), inputs.member_snapshots(ctx), inputs.tiers(ctx),
                             order_days(ctx), start=rng.start, end=rng.end, assume_sorted=True)


@dataclass(frozen=True)
class TierMigrationParams:
    to_date: dt.date | None = None
    """`to` (default: the latest snapshot date)."""
    from_date: dt.date | None = None
    """`from` (default: the snapshot date before `to`)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TierMigrationParams:
        return cls(to_date=parse_date(params.get("to"), "to"), from_date=parse_date(params.get("from"), "from"))


def _run_tier_migration(ctx: ReadContext, p: TierMigrationParams) -> pl.DataFrame:
    from siyu.metrics.tier_migration import SCHEMA, tier_migration

    dates = lookups.snapshot_dates(ctx)
    to_date = p.to_date or (dates[0] if dates else None)
    from_date = p.from_date
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
    parse=RangeParams.parse,
    run=_run_tiers,
)


_TIER_MIGRATION = MetricSpec(
    name="tier_migration",
    summary="等级迁移矩阵（桑基图）/ tier migration matrix between two snapshot dates",
    params={"from": "first date (default: the snapshot date before `to`)",
            "to": "second date (default: the latest snapshot date)"},
    parse=TierMigrationParams.parse,
    run=_run_tier_migration,
)


@dataclass(frozen=True)
class SuperUsersParams:
    days: DateRange = DateRange()
    view: str = "members"
    super_pct: float = 1.0
    core_pct: float = 10.0
    launch_window: int = 30
    top: int = 0
    """Rows to return (0: all)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> SuperUsersParams:
        return cls(days=parse_range(params), view=choice(params, "view", ("members", "layers"), "members"),
                   super_pct=number(params, "super_pct", 1.0), core_pct=number(params, "core_pct", 10.0),
                   launch_window=integer(params, "launch_window", 30, low=1), top=integer(params, "top", 0))


def _run_super_users(ctx: ReadContext, p: SuperUsersParams) -> pl.DataFrame:
    from siyu.metrics.page_frames import layer_summary
    from siyu.metrics.super_users import super_users

    rng = resolve_days(ctx, p.days)
    # Once per data, scope and options: the Members page asks for the layers and for the super layer's rows
    # (small frames to cache and send) from one computation.
    frame = frame_cache.memo(ctx, ("super_users", rng.start, rng.end, p.super_pct, p.core_pct, p.launch_window),
                             lambda: super_users(order_days(ctx), inputs.referrals(ctx), inputs.order_lines(ctx),
                                                 start=rng.start, end=rng.end, super_pct=p.super_pct,
                                                 core_pct=p.core_pct, launch_window=p.launch_window,
                                                 assume_sorted=True), large=True)
    if p.view == "layers":
        return layer_summary(frame)
    return frame.head(p.top) if p.top else frame


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
    parse=SuperUsersParams.parse,
    run=_run_super_users,
)


def _run_snapshot_dates(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    return pl.DataFrame({"snapshot_date": lookups.snapshot_dates(ctx)}, schema={"snapshot_date": pl.Date})


@dataclass(frozen=True)
class MemberContactsParams:
    ids: tuple[int, ...] = ()

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> MemberContactsParams:
        return cls(tuple(parse_ids(params.get("ids"))))


def _run_member_contacts(ctx: ReadContext, p: MemberContactsParams) -> pl.DataFrame:
    return lookups.member_contacts(ctx, p.ids)


_SNAPSHOT_DATES = MetricSpec(
    name="snapshot_dates",
    summary="会员导出快照的日期（新到旧）/ member-export snapshot dates, newest first",
    params={},
    parse=NoParams.parse,
    run=_run_snapshot_dates,
)


_MEMBER_CONTACTS = MetricSpec(
    name="member_contacts",
    summary="名单会员的昵称、手机号与最近下单日（召回名单用）/ name, phone and last order of listed members",
    params={"ids": "comma-separated member ids"},
    parse=MemberContactsParams.parse,
    run=_run_member_contacts,
)


@dataclass(frozen=True)
class TierMembersParams:
    tier: str
    days: DateRange = DateRange()

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TierMembersParams:
        tier = params.get("tier")
        if not tier:
            raise MetricError("需要 tier（等级名称，未定级写「未定级」）/ tier is required")
        return cls(tier, parse_range(params))


def _run_tier_members(ctx: ReadContext, p: TierMembersParams) -> pl.DataFrame:
    from siyu.metrics.tiers import tier_members

    rng = resolve_days(ctx, p.days)
    return tier_members(inputs.members(ctx), inputs.member_snapshots(ctx), order_days(ctx), start=rng.start,
                        end=rng.end, tier=p.tier, assume_sorted=True)


_TIER_MEMBERS = MetricSpec(
    name="tier_members",
    summary="某一会员等级的会员（等级分布的明细）/ the members of one tier, as counted by `tiers`",
    params={"tier": "tier name (未定级 for members without one)", "start": "first day", "end": "last day"},
    parse=TierMembersParams.parse,
    run=_run_tier_members,
)


@dataclass(frozen=True)
class KpiMembersParams:
    days: DateRange = DateRange()
    card: str = "buyers"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> KpiMembersParams:
        from siyu.metrics.kpi_members import CARDS

        return cls(parse_range(params), choice(params, "card", CARDS, "buyers"))


def _run_kpi_members(ctx: ReadContext, p: KpiMembersParams) -> pl.DataFrame:
    from siyu.metrics.kpi_members import kpi_members

    rng = resolve_days(ctx, p.days)
    return kpi_members(inputs.members(ctx), inputs.valid_orders_cached(ctx), inputs.friends(ctx), lo=rng.lo,
                       hi=rng.hi, card=p.card)


_KPI_MEMBERS = MetricSpec(
    name="kpi_members",
    summary="总览某张指标卡背后的会员 / the members behind one Overview KPI card",
    params={"card": " | ".join(("members", "new_members", "valid_members", "buyers", "repeat_buyers")),
            "start": "first day", "end": "last day"},
    parse=KpiMembersParams.parse,
    run=_run_kpi_members,
)


SPECS: tuple[MetricSpec, ...] = (_TIERS, _TIER_MIGRATION, _SUPER_USERS, _SNAPSHOT_DATES, _MEMBER_CONTACTS,
                                 _TIER_MEMBERS, _KPI_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
