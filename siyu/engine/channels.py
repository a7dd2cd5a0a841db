"""The channel metrics: the channel scorecard, friend survival (per add cohort and per channel) and the
channel costs (渠道成本 / 无效私域: `python -m siyu metric channel_costs`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import NoParams, RangeParams, as_of, choice, integer, order_days, parse_range, resolve_days
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.channels import BY
from siyu.metrics.periods import DateRange

GRAINS = ("day", "week", "month")


@dataclass(frozen=True)
class ChannelsParams:
    by: str = "member"
    days: DateRange = DateRange()
    """First and last join day; the end is also the as-of day (default: the data's last day)."""
    coupon_max_cents: int = 990

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ChannelsParams:
        from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS

        return cls(choice(params, "by", BY, "member"), parse_range(params),
                   integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_channels(ctx: ReadContext, p: ChannelsParams) -> pl.DataFrame:
    from siyu.metrics.channels import SCHEMA, channel_scorecard

    as_of_day = as_of(ctx, p.days.end)
    if as_of_day is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_scorecard(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx),
                             token_orders=inputs.token_order_candidates(ctx), start=p.days.start,
                             end=p.days.end or as_of_day, as_of=as_of_day, by=p.by, assume_sorted=True,
                             coupon_max_cents=p.coupon_max_cents)


@dataclass(frozen=True)
class FriendSurvivalParams:
    grain: str = "month"
    horizons: tuple[int, ...] | None = None
    """Days after adding (None: siyu.metrics.friend_survival.HORIZONS)."""
    end: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> FriendSurvivalParams:
        grain = choice(params, "grain", GRAINS, "month")
        raw = params.get("days")
        try:
            horizons = tuple(int(x) for x in raw.split(",")) if raw else None
        except ValueError as exc:
            raise MetricError(f"参数 days={raw!r}：写成 1,7,30 / days must be a comma-separated list of integers") from exc
        if horizons is not None and any(h < 1 for h in horizons):
            raise MetricError("参数 days 需要正整数 / days must be positive")
        return cls(grain, horizons, parse_range(params).end)


def _run_friend_survival(ctx: ReadContext, p: FriendSurvivalParams) -> pl.DataFrame:
    from siyu.metrics.friend_survival import HORIZONS, friend_survival

    return friend_survival(inputs.friends_channel(ctx), as_of=as_of(ctx, p.end), grain=p.grain,
                           horizons=p.horizons or HORIZONS)


_CHANNELS = MetricSpec(
    name="channels",
    summary="渠道质量记分卡：删除率、转化、90天收入、羊毛党、有效 vs 虚荣人数 / channel scorecard",
    params={"start": "first join day (optional)", "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel (first friendship's QR state) | add_way",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    parse=ChannelsParams.parse,
    run=_run_channels,
)


_FRIEND_SURVIVAL = MetricSpec(
    name="friend_survival",
    summary="好友留存（Kaplan–Meier，按添加批次与渠道）/ share of friends still connected after N days",
    params={"grain": "add cohort: day | week | month (default month)",
            "days": "horizons, comma-separated (default 1,7,30,90,180,365)",
            "end": "as-of day (default: the data's last day)"},
    parse=FriendSurvivalParams.parse,
    run=_run_friend_survival,
)


def _run_channel_survival(ctx: ReadContext, p: RangeParams) -> pl.DataFrame:
    from siyu.metrics.channel_survival import channel_survival

    return channel_survival(inputs.friends_channel(ctx), as_of=as_of(ctx, p.days.end), start=p.days.start,
                            end=p.days.end)


_CHANNEL_SURVIVAL = MetricSpec(
    name="channel_survival",
    summary="各渠道好友留存曲线（Kaplan–Meier，按添加期间汇总）/ friend survival per channel over an add range",
    params={"start": "first add day (optional)", "end": "last add day and as-of day (default: the data's last day)"},
    parse=RangeParams.parse,
    run=_run_channel_survival,
)


def costs(ctx: ReadContext) -> pl.LazyFrame:
    """channel, period_start, period_end, cost_cents of every imported channel cost."""
    return query(ctx.con, "m_channel_costs").lazy()


@dataclass(frozen=True)
class ChannelCostsParams:
    """channel_costs' and channel_money's parameters."""

    by: str = "member"
    gmv_days: int = 90
    days: DateRange = DateRange()
    """First join day (default: the data's first day) and the last, also the as-of day."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ChannelCostsParams:
        from siyu.metrics.channel_costs import GMV_DAYS

        return cls(choice(params, "by", BY, "member"), integer(params, "gmv_days", GMV_DAYS, low=1),
                   parse_range(params))


def _window(ctx: ReadContext, p: ChannelCostsParams) -> tuple[dt.date, dt.date] | None:
    """(first join day, as-of day); None when there is no data or the start lies after it."""
    as_of_day = as_of(ctx, p.days.end)
    if as_of_day is None:
        return None
    start = p.days.start or resolve_days(ctx, DateRange()).start
    return None if start > as_of_day else (start, as_of_day)


def _run_channel_costs(ctx: ReadContext, p: ChannelCostsParams) -> pl.DataFrame:
    from siyu.metrics.channel_costs import SCHEMA, channel_costs

    window = _window(ctx, p)
    if window is None:
        return pl.DataFrame(schema=SCHEMA)
    start, as_of_day = window
    return channel_costs(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx), costs(ctx),
                         start=start, end=p.days.end or as_of_day, as_of=as_of_day, by=p.by, gmv_days=p.gmv_days,
                         assume_sorted=True)


_CHANNEL_COSTS = MetricSpec(
    name="channel_costs",
    summary="无效私域：各渠道成本、每个新会员/有效会员/购买人的成本、N 天 GMV 与 ROI / cost per valid member and ROI",
    params={"start": "first join day (default: the data's first day)",
            "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel | add_way — the key costs are matched on",
            "gmv_days": "GMV window after joining, in days (default 90)"},
    parse=ChannelCostsParams.parse,
    run=_run_channel_costs,
)


def _run_channel_money(ctx: ReadContext, p: ChannelCostsParams) -> pl.DataFrame:
    """channel_costs without the scorecard part, plus the as-of day used: the 渠道 page joins it to the
    scorecard it already has (siyu.metrics.channel_costs.cost_view) instead of computing that twice."""
    from siyu.metrics.channel_costs import MONEY_SCHEMA, channel_money

    window = _window(ctx, p)
    if window is None:
        return pl.DataFrame(schema={**MONEY_SCHEMA, "as_of": pl.Date})
    start, as_of_day = window
    money = channel_money(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx),
                          start=start, end=p.days.end or as_of_day, as_of=as_of_day, by=p.by, gmv_days=p.gmv_days,
                          assume_sorted=True)
    return money.with_columns(pl.lit(as_of_day, dtype=pl.Date).alias("as_of"))


def _run_channel_cost_rows(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    return (costs(ctx).with_columns((pl.col("cost_cents") / 100).alias("cost"))
            .sort("channel", "period_start").collect())


_CHANNEL_MONEY = MetricSpec(
    name="channel_money",
    summary="各渠道购买人数、加入后 N 天 GMV、窗口未满人数（渠道页用）/ buyers and N-day GMV per channel (for the page)",
    params={"start": "as channel_costs", "end": "as channel_costs", "by": "as channel_costs",
            "gmv_days": "as channel_costs"},
    parse=ChannelCostsParams.parse,
    run=_run_channel_money,
)


_CHANNEL_COST_ROWS = MetricSpec(
    name="channel_cost_rows",
    summary="已导入的渠道成本（渠道、期间、金额）/ the imported channel costs as stored",
    params={},
    parse=NoParams.parse,
    run=_run_channel_cost_rows,
)


@dataclass(frozen=True)
class ChannelMembersParams:
    channel: str
    days: DateRange = DateRange()
    by: str = "member"

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> ChannelMembersParams:
        channel = params.get("channel")
        if not channel:
            raise MetricError("需要 channel（渠道名称，未知渠道写「未知」）/ channel is required")
        return cls(channel, parse_range(params), choice(params, "by", BY, "member"))


def _run_channel_members(ctx: ReadContext, p: ChannelMembersParams) -> pl.DataFrame:
    from siyu.metrics.channel_members import SCHEMA, channel_members

    as_of_day = as_of(ctx, p.days.end)
    if as_of_day is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_members(inputs.members_channel(ctx), inputs.friends_channel(ctx), start=p.days.start,
                           end=p.days.end or as_of_day, as_of=as_of_day, by=p.by, channel=p.channel)


_CHANNEL_MEMBERS = MetricSpec(
    name="channel_members",
    summary="渠道看板某一行（新增会员）背后的会员 / the members behind one row of the channel scorecard",
    params={"channel": "the row's channel (未知 for none)", "by": "member | friend_channel | add_way",
            "start": "first join day", "end": "last join day and as-of day (default: the data's last day)"},
    parse=ChannelMembersParams.parse,
    run=_run_channel_members,
)


SPECS: tuple[MetricSpec, ...] = (_CHANNELS, _FRIEND_SURVIVAL, _CHANNEL_SURVIVAL, _CHANNEL_COSTS, _CHANNEL_MONEY,
                                 _CHANNEL_COST_ROWS, _CHANNEL_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
