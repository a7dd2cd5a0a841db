"""One row per member behind one channel row of the channel scorecard: member_id, joined, friend_added,
still_friend.

The same population as siyu.metrics.channels.channel_scorecard's `added` (docs/metrics/channels.md):
members who joined in [start, end] (and by the end of the as-of day), whose channel under `by` is
`channel` — members.channel (by=member), or the channel QR state / add way of the member's first
friendship added by the as-of day (friend_channel / add_way); missing = "未知". Its length equals the
row's `added`. Sorted by join time (newest first), then member_id.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.channels import BY, UNKNOWN

SCHEMA = {"member_id": pl.Int64, "joined": pl.Date, "friend_added": pl.Date, "still_friend": pl.Int64}


def channel_members(members: pl.LazyFrame, friends: pl.LazyFrame, *, start: dt.date | None, end: dt.date,
                    as_of: dt.date, by: str, channel: str) -> pl.DataFrame:
    """members: member_id, joined_at, channel; friends: member_id, added_at, deleted_at, channel, add_way.
    still_friend: 1 when the member has a friendship open at the end of the as-of day, else 0."""
    if by not in BY:
        raise MetricError(f"by={by!r}：只能是 {' | '.join(BY)} / by must be one of {BY}")
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    end_hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    cohort = members.filter(pl.col("joined_at") < min(hi, end_hi))
    if start is not None:
        cohort = cohort.filter(pl.col("joined_at") >= dt.datetime.combine(start, dt.time()))
    known = friends.filter(pl.col("added_at") < hi)
    first_friend = known.group_by("member_id").agg(
        pl.col("added_at", "channel", "add_way").sort_by("added_at").first()).select(
        "member_id", pl.col("added_at").alias("f_added"), pl.col("channel").alias("f_channel"),
        pl.col("add_way").alias("f_add_way"))
    is_open = (known.filter(pl.col("deleted_at").is_null() | (pl.col("deleted_at") >= hi))
               .select("member_id").unique().with_columns(pl.lit(1, dtype=pl.Int64).alias("still_friend")))
    key = {"member": pl.col("channel"), "friend_channel": pl.col("f_channel"), "add_way": pl.col("f_add_way")}[by]
    return (
        cohort.join(first_friend, on="member_id", how="left").join(is_open, on="member_id", how="left")
        .filter(key.fill_null(UNKNOWN) == channel)
        .sort(["joined_at", "member_id"], descending=[True, False])
        .select("member_id", pl.col("joined_at").cast(pl.Date).alias("joined"),
                pl.col("f_added").cast(pl.Date).alias("friend_added"), pl.col("still_friend").fill_null(0))
        .collect().cast(SCHEMA)  # type: ignore[arg-type]
    )
