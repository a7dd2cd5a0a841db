"""One row per cohort x period of the retention triangle: cohort, [channel], cohort_size, period, value, rate, complete, [cumulative].

Definitions (docs/metrics/retention.md, after docs/metrics.md):

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
from siyu.metrics.order_runs import (
    attach_member_columns,
    last_of_member,
    new_member,
    run_first,
    sort_by_member_day,
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
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """The retention triangle. orders: member_id, paid_at (Date or Datetime), net_cents.
    members (cohort=joined|channel): member_id, joined_at, channel.
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
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
        sizes, values = _first_order_runs(orders if assume_sorted else sort_by_member_day(orders),
                                          grain=grain, measure=measure, mode=mode, start=start, end=end)
        cohort_keys = ["c_idx"]
    else:
        sizes, values = _joined(orders, members, schema, as_of=as_of, cohort=cohort, grain=grain, measure=measure,
                                mode=mode, start=start, end=end, assume_sorted=assume_sorted)
        cohort_keys = ["c_idx", "channel"] if cohort == "channel" else ["c_idx"]

    as_of_idx = index_of(as_of, grain)
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


def _first_order_runs(rows: pl.LazyFrame, *, grain: str, measure: str, mode: str, start: dt.date | None,
                      end: dt.date | None) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(sizes, values) of first-order cohorts from orders sorted by member, then day: a member's cohort
    is the period of their first row, so no per-member hash table is needed."""
    o_idx = pl.col("o_idx")
    rows = (
        rows.select("member_id", "day", "net_cents", period_index(pl.col("day"), grain).alias("o_idx"))
        .with_columns(new_member().alias("_new"))
        .with_columns(
            run_first(o_idx).alias("c_idx"),
            run_first(pl.col("day")).alias("cohort_day"),
            (pl.col("_new") | (o_idx != o_idx.shift(1))).alias("_first_in_period"),
            last_of_member().alias("_last"),
        )
        .with_columns((o_idx - pl.col("c_idx")).alias("period"))
    )
    if start is not None:
        rows = rows.filter(pl.col("cohort_day") >= start)
    if end is not None:
        rows = rows.filter(pl.col("cohort_day") <= end)
    sizes = rows.filter(pl.col("_new")).group_by("c_idx").agg(pl.len().cast(pl.Int64).alias("cohort_size"))
    if measure == "revenue":
        values = rows.group_by("c_idx", "period").agg((pl.col("net_cents").sum() / 100).alias("value"))
    else:  # on: each member once per active period; on_or_after: once, at their last active period
        keep = pl.col("_first_in_period") if mode == "on" else pl.col("_last")
        values = rows.filter(keep).group_by("c_idx", "period").agg(pl.len().cast(pl.Int64).alias("value"))
    return sizes, values


def _joined(orders: pl.LazyFrame, members: pl.LazyFrame | None, schema: pl.Schema, *, as_of: dt.date, cohort: str,
            grain: str, measure: str, mode: str, start: dt.date | None,
            end: dt.date | None, assume_sorted: bool = False) -> tuple[pl.LazyFrame, pl.LazyFrame]:
    """(sizes, values) of joined / channel cohorts."""
    if members is None:
        raise MetricError(f"cohort={cohort} 需要会员表 / cohort={cohort} needs the members frame")
    cohorts = members.select(
        "member_id",
        pl.col("joined_at").cast(pl.Date).alias("cohort_day"),
        pl.col("joined_at"),
        pl.col("channel").fill_null(UNKNOWN_CHANNEL).alias("channel"),
    ).filter(pl.col("cohort_day") <= as_of)
    if start is not None:
        cohorts = cohorts.filter(pl.col("cohort_day") >= start)
    if end is not None:
        cohorts = cohorts.filter(pl.col("cohort_day") <= end)
    cohorts = cohorts.with_columns(period_index(pl.col("cohort_day"), grain).alias("c_idx"))
    keys = ["c_idx", "channel"] if cohort == "channel" else ["c_idx"]
    # An order paid before the member joined belongs to no period of the member's cohort.
    paid_after = (pl.col("paid_at") >= pl.col("joined_at")) if schema["paid_at"] != pl.Date \
        else (pl.col("paid_at") >= pl.col("joined_at").cast(pl.Date))
    joined = (attach_member_columns(orders, cohorts, ["joined_at", *keys]) if assume_sorted
              else orders.join(cohorts.select("member_id", "joined_at", *keys), on="member_id"))
    activity = (
        joined.filter(paid_after)
        .select("member_id", *keys, "net_cents",
                (period_index(pl.col("day"), grain) - pl.col("c_idx")).alias("period"))
    )
    if measure == "revenue":
        values = activity.group_by(*keys, "period").agg((pl.col("net_cents").sum() / 100).alias("value"))
    elif mode == "on":
        values = (activity.select("member_id", *keys, "period").unique()
                  .group_by(*keys, "period").agg(pl.len().cast(pl.Int64).alias("value")))
    else:
        last = activity.group_by("member_id", *keys).agg(pl.col("period").max())
        values = last.group_by(*keys, "period").agg(pl.len().cast(pl.Int64).alias("value"))
    sizes = cohorts.group_by(*keys).agg(pl.len().cast(pl.Int64).alias("cohort_size"))
    return sizes, values


def _empty(columns: list[str], cohort: str) -> pl.DataFrame:
    types = {"cohort": pl.Date, "channel": pl.String, "cohort_size": pl.Int64, "period": pl.Int64,
             "value": pl.Float64 if "cumulative" in columns else pl.Int64, "rate": pl.Float64,
             "complete": pl.Boolean, "cumulative": pl.Float64}
    return pl.DataFrame(schema={c: types[c] for c in columns})
