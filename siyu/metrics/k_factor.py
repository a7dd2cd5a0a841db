"""K-factor of referrals. by=month: one row per month: period, referrals, converted_referees, buyers, k_factor, complete.
by=generation: one row per depth of the referral forest: generation, members, buyers, buyer_rate, k_factor.

Definitions (docs/metrics/referrals.md#k_factor):
- Edges are first-referrer-wins, cycles broken (see `referrals`).
- A referee converts when their first valid order ever falls on or after the day they were referred
  (someone who already bought was not won by the referral); they count in the month of that order.
- by=month: referrals = edges made in the month; buyers = distinct members with a valid order in the
  month (the buyers active in the month who could refer — the choice of denominator);
  k_factor = converted_referees / buyers (null without buyers). Months run from the first month with
  an order or a referral to the as-of month; complete = the month ended on or before as_of.
- by=generation: generation g = depth in the forest (0 = roots that referred someone).
  members = members at depth g; buyers = converted members at depth g (for g = 0: members with any
  valid order); buyer_rate = buyers / members; k_factor = buyers(g) / buyers(g - 1), the number of
  converted referees each converted member of the previous generation brought (null for g = 0).
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import as_day, last_complete_index, period_index, period_start
from siyu.metrics.order_runs import new_member, sort_by_member_day
from siyu.metrics.referrals import first_referrer, referral_forest

MONTH_SCHEMA = pl.Schema({"period": pl.Date, "referrals": pl.Int64, "converted_referees": pl.Int64, "buyers": pl.Int64,
                "k_factor": pl.Float64, "complete": pl.Boolean})
GEN_SCHEMA = pl.Schema({"generation": pl.Int64, "members": pl.Int64, "buyers": pl.Int64, "buyer_rate": pl.Float64,
              "k_factor": pl.Float64})


def converted_referees(winners: pl.DataFrame, first_day: pl.LazyFrame) -> pl.LazyFrame:
    """referee_id, first_day: referees whose first valid order is on or after their referral day."""
    return (
        winners.lazy().select("referee_id", pl.col("referred_at").cast(pl.Date).alias("ref_day"))
        .join(first_day.rename({"member_id": "referee_id"}), on="referee_id")
        .filter(pl.col("first_day") >= pl.col("ref_day"))
        .select("referee_id", "first_day")
    )


def k_factor(edges: pl.LazyFrame, orders: pl.LazyFrame, *, by: str = "month", as_of: dt.date | None,
             assume_sorted: bool = False) -> pl.DataFrame:
    """edges: referee_id, referrer_id, referred_at; orders: member_id, paid_at, net_cents (valid).
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
    if by not in ("month", "generation"):
        raise MetricError(f"by={by!r}：只能是 month 或 generation / by must be month or generation")
    rows = orders if assume_sorted else sort_by_member_day(orders)
    days = rows.select("member_id", as_day("paid_at", orders.collect_schema()).alias("day"))
    if as_of is not None:
        days = days.filter(pl.col("day") <= as_of)
    # Sorted by member then day: a member's first row is their first day, and one row per member-month
    # is the first row of each month run.
    days = days.with_columns(new_member().alias("_new"), period_index(pl.col("day"), "month").alias("m"))
    first_day = days.filter(pl.col("_new")).select("member_id", pl.col("day").alias("first_day"))
    winners, _ = first_referrer(edges)
    if as_of is not None:
        winners = winners.filter(pl.col("referred_at").cast(pl.Date) <= as_of)
    if by == "generation":
        return _by_generation(winners, first_day)
    if as_of is None or winners.height == 0:
        return pl.DataFrame(schema=MONTH_SCHEMA)
    def month(c: str) -> pl.Expr:
        return period_index(pl.col(c), "month")
    refs = winners.lazy().group_by(period_index(pl.col("referred_at").cast(pl.Date), "month").alias("m")) \
        .agg(pl.len().alias("referrals"))
    conv = converted_referees(winners, first_day).group_by(month("first_day").alias("m")) \
        .agg(pl.len().alias("converted_referees"))
    buyers = (days.filter(pl.col("_new") | (pl.col("m") != pl.col("m").shift(1)))
              .group_by("m").agg(pl.len().alias("buyers")))
    bounds = pl.concat([refs.select("m"), buyers.select("m")]).select(pl.col("m").min()).collect().item()
    last = period_index(pl.lit(as_of), "month")
    spine = pl.LazyFrame().select(pl.int_range(bounds, last + 1, dtype=pl.Int32).alias("m"))
    frame = spine
    for part in (refs, conv, buyers):
        frame = frame.join(part.with_columns(pl.col("m").cast(pl.Int32)), on="m", how="left")
    return (
        frame.with_columns(pl.col("referrals", "converted_referees", "buyers").fill_null(0))
        .with_columns(
            period_start(pl.col("m"), "month").alias("period"),
            pl.when(pl.col("buyers") > 0).then(pl.col("converted_referees") / pl.col("buyers")).alias("k_factor"),
            (pl.col("m") <= last_complete_index(as_of, "month")).alias("complete"),
        )
        .sort("m").select(list(MONTH_SCHEMA)).collect().cast(MONTH_SCHEMA)
    )


def _by_generation(winners: pl.DataFrame, first_day: pl.LazyFrame) -> pl.DataFrame:
    nodes, _ = referral_forest(winners.lazy())
    if nodes.height == 0:
        return pl.DataFrame(schema=GEN_SCHEMA)
    converted = converted_referees(winners, first_day).select(pl.col("referee_id").alias("member_id"))
    any_buyer = first_day.select("member_id")
    flagged = pl.concat([
        nodes.lazy().filter(pl.col("depth") == 0).join(any_buyer, on="member_id", how="semi"),
        nodes.lazy().filter(pl.col("depth") > 0).join(converted, on="member_id", how="semi"),
    ]).select("member_id", pl.lit(True).alias("buyer"))
    return (
        nodes.lazy().join(flagged, on="member_id", how="left")
        .group_by(pl.col("depth").alias("generation"))
        .agg(pl.len().alias("members"), pl.col("buyer").fill_null(False).sum().alias("buyers"))
        .sort("generation")
        .with_columns(
            (pl.col("buyers") / pl.col("members")).alias("buyer_rate"),
            pl.when(pl.col("buyers").shift(1) > 0).then(pl.col("buyers") / pl.col("buyers").shift(1)).alias("k_factor"),
        )
        .select(list(GEN_SCHEMA)).collect().cast(GEN_SCHEMA)
    )
