"""Registry entry for the channel-cost view (渠道成本 / 无效私域): `python -m siyu metric channel_costs`."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.db import query
from siyu.metrics import inputs
from siyu.metrics.registry import MetricSpec, register
from siyu.metrics.runner_params import as_of_range, choice, integer, order_days


def costs(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """channel, period_start, period_end, cost_cents of every imported channel cost."""
    return query(con, "m_channel_costs").lazy()


def _run_channel_costs(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_costs import GMV_DAYS, SCHEMA, channel_costs
    from siyu.metrics.channels import BY
    from siyu.metrics.registry import resolve_range

    by = choice(params, "by", BY, "member")
    gmv_days = integer(params, "gmv_days", GMV_DAYS, low=1)
    rng, as_of = as_of_range(con, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    start = rng.start or resolve_range(con, {}).start
    if start > as_of:
        return pl.DataFrame(schema=SCHEMA)
    return channel_costs(inputs.members_channel(con), inputs.friends_channel(con), order_days(con), costs(con),
                         start=start, end=rng.end or as_of, as_of=as_of, by=by, gmv_days=gmv_days, assume_sorted=True)


register(MetricSpec(
    name="channel_costs",
    summary="无效私域：各渠道成本、每个新会员/有效会员/购买人的成本、N 天 GMV 与 ROI / cost per valid member and ROI",
    params={"start": "first join day (default: the data's first day)",
            "end": "last join day and as-of day (default: the data's last day)",
            "by": "member (members.channel) | friend_channel | add_way — the key costs are matched on",
            "gmv_days": "GMV window after joining, in days (default 90)"},
    run=_run_channel_costs,
))


def _run_channel_money(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    """channel_costs without the scorecard part, plus the as-of day used: the 渠道 page joins it to the
    scorecard it already has (siyu.metrics.channel_costs.cost_view) instead of computing that twice."""
    from siyu.metrics.channel_costs import GMV_DAYS, MONEY_SCHEMA, channel_money
    from siyu.metrics.channels import BY
    from siyu.metrics.registry import resolve_range

    by = choice(params, "by", BY, "member")
    gmv_days = integer(params, "gmv_days", GMV_DAYS, low=1)
    rng, as_of = as_of_range(con, params)
    empty = pl.DataFrame(schema={**MONEY_SCHEMA, "as_of": pl.Date})
    if as_of is None:
        return empty
    start = rng.start or resolve_range(con, {}).start
    if start > as_of:
        return empty
    money = channel_money(inputs.members_channel(con), inputs.friends_channel(con), order_days(con),
                          start=start, end=rng.end or as_of, as_of=as_of, by=by, gmv_days=gmv_days, assume_sorted=True)
    return money.with_columns(pl.lit(as_of, dtype=pl.Date).alias("as_of"))


def _run_channel_cost_rows(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    return (costs(con).with_columns((pl.col("cost_cents") / 100).alias("cost"))
            .sort("channel", "period_start").collect())


register(MetricSpec(
    name="channel_money",
    summary="各渠道购买人数、加入后 N 天 GMV、窗口未满人数（渠道页用）/ buyers and N-day GMV per channel (for the page)",
    params={"start": "as channel_costs", "end": "as channel_costs", "by": "as channel_costs",
            "gmv_days": "as channel_costs"},
    run=_run_channel_money,
))
register(MetricSpec(
    name="channel_cost_rows",
    summary="已导入的渠道成本（渠道、期间、金额）/ the imported channel costs as stored",
    params={},
    run=_run_channel_cost_rows,
))
