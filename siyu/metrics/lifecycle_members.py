"""One row per member behind one bar of the buyer lifecycle: member_id, orders, net (yuan), last_day.

The same definitions as siyu.metrics.lifecycle (docs/metrics/lifecycle.md): a member is active in a
calendar period when they have a valid order in it (up to `as_of`); in the period starting `period_start`
- new: active, and it is their first active period;
- returning: active, and active in the previous period;
- resurrecting: active, not in the previous period, active some time before;
- dormant: active in the previous period, not in this one.
`orders` and `net` count the member's valid orders in the period (0 for dormant members); `last_day` is
their last valid order up to `as_of`. Sorted by net, then member_id. Its length equals the bar's count.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import as_day, check_grain, index_of, period_index

STATUSES = ("new", "returning", "resurrecting", "dormant")
SCHEMA = {"member_id": pl.Int64, "orders": pl.Int64, "net": pl.Float64, "last_day": pl.Date}


def lifecycle_members(orders: pl.LazyFrame, *, as_of: dt.date | None, grain: str, period_start: dt.date,
                      status: str) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime), net_cents of valid orders."""
    check_grain(grain)
    if status not in STATUSES:
        raise MetricError(f"status={status!r}：只能是 {' | '.join(STATUSES)} / status must be one of {STATUSES}")
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    p = index_of(period_start, grain)
    rows = (orders.with_columns(as_day("paid_at", orders.collect_schema()).alias("day"))
            .filter(pl.col("day") <= as_of)
            .with_columns(period_index(pl.col("day"), grain).alias("o_idx")))
    in_p = pl.col("o_idx") == p
    per_member = rows.group_by("member_id").agg(
        in_p.any().alias("active"),
        (pl.col("o_idx") == p - 1).any().alias("active_before"),
        pl.col("o_idx").filter(pl.col("o_idx") < p).max().alias("prev"),
        in_p.sum().cast(pl.Int64).alias("orders"),
        (pl.col("net_cents").filter(in_p).sum() / 100).cast(pl.Float64).alias("net"),
        pl.col("day").max().alias("last_day"),
    )
    keep = {
        "new": pl.col("active") & pl.col("prev").is_null(),
        "returning": pl.col("active") & pl.col("active_before"),
        "resurrecting": pl.col("active") & ~pl.col("active_before") & pl.col("prev").is_not_null(),
        "dormant": ~pl.col("active") & pl.col("active_before"),
    }[status]
    return (per_member.filter(keep).select(list(SCHEMA)).cast(SCHEMA)  # type: ignore[arg-type]
            .sort(["net", "member_id"], descending=[True, False]).collect())
