"""One row per channel x horizon: channel, friends, days, at_risk, survival — friend survival pooled over
every friendship added in [start, end] (the channels page compares channels, not add months).

Same estimator and conventions as siyu.metrics.friend_survival (docs/metrics/channels.md): each friendship
is observed from added_at to deleted_at (either side) or, while open, to the end of the as-of day
(censored); survival(N) = P(duration >= N) by Kaplan–Meier; null past the last observation unless the
curve has reached 0.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.friend_survival import UNKNOWN

HORIZONS = (0, 1, 3, 7, 14, 30, 60, 90, 180, 365)
SCHEMA = pl.Schema({"channel": pl.String, "friends": pl.Int64, "days": pl.Int64, "at_risk": pl.Int64, "survival": pl.Float64})


def channel_survival(friends: pl.LazyFrame, *, as_of: dt.date | None, start: dt.date | None = None,
                     end: dt.date | None = None, horizons: tuple[int, ...] = HORIZONS) -> pl.DataFrame:
    """friends: member_id, added_at, deleted_at, channel."""
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    rows = friends.filter(pl.col("added_at") < hi)
    if start is not None:
        rows = rows.filter(pl.col("added_at") >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        rows = rows.filter(pl.col("added_at") < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    spells = (
        rows.with_columns((pl.col("deleted_at").is_not_null() & (pl.col("deleted_at") < hi)).alias("event"))
        .select(pl.col("channel").fill_null(UNKNOWN), "event",
                ((pl.when(pl.col("event")).then(pl.col("deleted_at")).otherwise(pl.lit(hi)) - pl.col("added_at"))
                 .dt.total_microseconds() / 86_400e6).alias("t"))
        .collect()
    )
    if spells.is_empty():
        return pl.DataFrame(schema=SCHEMA)
    # Survival just after each distinct time t: the running product of (1 - deletions / at risk); `seen`
    # counts the friendships observed for at most t (so at risk at N = friends - seen just before N).
    steps = (
        spells.group_by("channel", "t").agg(pl.col("event").sum().alias("d"), pl.len().alias("n"))
        .sort("channel", "t", descending=[False, True])
        .with_columns(pl.col("n").cum_sum().over("channel").alias("risk"))
        .sort("channel", "t")
        .with_columns((1 - pl.col("d") / pl.col("risk")).cum_prod().over("channel").alias("survival"),
                      pl.col("n").cum_sum().over("channel").alias("seen"))
        .select("channel", "t", "survival", "seen")
    )
    sizes = spells.group_by("channel").agg(pl.len().alias("friends"))
    grid = sizes.join(pl.DataFrame({"days": list(horizons)}), how="cross").with_columns(
        pl.col("days").cast(pl.Float64).alias("t"))
    curve = grid.sort("channel", "t").join_asof(steps, on="t", by="channel", strategy="backward",
                                                allow_exact_matches=False, check_sortedness=False)
    return (
        curve.with_columns((pl.col("friends") - pl.col("seen").fill_null(0)).cast(pl.Int64).alias("at_risk"),
                           pl.col("survival").fill_null(1.0))
        .with_columns(pl.when((pl.col("at_risk") > 0) | (pl.col("survival") == 0)).then(pl.col("survival"))
                      .alias("survival"))
        .sort(["friends", "channel", "days"], descending=[True, False, False])
        .select(list(SCHEMA)).cast(SCHEMA)
    )
