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

from siyu.metrics.order_runs import attach_member_columns
from siyu.metrics.referrals import first_referrer

SCHEMA = {"group": pl.String, "members": pl.Int64, "buyers": pl.Int64, "mature_members": pl.Int64,
          "conversion_90": pl.Float64, "repeat_rate": pl.Float64, "retention_90": pl.Float64, "ltv_90": pl.Float64}


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
    bought = (
        (attach_member_columns(in_time, people, ["joined_at", "group"]) if assume_sorted
         else in_time.join(people, on="member_id"))
        .filter(pl.col("paid_at") >= pl.col("joined_at"))
        .with_columns(pl.col("paid_at").cast(pl.Date).alias("day"))
    )
    per_buyer = bought.group_by("member_id").agg(
        pl.col("day").n_unique().alias("days"),
        pl.col("day").min().alias("first_day"),
        pl.col("net_cents").filter(pl.col("paid_at") < pl.col("joined_at") + span).sum().alias("net_90"),
        pl.col("paid_at").filter(pl.col("paid_at") < pl.col("joined_at") + span).len().alias("orders_90"),
    )
    again = (
        bought.join(per_buyer.select("member_id", "first_day"), on="member_id")
        .filter((pl.col("day") > pl.col("first_day")) & (pl.col("day") <= pl.col("first_day") + span))
        .select("member_id").unique().with_columns(pl.lit(True).alias("again"))
    )
    first_mature = pl.col("first_day").is_not_null() & (
        pl.col("first_day").cast(pl.Datetime("us")) + span <= end)
    mature = pl.col("joined_at") + span <= end
    frame = (
        people.join(per_buyer, on="member_id", how="left").join(again, on="member_id", how="left")
        .group_by("group").agg(
            pl.len().alias("members"),
            pl.col("days").is_not_null().sum().alias("buyers"),
            (pl.col("days") >= 2).sum().alias("repeat"),
            mature.sum().alias("mature_members"),
            (mature & (pl.col("orders_90").fill_null(0) > 0)).sum().alias("converted"),
            pl.col("net_90").fill_null(0).filter(mature).sum().alias("net_90"),
            first_mature.sum().alias("first_mature"),
            (first_mature & pl.col("again").fill_null(False)).sum().alias("retained"),
        )
    )
    spine = pl.LazyFrame({"group": ["referred", "organic"], "_o": [0, 1]})
    rate = lambda num, den: pl.when(pl.col(den) > 0).then(pl.col(num) / pl.col(den))  # noqa: E731
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
