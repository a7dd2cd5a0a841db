"""One row per member behind one cell of the retention triangle: member_id, orders, net (yuan), last_day.

The same definitions as siyu.metrics.retention (docs/metrics/retention.md): valid orders, net amounts, a
member's cohort is the period of their first valid order (`first_order`) or of joined_at (`joined`,
`channel`; orders paid before joining are ignored); period k = whole calendar periods after the cohort's.
mode=on: members with a valid order in period k; mode=on_or_after: members with one in period k or later.
`start`/`end` pick cohort members exactly as the triangle's range does: a member belongs to the cell only
when their cohort day (first valid order, or joined_at) falls in [start, end]. Without this a range that
starts mid-period would list the whole period while the heatmap row counts only its part.
`orders` and `net` count the member's valid orders in period k (0 under on_or_after when the member was
active only later); `last_day` is the member's last valid order up to `as_of`.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import as_day, index_of, period_index
from siyu.metrics.retention import COHORTS, MODES, UNKNOWN_CHANNEL

SCHEMA = pl.Schema({"member_id": pl.Int64, "orders": pl.Int64, "net": pl.Float64, "last_day": pl.Date})


def cohort_members(orders: pl.LazyFrame, members: pl.LazyFrame | None, *, as_of: dt.date | None, cohort: str,
                   grain: str, cohort_start: dt.date, period: int, mode: str = "on",
                   channel: str | None = None, start: dt.date | None = None,
                   end: dt.date | None = None) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime), net_cents; members: member_id, joined_at, channel."""
    if cohort not in COHORTS or mode not in MODES:
        raise MetricError(f"cohort={cohort!r} / mode={mode!r} 无效 / invalid cohort or mode")
    if period < 0:
        raise MetricError("period 不能为负 / period must not be negative")
    target = index_of(cohort_start, grain)
    schema = orders.collect_schema()
    rows = orders.with_columns(as_day("paid_at", schema).alias("day"))
    if as_of is not None:
        rows = rows.filter(pl.col("day") <= as_of)
    rows = rows.with_columns(period_index(pl.col("day"), grain).alias("o_idx"))
    if cohort == "first_order":
        rows = rows.with_columns(pl.col("o_idx").min().over("member_id").alias("c_idx"),
                                 pl.col("day").min().over("member_id").alias("cohort_day"))
        rows = _in_range(rows, start, end)
    else:
        if members is None:
            raise MetricError(f"cohort={cohort} 需要会员表 / cohort={cohort} needs the members frame")
        who = members.select("member_id", "joined_at",
                             pl.col("channel").fill_null(UNKNOWN_CHANNEL).alias("channel"),
                             pl.col("joined_at").cast(pl.Date).alias("cohort_day"),
                             period_index(pl.col("joined_at").cast(pl.Date), grain).alias("c_idx"))
        who = _in_range(who, start, end if as_of is None else min(as_of, end or as_of))
        if cohort == "channel":
            who = who.filter(pl.col("channel") == (channel or UNKNOWN_CHANNEL))
        paid_after = (pl.col("paid_at") >= pl.col("joined_at")) if schema["paid_at"] != pl.Date \
            else (pl.col("paid_at") >= pl.col("joined_at").cast(pl.Date))
        rows = rows.join(who.filter(pl.col("c_idx") == target).select("member_id", "joined_at", "c_idx"),
                         on="member_id").filter(paid_after)
    rows = rows.filter(pl.col("c_idx") == target).with_columns((pl.col("o_idx") - pl.col("c_idx")).alias("k"))
    in_k = pl.col("k") == period
    per_member = rows.group_by("member_id").agg(
        in_k.sum().cast(pl.Int64).alias("orders"),
        (pl.col("net_cents").filter(in_k).sum() / 100).cast(pl.Float64).alias("net"),
        pl.col("day").max().alias("last_day"),
        pl.col("k").max().alias("_last_k"),
    )
    keep = pl.col("orders") > 0 if mode == "on" else pl.col("_last_k") >= period
    return (per_member.filter(keep).select(list(SCHEMA)).cast(SCHEMA)
            .sort(["net", "member_id"], descending=[True, False]).collect())


def _in_range(frame: pl.LazyFrame, start: dt.date | None, end: dt.date | None) -> pl.LazyFrame:
    """Rows whose cohort_day is in [start, end] (the retention triangle's own cohort filter)."""
    if start is not None:
        frame = frame.filter(pl.col("cohort_day") >= start)
    if end is not None:
        frame = frame.filter(pl.col("cohort_day") <= end)
    return frame
