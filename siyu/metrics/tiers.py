"""One row per tier, in the brand's order: tier, rank, members, share, buyers, gmv, gmv_share, arpu, gmv_per_member.

Definitions (docs/metrics/tiers.md):
- Population: members who joined before the end of the range, plus anyone with a valid order in
  the range (a shop buyer may be added as a friend later).
- A member's tier is the tier of their latest snapshot on or before the end day (each member export
  is a dated snapshot); members with none are in "未定级" (unranked), listed last.
- Rows: every tier of the brand's ladder (`tiers`, rank 1 = entry), zeros included, then tiers seen
  in snapshots but missing from the ladder (by name), then 未定级 when it has members.
- share = members / all members; buyers = members with >= 1 valid order paid in the range;
  gmv = their net amount (yuan); gmv_share = gmv / total gmv (null when total is 0);
  arpu = gmv / buyers, as in `kpis` (0 without buyers); gmv_per_member = gmv / members.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.order_runs import last_of_member

UNRANKED = "未定级"
SCHEMA = pl.Schema({"tier": pl.String, "rank": pl.Int64, "members": pl.Int64, "share": pl.Float64, "buyers": pl.Int64,
          "gmv": pl.Float64, "gmv_share": pl.Float64, "arpu": pl.Float64, "gmv_per_member": pl.Float64})


def tier_as_of(snapshots: pl.LazyFrame, day: dt.date, *, assume_sorted: bool = False) -> pl.LazyFrame:
    """member_id, tier: each member's tier in their latest snapshot on or before `day`.
    assume_sorted: snapshots are sorted by member then date (the cached frame is): the last row of each
    member's run is the latest, no group-by (10x faster on 6M snapshots)."""
    on_or_before = snapshots.filter(pl.col("snapshot_date") <= day)
    if assume_sorted:
        return on_or_before.filter(last_of_member()).select("member_id", "tier")
    return on_or_before.group_by("member_id").agg(pl.col("tier").sort_by("snapshot_date").last())


def ladder(tiers: pl.LazyFrame, seen: pl.LazyFrame) -> pl.LazyFrame:
    """tier, rank: the brand's ladder, then unknown tier names (by name), then 未定级 (rank null)."""
    known = tiers.select("tier", pl.col("rank").cast(pl.Int64))
    extra = (
        seen.select("tier").unique().filter(pl.col("tier").is_not_null() & (pl.col("tier") != UNRANKED))
        .join(known, on="tier", how="anti").sort("tier")
        .with_columns(pl.lit(None, dtype=pl.Int64).alias("rank"))
    )
    return pl.concat([
        known.sort("rank").with_columns(pl.lit(0).alias("_g")),
        extra.with_columns(pl.lit(1).alias("_g")),
        pl.LazyFrame({"tier": [UNRANKED], "rank": [None]}, schema={"tier": pl.String, "rank": pl.Int64})
        .with_columns(pl.lit(2).alias("_g")),
    ]).with_row_index("_order")


def _per_member(members: pl.LazyFrame, current: pl.LazyFrame, orders: pl.LazyFrame, *, start: dt.date,
                end: dt.date) -> pl.LazyFrame:
    """member_id, tier, net_cents (null for members without a valid order in the range) of the population."""
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    lo = dt.datetime.combine(start, dt.time())
    in_range = orders.filter((pl.col("paid_at") >= lo) & (pl.col("paid_at") < hi))
    spend = in_range.group_by("member_id").agg(pl.col("net_cents").sum())
    population = pl.concat([members.filter(pl.col("joined_at") < hi).select("member_id"),
                            spend.select("member_id")]).unique()
    return (population.join(current, on="member_id", how="left")
            .join(spend, on="member_id", how="left")
            .with_columns(pl.col("tier").fill_null(UNRANKED)))


def tier_members(members: pl.LazyFrame, snapshots: pl.LazyFrame, orders: pl.LazyFrame, *, start: dt.date,
                 end: dt.date, tier: str, assume_sorted: bool = False) -> pl.DataFrame:
    """One row per member of `tier` in tier_distribution's population: member_id, net (yuan in the range,
    0 without an order). Its length is that tier's `members`; the non-zero rows are its `buyers`."""
    current = tier_as_of(snapshots, end, assume_sorted=assume_sorted)
    return (_per_member(members, current, orders, start=start, end=end)
            .filter(pl.col("tier") == tier)
            .select(pl.col("member_id").cast(pl.Int64), (pl.col("net_cents").fill_null(0) / 100).cast(pl.Float64).alias("net"))
            .sort(["net", "member_id"], descending=[True, False]).collect())


def tier_distribution(
    members: pl.LazyFrame,
    snapshots: pl.LazyFrame,
    tiers: pl.LazyFrame,
    orders: pl.LazyFrame,
    *,
    start: dt.date,
    end: dt.date,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """members: member_id, joined_at; snapshots: member_id, snapshot_date, tier; tiers: tier, rank;
    orders: member_id, paid_at, net_cents (valid orders). assume_sorted: snapshots are sorted by member then
    date (tier_as_of)."""
    current = tier_as_of(snapshots, end, assume_sorted=assume_sorted)
    per_member = _per_member(members, current, orders, start=start, end=end)
    counts = per_member.group_by("tier").agg(
        pl.len().alias("members"),
        pl.col("net_cents").is_not_null().sum().alias("buyers"),
        pl.col("net_cents").sum().fill_null(0).alias("net_cents"),
    )
    rows = (
        ladder(tiers, current)
        .join(counts, on="tier", how="left")
        .filter((pl.col("_g") == 0) | (pl.col("members") > 0))
        .sort("_order")
        .with_columns(pl.col("members", "buyers", "net_cents").fill_null(0).cast(pl.Int64))
    )
    return tier_rows(rows)


def tier_rows(rows: pl.LazyFrame) -> pl.DataFrame:
    """The output rows (SCHEMA) from tier, rank, members, buyers, net_cents per tier, in display order:
    gmv in yuan and the shares derived. Counts of disjoint member sets add up before this step
    (siyu.spark combines member buckets this way)."""
    rows = rows.with_columns((pl.col("net_cents") / 100).alias("gmv"))
    total_members = pl.col("members").sum()
    total_gmv = pl.col("net_cents").sum()
    return (
        rows.with_columns(
            pl.when(total_members > 0).then(pl.col("members") / total_members).alias("share"),
            pl.when(total_gmv > 0).then(pl.col("net_cents") / total_gmv).alias("gmv_share"),
            pl.when(pl.col("buyers") > 0).then(pl.col("gmv") / pl.col("buyers")).otherwise(0.0).alias("arpu"),
            pl.when(pl.col("members") > 0).then(pl.col("gmv") / pl.col("members")).otherwise(0.0)
            .alias("gmv_per_member"),
        )
        .select(list(SCHEMA))
        .collect()
        .cast(SCHEMA)
        .pipe(lambda f: f if f["members"].sum() > 0 else f.clear())
    )
