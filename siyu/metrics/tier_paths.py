"""Where downgraded members go, and who is close to the next tier (docs/metrics/tier_economics.md).

`downgrade_paths` — one row per downgrade step: from_tier, to_tier, downgrades, regained, stayed, fell_further,
bought_after. A downgrade is a snapshot whose rank is below the member's previous snapshot. Its outcome is read
at the member's latest snapshot: regained (rank back at or above the from tier), stayed (still the to tier's
rank), fell_further (lower still); bought_after = share with a valid order in the 90 days after the downgrade
snapshot (only downgrades with those 90 days in the data count in it).

`near_next_tier` — one row per member close to the next tier: member_id, tier, growth_value, next_tier,
next_threshold, gap, gap_share, threshold_source. The member's tier and growth value are those of their
latest snapshot on or before `as_of`; the next tier is the next rank of the ladder. Its threshold is the one the
brand stated (the tier_thresholds table), else inferred as the lowest growth value any snapshot shows in that tier
(threshold_source = stated | inferred). gap = threshold - growth value (> 0); a member is close when
gap <= within x threshold (within = 0.2 by default). Sorted by gap.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.tier_upgrades import upgrade_events

PATH_SCHEMA = pl.Schema({"from_tier": pl.String, "to_tier": pl.String, "downgrades": pl.Int64, "regained": pl.Int64,
                         "stayed": pl.Int64, "fell_further": pl.Int64, "bought_after": pl.Float64})
NEAR_SCHEMA = pl.Schema({"member_id": pl.Int64, "tier": pl.String, "growth_value": pl.Int64, "next_tier": pl.String,
                         "next_threshold": pl.Int64, "gap": pl.Int64, "gap_share": pl.Float64,
                         "threshold_source": pl.String})


def downgrade_paths(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date,
                    window: int = 90) -> pl.DataFrame:
    """snapshots: member_id, snapshot_date, tier; tiers: tier, rank; orders: member_id, paid_at, net_cents."""
    ev = upgrade_events(snapshots, tiers).filter(pl.col("to_rank") < pl.col("from_rank"))
    if ev.height == 0:
        return pl.DataFrame(schema=PATH_SCHEMA)
    ranks = tiers.select("tier", pl.col("rank").cast(pl.Int64)).collect()
    latest = (snapshots.sort("member_id", "snapshot_date").group_by("member_id").agg(pl.col("tier").last()).collect()
              .join(ranks, on="tier").select("member_id", pl.col("rank").alias("now")))
    bought = (ev.with_row_index("_e").select("_e", "member_id", "day")
              .join(orders.select("member_id", pl.col("paid_at").cast(pl.Date).alias("od")).collect(), on="member_id")
              .filter((pl.col("od") > pl.col("day")) & (pl.col("od") <= pl.col("day") + pl.duration(days=window)))
              .select("_e").unique().with_columns(pl.lit(True).alias("b")))
    ev = (ev.with_row_index("_e").join(latest, on="member_id", how="left").join(bought, on="_e", how="left")
          .with_columns(pl.when(pl.col("day") + pl.duration(days=window) <= as_of)
                        .then(pl.col("b").fill_null(False)).alias("b")))
    return (ev.group_by("from_tier", "to_tier", "from_rank", "to_rank")
            .agg(pl.len().cast(pl.Int64).alias("downgrades"),
                 (pl.col("now") >= pl.col("from_rank")).sum().cast(pl.Int64).alias("regained"),
                 (pl.col("now") == pl.col("to_rank")).sum().cast(pl.Int64).alias("stayed"),
                 (pl.col("now") < pl.col("to_rank")).sum().cast(pl.Int64).alias("fell_further"),
                 pl.col("b").mean().alias("bought_after"))
            .sort("from_rank", "to_rank", descending=[True, True]).select(list(PATH_SCHEMA)).cast(PATH_SCHEMA))


def tier_thresholds(snapshots: pl.LazyFrame, tiers: pl.LazyFrame) -> pl.DataFrame:
    """tier, rank, threshold, threshold_source: stated thresholds, else the lowest growth value seen in the tier."""
    seen = (snapshots.filter(pl.col("growth_value").is_not_null()).group_by("tier")
            .agg(pl.col("growth_value").min().alias("seen")))
    return (tiers.select("tier", pl.col("rank").cast(pl.Int64), pl.col("growth_threshold").cast(pl.Int64))
            .join(seen, on="tier", how="left")
            .with_columns(pl.coalesce("growth_threshold", "seen").alias("threshold"),
                          pl.when(pl.col("growth_threshold").is_not_null()).then(pl.lit("stated"))
                          .when(pl.col("seen").is_not_null()).then(pl.lit("inferred")).alias("threshold_source"))
            .select("tier", "rank", "threshold", "threshold_source").sort("rank").collect())


def near_next_tier(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, *, as_of: dt.date | None = None,
                   within: float = 0.2) -> pl.DataFrame:
    """snapshots: member_id, snapshot_date, tier, growth_value; tiers: tier, rank, growth_threshold."""
    ladder = tier_thresholds(snapshots, tiers)
    nxt = ladder.select(pl.col("rank") - 1, pl.col("tier").alias("next_tier"), pl.col("threshold").alias("next_threshold"),
                        "threshold_source")
    snaps = snapshots if as_of is None else snapshots.filter(pl.col("snapshot_date") <= as_of)
    latest = (snaps.sort("member_id", "snapshot_date").group_by("member_id")
              .agg(pl.col("tier").last(), pl.col("growth_value").last()).collect())
    return (latest.join(ladder.select("tier", "rank"), on="tier").join(nxt, on="rank")
            .with_columns((pl.col("next_threshold") - pl.col("growth_value")).alias("gap"))
            .filter(pl.col("growth_value").is_not_null() & pl.col("next_threshold").is_not_null()
                    & (pl.col("gap") > 0) & (pl.col("gap") <= within * pl.col("next_threshold")))
            .with_columns((pl.col("gap") / pl.col("next_threshold")).alias("gap_share"))
            .sort("gap", "member_id").select(list(NEAR_SCHEMA)).cast(NEAR_SCHEMA))
