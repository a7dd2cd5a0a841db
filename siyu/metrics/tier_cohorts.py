"""One row per first tier x period: first_tier, rank, period, members, retained, retention, cum_ltv.

Retention and cumulative LTV by the tier a member held at their first snapshot (docs/metrics/tier_economics.md):
- A member's origin is their first snapshot date d0; their cohort is the tier of that snapshot (未定级 when
  it has none). Period k covers the days d0 + k*length .. d0 + (k+1)*length - 1 (length = 90 days by default).
- A member counts in period k only when the whole period lies on or before `as_of` (no partial periods).
- retained = members with a valid order in period k; retention = retained / members; cum_ltv = their net spend
  from d0 through the end of period k, per member (yuan).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.tiers import UNRANKED

SCHEMA = pl.Schema({"first_tier": pl.String, "rank": pl.Int64, "period": pl.Int64, "members": pl.Int64,
                    "retained": pl.Int64, "retention": pl.Float64, "cum_ltv": pl.Float64})


def first_tiers(snapshots: pl.LazyFrame) -> pl.LazyFrame:
    """member_id, d0, first_tier: each member's first snapshot."""
    return (snapshots.group_by("member_id")
            .agg(pl.col("snapshot_date").min().alias("d0"), pl.col("tier").sort_by("snapshot_date").first())
            .with_columns(pl.col("tier").fill_null(UNRANKED).alias("first_tier")).drop("tier"))


def tier_cohorts(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date,
                 length: int = 90, periods: int = 8) -> pl.DataFrame:
    """snapshots: member_id, snapshot_date, tier; tiers: tier, rank; orders: member_id, paid_at, net_cents."""
    first = first_tiers(snapshots).collect()
    if first.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    grid = first.join(pl.DataFrame({"period": list(range(periods))}, schema={"period": pl.Int64}), how="cross").filter(
        pl.col("d0") + pl.duration(days=(pl.col("period") + 1) * length - 1) <= as_of)
    spend = (orders.join(first.lazy().select("member_id", "d0"), on="member_id")
             .with_columns(((pl.col("paid_at").cast(pl.Date) - pl.col("d0")).dt.total_days() // length)
                           .cast(pl.Int64).alias("period"))
             .filter(pl.col("period") >= 0)
             .group_by("member_id", "period").agg(pl.col("net_cents").sum().alias("net")).collect())
    rows = (grid.join(spend, on=["member_id", "period"], how="left")
            .with_columns(pl.col("net").fill_null(0), pl.col("net").is_not_null().alias("bought"))
            .sort("member_id", "period")
            .with_columns(pl.col("net").cum_sum().over("member_id").alias("cum")))
    out = (rows.group_by("first_tier", "period")
           .agg(pl.len().cast(pl.Int64).alias("members"), pl.col("bought").sum().cast(pl.Int64).alias("retained"),
                (pl.col("cum").sum() / 100 / pl.len()).alias("cum_ltv"))
           .with_columns((pl.col("retained") / pl.col("members")).alias("retention"))
           .join(tiers.collect().select("tier", pl.col("rank").cast(pl.Int64)), left_on="first_tier", right_on="tier",
                 how="left")
           .sort(pl.col("rank").fill_null(10**9), "first_tier", "period"))
    return out.select(list(SCHEMA)).cast(SCHEMA)
