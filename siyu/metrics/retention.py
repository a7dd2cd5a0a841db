"""One row per cohort x period of the retention triangle: cohort, [channel], cohort_size, period, value, rate, complete, [cumulative].

Definitions (docs/metrics-analytics.md#retention, after shared METRICS.md):

- Orders are valid orders (the `valid_orders` view); amounts are net (paid - refunded), in yuan.
- Cohort: the calendar period (day, ISO week from Monday, month) of
  - `first_order`: the member's first valid order ever (a start/end range picks cohorts, it never
    re-dates a member whose first order was earlier);
  - `joined`: the member's joined_at; cohort_size counts every member who joined, buyer or not, and
    orders paid before the member's joined_at are ignored;
  - `channel`: the `joined` cohorts split by the member's acquisition channel (members.channel,
    missing = "未知"), with a `channel` column.
- period k = whole calendar periods between the cohort's period and the order's period.
- measure=members: value = distinct cohort members with >= 1 valid order in period k (mode=on), or
  in period k or any later period (mode=on_or_after); rate = value / cohort_size.
- measure=revenue: value = net amount (yuan) of the cohort's valid orders in period k; rate = value /
  cohort_size (revenue per cohort member); cumulative = running sum of rate (LTV per member).
  Only mode=on is defined for revenue.
- Every cell from period 0 to the period containing `as_of` is emitted, zeros included.
- As of: `as_of` is the last day of data the caller vouches for (the runner passes the data's last
  day, or `end` when that is earlier); orders after it are ignored. complete = the period's last day
  is on or before `as_of`; the newest period is usually incomplete and must not be read as a drop.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import (
    as_day,
    check_grain,
    index_of,
    last_complete_index,
    period_index,
    period_start,
)

COHORTS = ("first_order", "joined", "channel")
MEASURES = ("members", "revenue")
MODES = ("on", "on_or_after")
UNKNOWN_CHANNEL = "未知"


def retention_columns(cohort: str, measure: str) -> list[str]:
    keys = ["cohort", "channel"] if cohort == "channel" else ["cohort"]
    tail = ["cumulative"] if measure == "revenue" else []
    return [*keys, "cohort_size", "period", "value", "rate", "complete", *tail]


def _check(cohort: str, grain: str, measure: str, mode: str) -> None:
    check_grain(grain)
    if cohort not in COHORTS:
        raise MetricError(f"cohort={cohort!r}：只能是 first_order、joined 或 channel / cohort must be one of {COHORTS}")
    if measure not in MEASURES:
        raise MetricError(f"measure={measure!r}：只能是 members 或 revenue / measure must be members or revenue")
    if mode not in MODES:
        raise MetricError(f"mode={mode!r}：只能是 on 或 on_or_after / mode must be on or on_or_after")
    if measure == "revenue" and mode != "on":
        raise MetricError("measure=revenue 只支持 mode=on（累计值见 cumulative 列）/ revenue is defined for mode=on only")


def cohort_retention(
    orders: pl.LazyFrame,
    members: pl.LazyFrame | None = None,
    *,
    as_of: dt.date | None,
    cohort: str = "first_order",
    grain: str = "month",
    measure: str = "members",
    mode: str = "on",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pl.DataFrame:
    """The retention triangle. orders: member_id, paid_at (Date or Datetime), net_cents.
    members (cohort=joined|channel): member_id, joined_at, channel."""
    _check(cohort, grain, measure, mode)
    columns = retention_columns(cohort, measure)
    schema = orders.collect_schema()
    orders = orders.with_columns(as_day("paid_at", schema).alias("day"))
    if as_of is None:
        as_of = orders.select(pl.col("day").max()).collect().item()
    if as_of is None:
        return _empty(columns, cohort)
    orders = orders.filter(pl.col("day") <= as_of)

    if cohort == "first_order":
        cohorts = orders.group_by("member_id").agg(pl.col("day").min().alias("cohort_day"))
        counted = orders
    else:
        if members is None:
            raise MetricError(f"cohort={cohort} 需要会员表 / cohort={cohort} needs the members frame")
        cohorts = members.select(
            "member_id",
            pl.col("joined_at").cast(pl.Date).alias("cohort_day"),
            pl.col("joined_at"),
            pl.col("channel").fill_null(UNKNOWN_CHANNEL).alias("channel"),
        ).filter(pl.col("cohort_day") <= as_of)
        # An order paid before the member joined belongs to no period of the member's cohort.
        paid_after = (pl.col("paid_at") >= pl.col("joined_at")) if schema["paid_at"] != pl.Date \
            else (pl.col("paid_at") >= pl.col("joined_at").cast(pl.Date))
        counted = orders.join(cohorts.select("member_id", "joined_at"), on="member_id").filter(paid_after)
    if start is not None:
        cohorts = cohorts.filter(pl.col("cohort_day") >= start)
    if end is not None:
        cohorts = cohorts.filter(pl.col("cohort_day") <= end)
    cohorts = cohorts.with_columns(period_index(pl.col("cohort_day"), grain).alias("c_idx"))
    cohort_keys = ["c_idx", "channel"] if cohort == "channel" else ["c_idx"]

    activity = (
        counted.select("member_id", period_index(pl.col("day"), grain).alias("o_idx"), "net_cents")
        .join(cohorts.select("member_id", *cohort_keys), on="member_id")
        .with_columns((pl.col("o_idx") - pl.col("c_idx")).alias("period"))
    )
    if measure == "revenue":
        values = activity.group_by(*cohort_keys, "period").agg((pl.col("net_cents").sum() / 100).alias("value"))
    elif mode == "on":
        values = activity.group_by(*cohort_keys, "period").agg(
            pl.col("member_id").n_unique().cast(pl.Int64).alias("value"))
    else:
        last = activity.group_by("member_id", *cohort_keys).agg(pl.col("period").max())
        values = last.group_by(*cohort_keys, "period").agg(pl.len().cast(pl.Int64).alias("value"))

    as_of_idx = index_of(as_of, grain)
    sizes = cohorts.group_by(*cohort_keys).agg(pl.len().cast(pl.Int64).alias("cohort_size"))
    spine = sizes.with_columns(
        pl.int_ranges(0, as_of_idx - pl.col("c_idx") + 1, dtype=pl.Int32).alias("period")
    ).explode("period")
    zero = pl.lit(0.0) if measure == "revenue" else pl.lit(0, dtype=pl.Int64)
    frame = spine.join(values, on=[*cohort_keys, "period"], how="left").with_columns(
        pl.col("value").fill_null(zero)).sort(*cohort_keys, "period")
    if mode == "on_or_after":
        # A member whose last active period is m counts in every period 0..m.
        frame = frame.with_columns(pl.col("value").reverse().cum_sum().reverse().over(cohort_keys))
    frame = frame.with_columns(
        period_start(pl.col("c_idx"), grain).alias("cohort"),
        (pl.col("value") / pl.col("cohort_size")).alias("rate"),
        ((pl.col("c_idx") + pl.col("period")) <= last_complete_index(as_of, grain)).alias("complete"),
        pl.col("period").cast(pl.Int64),
    )
    if measure == "revenue":
        frame = frame.with_columns(pl.col("rate").cum_sum().over(cohort_keys).alias("cumulative"))
    return frame.select(columns).collect()


def _empty(columns: list[str], cohort: str) -> pl.DataFrame:
    types = {"cohort": pl.Date, "channel": pl.String, "cohort_size": pl.Int64, "period": pl.Int64,
             "value": pl.Float64 if "cumulative" in columns else pl.Int64, "rate": pl.Float64,
             "complete": pl.Boolean, "cumulative": pl.Float64}
    return pl.DataFrame(schema={c: types[c] for c in columns})
