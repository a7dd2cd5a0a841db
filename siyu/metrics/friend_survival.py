"""One row per add cohort x channel x horizon: cohort, channel, friends, days, at_risk, survival.

Definitions (docs/metrics/channels.md#friend_survival): Kaplan–Meier estimate of the share of
friendships still connected N days after the add, by add cohort (calendar period of added_at) and
channel (friends.channel, the channel QR state; missing = "未知").
- Each friendship (member x staff, a re-add is a new one) is observed from added_at to deleted_at
  (an event: either side deleted) or, when still open, to the end of the as-of day (censored).
  Deletions after the as-of day are treated as still open. Friendships added after it are left out.
- Durations are exact (fractional days). survival(N) = P(duration >= N) =
  prod over distinct deletion times t < N of (1 - deletions at t / friendships observed up to t),
  so friends added recently are censored, never counted as kept or lost.
- at_risk = friendships observed for at least N days (still connected at N, deleted or not later);
  survival is null when that is 0 and the curve has not reached 0 (the cohort is too young to say).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.calendar_index import check_grain, period_index, period_start

HORIZONS = (1, 7, 30, 90, 180, 365)
UNKNOWN = "未知"
SCHEMA = pl.Schema({"cohort": pl.Date, "channel": pl.String, "friends": pl.Int64, "days": pl.Int64, "at_risk": pl.Int64,
          "survival": pl.Float64})


def friend_survival(
    friends: pl.LazyFrame,
    *,
    as_of: dt.date | None,
    grain: str = "month",
    horizons: tuple[int, ...] = HORIZONS,
) -> pl.DataFrame:
    """friends: member_id, added_at, deleted_at, channel."""
    check_grain(grain)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    spells = (
        friends.filter(pl.col("added_at") < hi)
        .with_columns((pl.col("deleted_at").is_not_null() & (pl.col("deleted_at") < hi)).alias("event"))
        .select(
            period_index(pl.col("added_at").cast(pl.Date), grain).alias("c_idx"),
            pl.col("channel").fill_null(UNKNOWN),
            "event",
            ((pl.when(pl.col("event")).then(pl.col("deleted_at")).otherwise(pl.lit(hi)) - pl.col("added_at"))
             .dt.total_microseconds() / 86_400e6).alias("t"),
        )
    )
    keys = ["c_idx", "channel"]
    # Kaplan–Meier factors at each distinct time; at risk at t = observed for at least t.
    steps = (
        spells.group_by(*keys, "t").agg(pl.col("event").sum().alias("d"), pl.len().alias("n"))
        .sort(*keys, "t", descending=[False, False, True])
        .with_columns(pl.col("n").cum_sum().over(keys).alias("risk"))
        .with_columns((1 - pl.col("d") / pl.col("risk")).alias("factor"))
    )
    sizes = spells.group_by(keys).agg(pl.len().alias("friends"))
    parts = []
    for n in horizons:
        surv = steps.filter(pl.col("t") < n).group_by(keys).agg(pl.col("factor").product().alias("survival"))
        risk = spells.filter(pl.col("t") >= n).group_by(keys).agg(pl.len().alias("at_risk"))
        parts.append(
            sizes.join(surv, on=keys, how="left").join(risk, on=keys, how="left")
            .with_columns(pl.lit(n).alias("days"), pl.col("at_risk").fill_null(0))
            .with_columns(pl.col("survival").fill_null(1.0))
            # Past the last observation the curve is unknown, unless everyone has already gone.
            .with_columns(pl.when((pl.col("at_risk") > 0) | (pl.col("survival") == 0)).then(pl.col("survival")))
        )
    return (
        pl.concat(parts)
        .with_columns(period_start(pl.col("c_idx"), grain).alias("cohort"))
        .sort(*keys, "days")
        .select(list(SCHEMA)).collect().cast(SCHEMA)
    )
