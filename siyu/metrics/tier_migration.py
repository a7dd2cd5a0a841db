"""One row per (from tier, to tier) cell of the migration matrix: from_tier, from_rank, to_tier, to_rank, members, share_of_from, direction.

Definitions (docs/metrics/tiers.md#tier_migration):
- A member's tier on a date is the tier of their latest snapshot on or before that date (so any two
  dates work; the runner defaults to the two latest snapshot dates).
- Members with a tier on at least one of the two dates are counted; a missing side is "未定级".
- Every cell of the square matrix over the tiers that occur (brand ladder order, then unknown
  names, then 未定级 when it occurs) is emitted, zeros included — ready for a Sankey or a heatmap.
- share_of_from = members / members in the from tier on the first date (null when that is 0).
- direction: up / down / same by ladder rank; enter (from 未定级), exit (to 未定级); "other" when a
  side has a tier missing from the ladder.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.tiers import UNRANKED, ladder, tier_as_of

SCHEMA = pl.Schema({"from_tier": pl.String, "from_rank": pl.Int64, "to_tier": pl.String, "to_rank": pl.Int64,
          "members": pl.Int64, "share_of_from": pl.Float64, "direction": pl.String})


def tier_migration(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, *, from_date: dt.date, to_date: dt.date,
                   assume_sorted: bool = False) -> pl.DataFrame:
    """snapshots: member_id, snapshot_date, tier; tiers: tier, rank. assume_sorted: snapshots are sorted by
    member then date (siyu.metrics.tiers.tier_as_of)."""
    before = tier_as_of(snapshots, from_date, assume_sorted=assume_sorted).rename({"tier": "from_tier"})
    after = tier_as_of(snapshots, to_date, assume_sorted=assume_sorted).rename({"tier": "to_tier"})
    moves = (
        before.join(after, on="member_id", how="full", coalesce=True)
        .with_columns(pl.col("from_tier", "to_tier").fill_null(UNRANKED))
        .group_by("from_tier", "to_tier").agg(pl.len().cast(pl.Int64).alias("members"))
        .collect()
    )
    if moves.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    occurring = set(moves["from_tier"]) | set(moves["to_tier"])
    seen = pl.LazyFrame({"tier": sorted(occurring)})
    axis = ladder(tiers, seen).filter(pl.col("tier").is_in(sorted(occurring))).collect()
    side = axis.select("tier", "rank", "_order", "_g")
    grid = (
        side.rename({"tier": "from_tier", "rank": "from_rank", "_order": "fo", "_g": "fg"})
        .join(side.rename({"tier": "to_tier", "rank": "to_rank", "_order": "to", "_g": "tg"}), how="cross")
        .join(moves, on=["from_tier", "to_tier"], how="left")
        .with_columns(pl.col("members").fill_null(0))
        .sort("fo", "to")
    )
    direction = (
        pl.when(pl.col("from_tier") == UNRANKED).then(pl.lit("enter"))
        .when(pl.col("to_tier") == UNRANKED).then(pl.lit("exit"))
        .when(pl.col("from_rank").is_null() | pl.col("to_rank").is_null()).then(pl.lit("other"))
        .when(pl.col("to_rank") > pl.col("from_rank")).then(pl.lit("up"))
        .when(pl.col("to_rank") < pl.col("from_rank")).then(pl.lit("down"))
        .otherwise(pl.lit("same"))
    )
    from_total = pl.col("members").sum().over("from_tier")
    return grid.with_columns(
        pl.when(from_total > 0).then(pl.col("members") / from_total).alias("share_of_from"),
        direction.alias("direction"),
    ).select(list(SCHEMA)).cast(SCHEMA)
