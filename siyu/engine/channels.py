"""The channel metrics: the channel scorecard, friend survival (per add cohort and per channel) and the
channel costs (渠道成本 / 无效私域: `python -m siyu metric channel_costs`)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of_range, choice, integer, order_days, resolve_range
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError


def _run_channels(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channels import BY, SCHEMA, channel_scorecard
    from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS

    by = choice(params, "by", BY, "member")
    rng, as_of = as_of_range(ctx, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_scorecard(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx),
                             token_orders=inputs.token_order_candidates(ctx),
                             start=rng.start, end=rng.end or as_of, as_of=as_of, by=by, assume_sorted=True,
                             coupon_max_cents=integer(params, "coupon_max_cents", COUPON_ONLY_MAX_CENTS))


def _run_friend_survival(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.friend_survival import HORIZONS, friend_survival

    grain = choice(params, "grain", ("day", "week", "month"), "month")
    raw = params.get("days")
    try:
        horizons = tuple(int(x) for x in raw.split(",")) if raw else HORIZONS
    except ValueError as exc:
        raise MetricError(f"参数 days={raw!r}：写成 1,7,30 / days must be a comma-separated list of integers") from exc
    if any(h < 1 for h in horizons):
        raise MetricError("参数 days 需要正整数 / days must be positive")
    _, as_of = as_of_range(ctx, params)
    return friend_survival(inputs.friends_channel(ctx), as_of=as_of, grain=grain, horizons=horizons)


_CHANNELS = MetricSpec(
    name="channels",
    summary="渠道质量记分卡：删除率、转化、90天收入、羊毛党、有效 vs 虚荣人数 / channel scorecard",
    params={"start": "first join day (optional)", "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel (first friendship's QR state) | add_way",
            "coupon_max_cents": "coupon-only threshold on net amount in cents (default 990)"},
    run=_run_channels,
)


_FRIEND_SURVIVAL = MetricSpec(
    name="friend_survival",
    summary="好友留存（Kaplan–Meier，按添加批次与渠道）/ share of friends still connected after N days",
    params={"grain": "add cohort: day | week | month (default month)",
            "days": "horizons, comma-separated (default 1,7,30,90,180,365)",
            "end": "as-of day (default: the data's last day)"},
    run=_run_friend_survival,
)


def _run_channel_survival(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_survival import channel_survival

    rng, as_of = as_of_range(ctx, params)
    return channel_survival(inputs.friends_channel(ctx), as_of=as_of, start=rng.start, end=rng.end)


_CHANNEL_SURVIVAL = MetricSpec(
    name="channel_survival",
    summary="各渠道好友留存曲线（Kaplan–Meier，按添加期间汇总）/ friend survival per channel over an add range",
    params={"start": "first add day (optional)", "end": "last add day and as-of day (default: the data's last day)"},
    run=_run_channel_survival,
)


def costs(ctx: ReadContext) -> pl.LazyFrame:
    """channel, period_start, period_end, cost_cents of every imported channel cost."""
    return query(ctx.con, "m_channel_costs").lazy()


def _run_channel_costs(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_costs import GMV_DAYS, SCHEMA, channel_costs
    from siyu.metrics.channels import BY

    by = choice(params, "by", BY, "member")
    gmv_days = integer(params, "gmv_days", GMV_DAYS, low=1)
    rng, as_of = as_of_range(ctx, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    start = rng.start or resolve_range(ctx, {}).start
    if start > as_of:
        return pl.DataFrame(schema=SCHEMA)
    return channel_costs(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx), costs(ctx),
                         start=start, end=rng.end or as_of, as_of=as_of, by=by, gmv_days=gmv_days, assume_sorted=True)


_CHANNEL_COSTS = MetricSpec(
    name="channel_costs",
    summary="无效私域：各渠道成本、每个新会员/有效会员/购买人的成本、N 天 GMV 与 ROI / cost per valid member and ROI",
    params={"start": "first join day (default: the data's first day)",
            "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel | add_way — the key costs are matched on",
            "gmv_days": "GMV window after joining, in days (default 90)"},
    run=_run_channel_costs,
)


def _run_channel_money(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    """channel_costs without the scorecard part, plus the as-of day used: the 渠道 page joins it to the
    scorecard it already has (siyu.metrics.channel_costs.cost_view) instead of computing that twice."""
    from siyu.metrics.channel_costs import GMV_DAYS, MONEY_SCHEMA, channel_money
    from siyu.metrics.channels import BY

    by = choice(params, "by", BY, "member")
    gmv_days = integer(params, "gmv_days", GMV_DAYS, low=1)
    rng, as_of = as_of_range(ctx, params)
    empty = pl.DataFrame(schema={**MONEY_SCHEMA, "as_of": pl.Date})
    if as_of is None:
        return empty
    start = rng.start or resolve_range(ctx, {}).start
    if start > as_of:
        return empty
    money = channel_money(inputs.members_channel(ctx), inputs.friends_channel(ctx), order_days(ctx),
                          start=start, end=rng.end or as_of, as_of=as_of, by=by, gmv_days=gmv_days, assume_sorted=True)
    return money.with_columns(pl.lit(as_of, dtype=pl.Date).alias("as_of"))


def _run_channel_cost_rows(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    return (costs(ctx).with_columns((pl.col("cost_cents") / 100).alias("cost"))
            .sort("channel", "period_start").collect())


_CHANNEL_MONEY = MetricSpec(
    name="channel_money",
    summary="各渠道购买人数、加入后 N 天 GMV、窗口未满人数（渠道页用）/ buyers and N-day GMV per channel (for the page)",
    params={"start": "as channel_costs", "end": "as channel_costs", "by": "as channel_costs",
            "gmv_days": "as channel_costs"},
    run=_run_channel_money,
)


_CHANNEL_COST_ROWS = MetricSpec(
    name="channel_cost_rows",
    summary="已导入的渠道成本（渠道、期间、金额）/ the imported channel costs as stored",
    params={},
    run=_run_channel_cost_rows,
)


def _run_channel_members(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_members import SCHEMA, channel_members
    from siyu.metrics.channels import BY

    channel = params.get("channel")
    if not channel:
        raise MetricError("需要 channel（渠道名称，未知渠道写「未知」）/ channel is required")
    rng, as_of = as_of_range(ctx, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_members(inputs.members_channel(ctx), inputs.friends_channel(ctx), start=rng.start,
                           end=rng.end or as_of, as_of=as_of, by=choice(params, "by", BY, "member"), channel=channel)


_CHANNEL_MEMBERS = MetricSpec(
    name="channel_members",
    summary="渠道看板某一行（新增会员）背后的会员 / the members behind one row of the channel scorecard",
    params={"channel": "the row's channel (未知 for none)", "by": "member | friend_channel | add_way",
            "start": "first join day", "end": "last join day and as-of day (default: the data's last day)"},
    run=_run_channel_members,
)


SPECS: tuple[MetricSpec, ...] = (_CHANNELS, _FRIEND_SURVIVAL, _CHANNEL_SURVIVAL, _CHANNEL_COSTS, _CHANNEL_MONEY,
                                 _CHANNEL_COST_ROWS, _CHANNEL_MEMBERS)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
