"""One row for the whole range: members, valid_members, vanity_headcount, new_members, buyers, orders, gmv, arpu, repurchase_rate, friends_active, friends_deleted.

Definitions: docs/metrics.md. The range is whole days [start, end]; `hi` is
midnight after `end`. Flow figures count what happened inside the range; stock figures are the state
at `hi` ("as of the end of the end day").

- members / vanity_headcount: members who joined before `hi` (everyone ever added, the vanity figure).
- new_members: members who joined inside the range.
- valid_members (有效私域用户): members (joined before `hi`) who at `hi` are still a WeCom friend of at
  least one staff member, or have a valid order in the 180 days before `hi`.
- buyers: distinct members with >= 1 valid order paid inside the range.
- orders: valid orders paid inside the range.
- gmv: sum of net amounts (paid - refunded, in yuan) of those orders.
- arpu: gmv / buyers (0 when there are no buyers).
- repurchase_rate: buyers with valid orders on >= 2 distinct calendar days inside the range / buyers.
- friends_active: friendships open at `hi`; friends_deleted: friendships whose deletion falls inside the range.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

VALID_MEMBER_WINDOW = dt.timedelta(days=180)

COLUMNS = ["members", "valid_members", "vanity_headcount", "new_members", "buyers", "orders", "gmv",
           "arpu", "repurchase_rate", "friends_active", "friends_deleted"]


def _in_range(col: str, lo: dt.datetime | None, hi: dt.datetime) -> pl.Expr:
    expr = pl.col(col) < hi
    return expr if lo is None else expr & (pl.col(col) >= lo)


def kpis(
    members: pl.LazyFrame,
    valid_orders: pl.LazyFrame,
    friends: pl.LazyFrame,
    *,
    hi: dt.datetime,
    lo: dt.datetime | None = None,
) -> pl.DataFrame:
    """KPIs of the range [lo, hi) (lo None = since the beginning), stock figures as of hi."""
    return kpis_from_counts(kpi_counts(members, valid_orders, friends, hi=hi, lo=lo))


def kpi_counts(
    members: pl.LazyFrame,
    valid_orders: pl.LazyFrame,
    friends: pl.LazyFrame,
    *,
    hi: dt.datetime,
    lo: dt.datetime | None = None,
) -> pl.LazyFrame:
    """One row of the counts the KPIs derive from: members, new_members, valid_members, buyers,
    repeat_buyers, orders, net_cents, friends_active, friends_deleted. Every count is per member or per
    row, so counts of disjoint member sets add up (siyu.spark combines member buckets this way)."""
    joined = members.filter(pl.col("joined_at") < hi).select("member_id")
    period_orders = valid_orders.filter(_in_range("paid_at", lo, hi))
    buyer_stats = (
        period_orders.group_by("member_id")
        .agg(pl.col("paid_at").dt.date().n_unique().alias("days"))
        .select(
            pl.len().alias("buyers"),
            (pl.col("days") >= 2).sum().alias("repeat_buyers"),
        )
    )
    order_stats = period_orders.select(
        pl.len().alias("orders"),
        pl.col("net_cents").sum().alias("net_cents"),
    )
    open_friends = friends.filter(
        (pl.col("added_at") < hi) & (pl.col("deleted_at").is_null() | (pl.col("deleted_at") >= hi))
    )
    recent_buyers = valid_orders.filter(
        (pl.col("paid_at") < hi) & (pl.col("paid_at") >= hi - VALID_MEMBER_WINDOW)
    ).select("member_id")
    valid = (
        pl.concat([open_friends.select("member_id"), recent_buyers])
        .unique()
        .join(joined, on="member_id", how="semi")
        .select(pl.len().alias("valid_members"))
    )
    counts = pl.concat(
        [
            joined.select(pl.len().alias("members")),
            members.filter(_in_range("joined_at", lo, hi)).select(pl.len().alias("new_members")),
            valid,
            buyer_stats,
            order_stats,
            open_friends.select(pl.len().alias("friends_active")),
            friends.filter(pl.col("deleted_at").is_not_null() & _in_range("deleted_at", lo, hi))
            .select(pl.len().alias("friends_deleted")),
        ],
        how="horizontal",
    )
    return counts


def kpis_from_counts(counts: pl.LazyFrame) -> pl.DataFrame:
    """The KPI row (COLUMNS) from kpi_counts: gmv in yuan, arpu and repurchase_rate derived."""
    return (
        counts.with_columns(
            pl.col("members").alias("vanity_headcount"),
            (pl.col("net_cents").fill_null(0) / 100).alias("gmv"),
        )
        .with_columns(
            pl.when(pl.col("buyers") > 0).then(pl.col("gmv") / pl.col("buyers")).otherwise(0.0).alias("arpu"),
            pl.when(pl.col("buyers") > 0)
            .then(pl.col("repeat_buyers") / pl.col("buyers"))
            .otherwise(0.0)
            .alias("repurchase_rate"),
        )
        .select(COLUMNS)
        .collect()
    )
