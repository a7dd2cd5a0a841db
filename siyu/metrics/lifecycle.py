"""One row per period: period, new, returning, resurrecting, dormant, active, complete — PostHog's lifecycle of buyers.

Definitions (docs/metrics/lifecycle.md; PostHog's lifecycle insight applied to valid orders). A member
is active in a calendar period (day, ISO week from Monday, month) when they have a valid order in it.
- new: active in the period, and it is their first active period ever;
- returning: active in the period and in the previous one;
- resurrecting: active in the period, not in the previous one, and active some time before;
- dormant: active in the previous period but not in this one. PostHog draws dormant below the axis
  as a negative number; here it is a positive count (charts negate it).
- active = new + returning + resurrecting.
Every period from the first active one (or `start`) to the as-of period is listed, zeros included;
complete = the period ended on or before the as-of day. History before `start` still decides who is
new or resurrecting.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.calendar_index import (
    as_day,
    check_grain,
    index_of,
    last_complete_index,
    period_index,
    period_start,
)
from siyu.metrics.order_runs import last_of_member, new_member, sort_by_member_day

SCHEMA = pl.Schema({"period": pl.Date, "new": pl.Int64, "returning": pl.Int64, "resurrecting": pl.Int64, "dormant": pl.Int64,
          "active": pl.Int64, "complete": pl.Boolean})


def buyer_lifecycle(
    orders: pl.LazyFrame, *, as_of: dt.date | None, grain: str = "month", start: dt.date | None = None,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime) of valid orders.
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
    check_grain(grain)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    rows = orders if assume_sorted else sort_by_member_day(orders)
    p = pl.col("p")
    # Rows sorted by member then day: a member's active periods are runs; keep one row per run and
    # read the previous / next active period off the neighbours.
    active = (
        rows.select("member_id", as_day("paid_at", orders.collect_schema()).alias("day"))
        .filter(pl.col("day") <= as_of)
        .select("member_id", period_index(pl.col("day"), grain).alias("p"))
        .with_columns(new_member().alias("_new"))
        .filter(pl.col("_new") | (p != p.shift(1)))
        .with_columns(
            pl.when(~pl.col("_new")).then(p.shift(1)).alias("prev"),
            pl.when(~last_of_member()).then(p.shift(-1)).alias("next"),
        )
    )
    kinds = active.select(
        "p",
        pl.col("prev").is_null().alias("new"),
        (pl.col("prev") == pl.col("p") - 1).alias("returning"),
        (pl.col("prev") < pl.col("p") - 1).alias("resurrecting"),
    ).group_by("p").agg(pl.col("new", "returning", "resurrecting").sum())
    # A member active in p and not in p + 1 is dormant in p + 1.
    dormant = (
        active.filter(pl.col("next").is_null() | (pl.col("next") > pl.col("p") + 1))
        .group_by((pl.col("p") + 1).alias("p")).agg(pl.len().alias("dormant"))
    )
    first = active.select(pl.col("p").min()).collect().item()
    if first is None:
        return pl.DataFrame(schema=SCHEMA)
    if start is not None:
        first = max(first, index_of(start, grain))
    last = index_of(as_of, grain)
    spine = pl.LazyFrame({"p": pl.int_range(first, last + 1, dtype=pl.Int32, eager=True)})
    return (
        spine.join(kinds.with_columns(pl.col("p").cast(pl.Int32)), on="p", how="left")
        .join(dormant.with_columns(pl.col("p").cast(pl.Int32)), on="p", how="left")
        .with_columns(pl.col("new", "returning", "resurrecting", "dormant").fill_null(0))
        .with_columns(
            period_start(pl.col("p"), grain).alias("period"),
            (pl.col("new") + pl.col("returning") + pl.col("resurrecting")).alias("active"),
            (pl.col("p") <= last_complete_index(as_of, grain)).alias("complete"),
        )
        .sort("p").select(list(SCHEMA)).collect().cast(SCHEMA)
    )
