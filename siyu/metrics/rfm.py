"""One row per buyer: member_id, frequency, recency, T, monetary_value (the buy-till-you-die RFM summary).

Definitions (docs/metrics/rfm.md; lifetimes' `summary_data_from_transaction_data` semantics, Fader,
Hardie & Lee 2005), over valid orders and their net amounts:

- Purchases are aggregated per calendar day (several orders on one day are one purchase).
- The summary is taken at the cut-off: `calibration_end` when given (later orders are ignored), else
  `observation_end` (default: the last day with a valid order). Orders after the cut-off are ignored
  and members whose first purchase is after it are absent.
- frequency = purchase days - 1 (repeat purchases);
- recency = last purchase day - first purchase day;
- T = cut-off day - first purchase day;
- monetary_value = mean daily net spend (yuan) over the repeat days, i.e. excluding the first
  purchase day; 0 when frequency is 0.
- unit=day counts days; unit=week divides the day counts by 7 (fractional weeks, as lifetimes does).
- member_id is written as a string (a key, not a number to sum).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import as_day
from siyu.metrics.order_runs import member_summary, sort_by_member_day

UNITS = {"day": 1.0, "week": 7.0}
COLUMNS = ["member_id", "frequency", "recency", "T", "monetary_value"]
SCHEMA = pl.Schema({"member_id": pl.String, "frequency": pl.Int64, "recency": pl.Float64, "T": pl.Float64,
          "monetary_value": pl.Float64})


def rfm_cutoff(observation_end: dt.date | None, calibration_end: dt.date | None) -> dt.date | None:
    if calibration_end and observation_end and calibration_end > observation_end:
        raise MetricError(f"calibration_end {calibration_end} 晚于 observation_end {observation_end} "
                          "/ calibration_end must be on or before observation_end")
    return calibration_end or observation_end


def rfm_summary(
    orders: pl.LazyFrame,
    *,
    observation_end: dt.date | None = None,
    calibration_end: dt.date | None = None,
    unit: str = "day",
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime), net_cents (orders or per-day sums).
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
    if unit not in UNITS:
        raise MetricError(f"unit={unit!r}：只能是 day 或 week / unit must be day or week")
    rows = orders if assume_sorted else sort_by_member_day(orders)
    days = rows.select("member_id", as_day("paid_at", orders.collect_schema()).alias("day"), "net_cents")
    cutoff = rfm_cutoff(observation_end, calibration_end)
    if cutoff is None:
        cutoff = days.select(pl.col("day").max()).collect().item()
    if cutoff is None:
        return pl.DataFrame(schema=SCHEMA)
    scale = UNITS[unit]
    # One pass over each member's run of orders (sorted by day): distinct days, first-day spend, totals.
    return (
        member_summary(days.filter(pl.col("day") <= cutoff))
        .rename({"days": "n"})
        .select(
            pl.col("member_id").cast(pl.String),
            (pl.col("n") - 1).cast(pl.Int64).alias("frequency"),
            ((pl.col("last") - pl.col("first")).dt.total_days() / scale).cast(pl.Float64).alias("recency"),
            ((pl.lit(cutoff) - pl.col("first")).dt.total_days() / scale).cast(pl.Float64).alias("T"),
            pl.when(pl.col("n") > 1)
            .then((pl.col("total") - pl.col("first_net")) / (pl.col("n") - 1) / 100)
            .otherwise(0.0)
            .cast(pl.Float64)
            .alias("monetary_value"),
        )
        .collect()
    )
