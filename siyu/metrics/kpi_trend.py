"""One row per calendar period (day, ISO week from Monday, or month): period, new_members, friends_added, friends_deleted, buyers, orders, gmv, arpu, complete.

Same definitions as `kpis`, counted inside each period: buyers are distinct members with a valid
order paid in the period, gmv the net amount (yuan) of those orders. Periods with no activity in
the range appear with zeros, so a chart never joins two points across a gap. `complete` is false
for a period that the range cuts (the first and last periods when the range starts or ends
mid-period): its figures cover only part of the period and must not be read as a drop.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError

GRAINS = {"day": "1d", "week": "1w", "month": "1mo"}


def period_start(col: str, grain: str) -> pl.Expr:
    """The first day of the calendar period containing `col` (weeks start on Monday)."""
    if grain not in GRAINS:
        raise MetricError(f"grain={grain!r}：只能是 day、week 或 month / grain must be day, week or month")
    return pl.col(col).dt.truncate(GRAINS[grain]).dt.date()


def kpi_trend(
    members: pl.LazyFrame,
    valid_orders: pl.LazyFrame,
    friends: pl.LazyFrame,
    *,
    lo: dt.datetime,
    hi: dt.datetime,
    grain: str = "month",
) -> pl.DataFrame:
    """Per-period flow KPIs for [lo, hi)."""

    def counted(frame: pl.LazyFrame, col: str, name: str) -> pl.LazyFrame:
        return (
            frame.filter((pl.col(col) >= lo) & (pl.col(col) < hi))
            .group_by(period_start(col, grain).alias("period"))
            .agg(pl.len().alias(name))
        )

    orders = (
        valid_orders.filter((pl.col("paid_at") >= lo) & (pl.col("paid_at") < hi))
        .group_by(period_start("paid_at", grain).alias("period"))
        .agg(
            pl.col("member_id").n_unique().alias("buyers"),
            pl.len().alias("orders"),
            (pl.col("net_cents").sum() / 100).alias("gmv"),
        )
    )
    first = pl.Series([lo.date()]).dt.truncate(GRAINS[grain]).item()
    last = (hi - dt.timedelta(microseconds=1)).date()
    # Stepping from a period's first day lands on every later period's first day.
    spine = pl.LazyFrame({"period": pl.date_range(first, last, GRAINS[grain], eager=True)})
    frame = spine
    for part in (
        counted(members, "joined_at", "new_members"),
        counted(friends, "added_at", "friends_added"),
        counted(friends.filter(pl.col("deleted_at").is_not_null()), "deleted_at", "friends_deleted"),
        orders,
    ):
        frame = frame.join(part, on="period", how="left")
    counts = ["new_members", "friends_added", "friends_deleted", "buyers", "orders"]
    return (
        frame.with_columns(
            *[pl.col(c).fill_null(0).cast(pl.Int64) for c in counts],
            pl.col("gmv").fill_null(0.0),
        )
        .with_columns(
            pl.when(pl.col("buyers") > 0).then(pl.col("gmv") / pl.col("buyers")).otherwise(0.0).alias("arpu")
        )
        .with_columns(
            ((pl.col("period") >= lo.date())
             & (pl.col("period").dt.offset_by(GRAINS[grain]) <= hi.date())).alias("complete")
        )
        .sort("period")
        .select(["period", *counts, "gmv", "arpu", "complete"])
        .collect()
    )
