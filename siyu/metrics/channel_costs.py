"""One row per channel: channel, cost, cost_coverage, new_members, valid_members, buyers, cost_per_new_member, cost_per_valid_member, cost_per_buyer, gmv_nd, roi, deleted_7d, window_open.

The 无效私域 (invalid private domain) view with money on it (docs/metrics/channel_costs.md). For members who
joined in [start, end], as of `as_of` (the days [start, min(end, as_of)] are "the range"):
- Members, channels, valid members and deleted_7d come from the channel scorecard (`channels.channel_scorecard`),
  unchanged: new_members = its `added`, valid_members = its `valid_members` (still a friend at the end of
  the as-of day, or a valid order in the 180 days before it), deleted_7d = its share of first friendships
  ended within 7 days (the 羊毛党 signal).
- cost (yuan, rounded to the fen) = the channel's imported spend prorated by days: a cost row for [period_start, period_end]
  counts cost × (days of the period inside the range) / (days of the period). A March cost of ¥3,100 and a
  range of March 10-31 count ¥2,200. cost_coverage = days of the range covered by the channel's cost rows
  / days of the range (1.0 = the spend of every day is known; lower = the cost is understated).
  A channel with members but no cost row overlapping the range has cost null (unknown, not zero) and null
  cost ratios. Cost channels are matched exactly against the scorecard's channel key (trimmed text, as
  stored; `未知` for members without a channel).
- buyers = members with a valid order on or after joining, up to the as-of day.
- gmv_nd = net amount (yuan) of valid orders paid within `gmv_days` days of joining (and by the end of the
  as-of day); window_open = members whose `gmv_days` window has not ended by then (their GMV is still
  growing, so ROI is a floor while window_open > 0). roi = gmv_nd / cost.
- cost_per_X = cost / X; every ratio is null when its denominator is 0 or its cost is unknown, so a cost
  with no matching members shows its cost with null ratios (often a channel spelled differently).
Sorted by cost_per_valid_member, most expensive first (nulls last), then channel.

Parts: `channel_money` (buyers, gmv_nd, window_open per channel: one pass over the orders), `prorated_costs`,
and `cost_view`, which joins them to a scorecard; `channel_costs` runs all of it.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.channels import BY, UNKNOWN, channel_scorecard
from siyu.metrics.order_runs import attach_member_columns

SCHEMA = pl.Schema({"channel": pl.String, "cost": pl.Float64, "cost_coverage": pl.Float64, "new_members": pl.Int64,
          "valid_members": pl.Int64, "buyers": pl.Int64, "cost_per_new_member": pl.Float64,
          "cost_per_valid_member": pl.Float64, "cost_per_buyer": pl.Float64, "gmv_nd": pl.Float64,
          "roi": pl.Float64, "deleted_7d": pl.Float64, "window_open": pl.Int64})
MONEY_SCHEMA = pl.Schema({"channel": pl.String, "buyers": pl.Int64, "gmv_nd": pl.Float64, "window_open": pl.Int64})
GMV_DAYS = 90
_TOKEN_SCHEMA = pl.Schema({"member_id": pl.Int64(), "paid_at": pl.Datetime("us"), "net_cents": pl.Int64(),
                 "paid_cents": pl.Int64(), "discount_cents": pl.Int64(), "has_coupon": pl.Boolean()})


def prorated_costs(costs: pl.LazyFrame, *, start: dt.date, end: dt.date) -> pl.DataFrame:
    """channel, cost (yuan), covered_days: each cost row's share of the days [start, end], summed per channel.
    Channels whose cost rows all lie outside the range are left out (their cost in the range is unknown)."""
    lo = pl.max_horizontal(pl.col("period_start"), pl.lit(start))
    hi = pl.min_horizontal(pl.col("period_end"), pl.lit(end))
    overlap = ((hi - lo).dt.total_days() + 1).clip(lower_bound=0)
    days = (pl.col("period_end") - pl.col("period_start")).dt.total_days() + 1
    return (costs.with_columns(overlap.alias("overlap"), days.alias("days"))
            .filter(pl.col("overlap") > 0)
            .group_by("channel")
            .agg((pl.col("cost_cents") * pl.col("overlap") / pl.col("days")).sum().truediv(100).round(2).alias("cost"),
                 pl.col("overlap").sum().alias("covered_days"))
            .collect())


def _cohort(members: pl.LazyFrame, friends: pl.LazyFrame, *, start: dt.date, end: dt.date, as_of: dt.date,
            by: str) -> pl.LazyFrame:
    """member_id, joined_at, channel: members who joined in the range, keyed the scorecard's way."""
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    end_hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    cohort = members.filter((pl.col("joined_at") >= dt.datetime.combine(start, dt.time()))
                            & (pl.col("joined_at") < min(hi, end_hi)))
    if by != "member":  # the scorecard's key for friend_channel / add_way: the first friendship's
        first = (friends.filter(pl.col("added_at") < hi).group_by("member_id")
                 .agg(pl.col("channel", "add_way").sort_by("added_at").first()))
        key = "channel" if by == "friend_channel" else "add_way"
        cohort = cohort.drop("channel").join(first.select("member_id", pl.col(key).alias("channel")),
                                             on="member_id", how="left")
    return cohort.select("member_id", "joined_at", pl.col("channel").fill_null(UNKNOWN))


def channel_money(
    members: pl.LazyFrame,
    friends: pl.LazyFrame,
    orders: pl.LazyFrame,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    by: str = "member",
    gmv_days: int = GMV_DAYS,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """One row per channel with members in the range: channel, buyers, gmv_nd, window_open (see the module).
    Sorted by channel (code point order, 未知 among the others by its characters): group_by hands groups out in
    no fixed order, and a CLI or CSV reader comparing two runs must see the same rows in the same order."""
    if by not in BY:
        raise MetricError(f"by={by!r}：只能是 {' | '.join(BY)} / by must be one of {BY}")
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    window = dt.timedelta(days=gmv_days)
    cohort = _cohort(members, friends, start=start, end=end, as_of=as_of, by=by)
    in_time = orders.select("member_id", "paid_at", "net_cents").filter(pl.col("paid_at") < hi)
    since = pl.col("paid_at") - pl.col("joined_at")
    per_member = (
        (attach_member_columns(in_time, cohort, ["joined_at"]) if assume_sorted
         else in_time.join(cohort.select("member_id", "joined_at"), on="member_id"))
        .filter(pl.col("paid_at") >= pl.col("joined_at"))
        .group_by("member_id")
        .agg(pl.col("net_cents").filter(since < window).sum().alias("net_window"))
    )
    return (
        cohort.join(per_member, on="member_id", how="left")
        .group_by("channel")
        .agg(pl.col("net_window").is_not_null().sum().alias("buyers"),
             (pl.col("net_window").fill_null(0).sum() / 100).round(2).alias("gmv_nd"),
             (pl.lit(hi) - pl.col("joined_at") < window).sum().alias("window_open"))
        .sort("channel")
        .collect()
        .cast(MONEY_SCHEMA)
    )


def cost_view(card: pl.DataFrame, money: pl.DataFrame, costs: pl.LazyFrame, *, start: dt.date,
              last: dt.date) -> pl.DataFrame:
    """The final table from the scorecard (`channels.channel_scorecard`), `channel_money` and the costs, over the
    range [start, last] (last = min(end, as-of day)). The page calls this with the scorecard it already shows."""
    spend = prorated_costs(costs, start=start, end=last)
    range_days = max((last - start).days + 1, 1)
    cost = pl.col("cost")

    def per(den: str) -> pl.Expr:
        return pl.when(pl.col(den) > 0).then(cost / pl.col(den))

    return (
        card.select("channel", pl.col("added").alias("new_members"), "valid_members", "deleted_7d")
        .join(money, on="channel", how="left")
        .join(spend, on="channel", how="full", coalesce=True)
        .with_columns(pl.col("new_members", "valid_members", "buyers", "window_open").fill_null(0),
                      pl.col("gmv_nd").fill_null(0.0),
                      (pl.col("covered_days") / range_days).alias("cost_coverage"))
        .with_columns(per("new_members").alias("cost_per_new_member"),
                      per("valid_members").alias("cost_per_valid_member"),
                      per("buyers").alias("cost_per_buyer"),
                      pl.when((cost > 0) & (pl.col("new_members") > 0)).then(pl.col("gmv_nd") / cost).alias("roi"))
        .sort(["cost_per_valid_member", "channel"], descending=[True, False], nulls_last=True)
        .select(list(SCHEMA)).cast(SCHEMA)
    )


def channel_costs(
    members: pl.LazyFrame,
    friends: pl.LazyFrame,
    orders: pl.LazyFrame,
    costs: pl.LazyFrame,
    *,
    start: dt.date,
    end: dt.date,
    as_of: dt.date,
    by: str = "member",
    gmv_days: int = GMV_DAYS,
    token_orders: pl.LazyFrame | None = None,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """members: member_id, joined_at, channel; friends: member_id, added_at, deleted_at, channel, add_way;
    orders: member_id, paid_at, net_cents (valid orders); costs: channel, period_start, period_end, cost_cents.
    token_orders is handed to the scorecard (its coupon share is not used here; default: none)."""
    card = channel_scorecard(members, friends, orders, start=start, end=end, as_of=as_of, by=by,
                             token_orders=token_orders if token_orders is not None else pl.LazyFrame(schema=_TOKEN_SCHEMA),
                             assume_sorted=assume_sorted)
    money = channel_money(members, friends, orders, start=start, end=end, as_of=as_of, by=by, gmv_days=gmv_days,
                          assume_sorted=assume_sorted)
    return cost_view(card, money, costs, start=start, last=min(end, as_of))
