"""Valid orders sorted by member then day, and the run flags that let metrics read them in one pass.

Sorting 10M orders costs about a second; it is paid once when the narrow order frame is cached
(`inputs.valid_orders_cached`). After that a member's orders are one contiguous run, so "first order
period", "distinct days" and "first-day spend" are shifts, forward fills and cumulative sums —
no hash table over a million members.
"""

from __future__ import annotations

import polars as pl

from siyu.metrics.calendar_index import as_day

_DAY_SPAN = 65_536   # days since 1970 + 32768 fall in [0, 65536) for 1880-04 .. 2149-09
_DAY_OFFSET = 32_768


def member_day_key(paid_at: pl.Expr) -> pl.Expr:
    """One Int64 that orders rows by member, then calendar day."""
    return pl.col("member_id").cast(pl.Int64) * _DAY_SPAN + paid_at.cast(pl.Date).cast(pl.Int64) + _DAY_OFFSET


def sort_by_member_day(orders: pl.LazyFrame) -> pl.LazyFrame:
    """orders (member_id, paid_at, ...) sorted by member, then day (time within a day is not ordered)."""
    return orders.sort(member_day_key(as_day("paid_at", orders.collect_schema())))


def new_member() -> pl.Expr:
    """True on the first row of each member's run (rows sorted by member)."""
    return (pl.col("member_id") != pl.col("member_id").shift(1)).fill_null(True)


def last_of_member() -> pl.Expr:
    """True on the last row of each member's run."""
    return (pl.col("member_id") != pl.col("member_id").shift(-1)).fill_null(True)


def run_first(expr: pl.Expr, start: str = "_new") -> pl.Expr:
    """`expr` as it was on the first row of the current member's run."""
    return pl.when(pl.col(start)).then(expr).forward_fill()


def run_total(expr: pl.Expr, start: str = "_new") -> pl.Expr:
    """Running total of `expr` since the start of the current member's run (read it on the last row)."""
    cum = expr.cum_sum()
    before = pl.when(pl.col(start)).then(cum - expr).forward_fill()
    return cum - before


def member_summary(rows: pl.LazyFrame) -> pl.LazyFrame:
    """One row per member from orders sorted by member then day (member_id, day, net_cents):
    member_id, first, last (days), days (distinct purchase days), total, first_net (cents of the first day)."""
    day = pl.col("day")
    return (
        rows.with_columns(new_member().alias("_new"))
        .with_columns(
            (pl.col("_new") | (day != day.shift(1))).cast(pl.Int64).alias("_new_day"),
            run_first(day).alias("first"),
            last_of_member().alias("_last"),
        )
        .with_columns(
            run_total(pl.col("_new_day")).alias("days"),
            run_total(pl.col("net_cents")).alias("total"),
            run_total(pl.when(day == pl.col("first")).then(pl.col("net_cents")).otherwise(0)).alias("first_net"),
        )
        .filter(pl.col("_last"))
        .select("member_id", "first", day.alias("last"), "days", "total", "first_net")
    )


def sorted_by_member_day(frame: pl.DataFrame) -> pl.DataFrame:
    """An eager frame sorted like `sort_by_member_day`, by arg-sorting one key and gathering the rows:
    on 9M orders this peaks ~300 MB lower than sorting the frame by an expression."""
    if frame.height == 0:
        return frame
    key = frame.select(member_day_key(as_day("paid_at", frame.schema)).alias("_k")).to_series()
    order = key.arg_sort()
    del key
    return frame[order]


def attach_member_columns(orders: pl.LazyFrame, members: pl.LazyFrame, columns: list[str]) -> pl.LazyFrame:
    """Inner join of `columns` of `members` (one row per member_id) onto orders sorted by member, as a
    merge: `join_asof` on the sorted key, keeping only exact matches. ~6x faster than a hash join on
    9M orders x 1.3M members."""
    right = (members.select("member_id", pl.col("member_id").alias("_mid"), *columns)
             .sort("member_id").with_columns(pl.col("member_id").set_sorted()))
    return (orders.with_columns(pl.col("member_id").set_sorted())
            .join_asof(right, on="member_id", strategy="backward")
            .filter(pl.col("_mid") == pl.col("member_id")).drop("_mid"))
