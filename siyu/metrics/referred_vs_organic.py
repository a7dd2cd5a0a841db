"""Two rows, referred then organic: group, members, buyers, mature_members, conversion_90, repeat_rate, retention_90, ltv_90.

Definitions (docs/metrics/referrals.md#referred_vs_organic), valid orders, net amounts, as of `as_of`:
- referred = members who are a referee (first-referrer-wins edges); organic = every other member.
- Only orders paid on or after the member's joined_at count (the clock starts when they joined).
- buyers = members with such an order; repeat_rate = buyers with orders on >= 2 distinct days / buyers.
- mature_members = members who joined at least `window` (90) days before the end of the as-of day;
  conversion_90 = share of them with an order within `window` days of joining; ltv_90 = their mean
  net amount (yuan) in those `window` days (non-buyers count as 0).
- retention_90 = among buyers whose first order is at least `window` days before the end of the
  as-of day, the share who bought again on a later day within `window` days of that first order.
- Rates are null when their denominator is 0.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.order_runs import attach_member_columns, new_member
from siyu.metrics.referrals import first_referrer

SCHEMA = pl.Schema({"group": pl.String, "members": pl.Int64, "buyers": pl.Int64, "mature_members": pl.Int64,
          "conversion_90": pl.Float64, "repeat_rate": pl.Float64, "retention_90": pl.Float64, "ltv_90": pl.Float64})


def referred_vs_organic(
    members: pl.LazyFrame, edges: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date | None, window: int = 90,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """members: member_id, joined_at; edges: referee_id, referrer_id, referred_at;
    orders: member_id, paid_at (timestamp), net_cents.
    assume_sorted: orders are sorted by member (the cached frame is): joins become merges."""
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    end = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    span = dt.timedelta(days=window)
    winners, _ = first_referrer(edges)
    referred = winners.lazy().select(pl.col("referee_id").alias("member_id"), pl.lit("referred").alias("group"))
    people = (
        members.filter(pl.col("joined_at") < end).select("member_id", "joined_at")
        .join(referred, on="member_id", how="left")
        .with_columns(pl.col("group").fill_null("organic"))
    )
    in_time = orders.filter(pl.col("paid_at") < end)
    with_joined = (attach_member_columns(in_time, people, ["joined_at"]) if assume_sorted  # a merge, not a hash join
                   else in_time.join(people.select("member_id", "joined_at"), on="member_id"))
    per_buyer = _per_buyer(with_joined, span, assume_sorted=assume_sorted)
    first_mature = pl.col("first_day").is_not_null() & (
        pl.col("first_day").cast(pl.Datetime("us")) + span <= end)
    mature = pl.col("joined_at") + span <= end
    frame = (
        people.join(per_buyer, on="member_id", how="left")
        .group_by("group").agg(
            pl.len().alias("members"),
            pl.col("buyer").fill_null(False).sum().alias("buyers"),
            pl.col("repeat").fill_null(False).sum().alias("repeat"),
            mature.sum().alias("mature_members"),
            (mature & (pl.col("orders_90").fill_null(0) > 0)).sum().alias("converted"),
            pl.col("net_90").fill_null(0).filter(mature).sum().alias("net_90"),
            first_mature.sum().alias("first_mature"),
            (first_mature & pl.col("again").fill_null(False)).sum().alias("retained"),
        )
    )
    spine = pl.LazyFrame({"group": ["referred", "organic"], "_o": [0, 1]})
    def rate(num: str, den: str) -> pl.Expr:
        return pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den))
    out = (
        spine.join(frame, on="group", how="left")
        .with_columns(pl.exclude("group", "_o").fill_null(0))
        .sort("_o")
        .with_columns(
            rate("converted", "mature_members").alias("conversion_90"),
            rate("repeat", "buyers").alias("repeat_rate"),
            rate("retained", "first_mature").alias("retention_90"),
            pl.when(pl.col("mature_members") > 0).then(pl.col("net_90") / 100 / pl.col("mature_members")).alias("ltv_90"),
        )
        .select(list(SCHEMA)).collect().cast(SCHEMA)
    )
    return out if out["members"].sum() > 0 else out.clear()


def _per_buyer(orders: pl.LazyFrame, span: dt.timedelta, *, assume_sorted: bool) -> pl.LazyFrame:
    """One row per buyer from orders (member_id, paid_at, net_cents, joined_at) paid on or after joining:
    buyer (True), repeat (orders on two or more days: the last day is after the first), first_day, net_90 and
    orders_90 (cents and orders within `window` days of joining), again (bought on a later day within `window`
    days of the first day). Row flags first, then one group-by of plain sums and maxima (Polars' fast path);
    on orders sorted by member then time each row's first day is a forward fill, not a window over a hash."""
    day, first = pl.col("day"), pl.col("first_day")
    early = pl.col("paid_at") < pl.col("joined_at") + span
    first_day = pl.when(new_member()).then(day).forward_fill() if assume_sorted else day.min().over("member_id")
    return (
        orders.filter(pl.col("paid_at") >= pl.col("joined_at"))
        .with_columns(pl.col("paid_at").cast(pl.Date).alias("day"))
        .with_columns(first_day.alias("first_day"))
        .with_columns(pl.when(early).then(pl.col("net_cents")).otherwise(0).alias("_net_90"),
                      early.cast(pl.Int64).alias("_orders_90"),
                      ((day > first) & (day <= first + span)).alias("_again"))
        .group_by("member_id").agg(
            pl.lit(True).alias("buyer"),
            (day.max() > first.first()).alias("repeat"),
            first.first(),
            pl.col("_net_90").sum().alias("net_90"),
            pl.col("_orders_90").sum().alias("orders_90"),
            pl.col("_again").max().alias("again"),
        )
    )
