"""One row per member, best first: member_id, purchase_days, spend, referrals, referee_gmv, early_buys, score, rank, layer, is_super, spend_vs_median.

Definitions (docs/metrics/super_users.md; the "four highs" of 超级用户: repurchase, spend, sharing /
referral, early adoption of new products). Over [start, end], valid orders, net amounts:
- Population: members with a valid order in the range, or who referred someone in it.
- purchase_days = distinct days with a valid order (repurchase); spend = net amount (yuan);
  referrals = direct referees referred in the range (first-referrer-wins edges);
  referee_gmv = net amount (yuan) of those referees' valid orders in the range, on or after the day
  they were referred;
  early_buys = new products the member bought within `launch_window` (30) days of the product's first
  sale, when order lines exist (null otherwise). A product is new when its first sale is at least
  `launch_window` days after the first sale of any product (so the launch catalogue is not "new").
- Percentile of a component: p(x) = 0 when x <= 0, else the share of the population with a value
  <= x. score = 0.3 p(purchase_days) + 0.3 p(spend) + 0.2 p(referrals) + 0.2 p(referee_gmv); with
  order lines those four weights are scaled by 0.9 and 0.1 p(early_buys) is added. Score is in [0, 1].
- rank: score descending, then spend descending, then member_id. Three layers (mass -> core -> super):
  super = the top ceil(super_pct% x n) (default 1%), core = the rest of the top ceil(core_pct% x n)
  (default 10%), mass = everyone else; is_super = layer == "super".
- spend_vs_median = spend / median spend of the population (null when the median is 0): the
  "5-10x a normal user" check.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.calendar_index import as_day
from siyu.metrics.order_runs import attach_member_columns, member_summary, sort_by_member_day
from siyu.metrics.referrals import first_referrer

SCHEMA = pl.Schema({"member_id": pl.Int64, "purchase_days": pl.Int64, "spend": pl.Float64, "referrals": pl.Int64,
          "referee_gmv": pl.Float64, "early_buys": pl.Int64, "score": pl.Float64, "rank": pl.Int64,
          "layer": pl.String, "is_super": pl.Boolean, "spend_vs_median": pl.Float64})
WEIGHTS = {"purchase_days": 0.3, "spend": 0.3, "referrals": 0.2, "referee_gmv": 0.2}
EARLY_WEIGHT = 0.1


def _pct(col: str) -> pl.Expr:
    return pl.when(pl.col(col) > 0).then(pl.col(col).rank("max") / pl.len()).otherwise(0.0)


def early_buys(items: pl.LazyFrame, *, lo: dt.date, hi: dt.date, window: int) -> pl.LazyFrame:
    """member_id, early_buys from items: member_id, day, product (lines of valid orders)."""
    launch = items.group_by("product").agg(pl.col("day").min().alias("launch"))
    catalogue_start = items.select(pl.col("day").min()).collect().item()
    span = dt.timedelta(days=window)
    if catalogue_start is None:
        return pl.LazyFrame(schema={"member_id": pl.Int64, "early_buys": pl.UInt32})
    new = launch.filter(pl.col("launch") >= catalogue_start + span)
    return (
        items.filter(pl.col("day").is_between(lo, hi)).join(new, on="product")
        .filter(pl.col("day") < pl.col("launch") + span)
        .group_by("member_id").agg(pl.col("product").n_unique().alias("early_buys"))
    )


def super_users(
    orders: pl.LazyFrame,
    edges: pl.LazyFrame,
    items: pl.LazyFrame | None,
    *,
    start: dt.date,
    end: dt.date,
    super_pct: float = 1.0,
    core_pct: float = 10.0,
    launch_window: int = 30,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime), net_cents; edges: referee_id, referrer_id, referred_at;
    items: member_id, day, product of valid orders' lines (None or empty when the exports have none).
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
    if not 0 < super_pct <= core_pct <= 100:
        raise MetricError("需要 0 < super_pct <= core_pct <= 100 / need 0 < super_pct <= core_pct <= 100")
    rows = orders if assume_sorted else sort_by_member_day(orders)
    days = (rows.select("member_id", as_day("paid_at", orders.collect_schema()).alias("day"), "net_cents")
            .filter(pl.col("day").is_between(start, end)))
    own = member_summary(days).select("member_id", pl.col("days").alias("purchase_days"),
                                      pl.col("total").alias("spend_cents"))
    winners, _ = first_referrer(edges)
    refs = (winners.lazy().select("referee_id", "referrer_id", pl.col("referred_at").cast(pl.Date).alias("ref_day"))
            .filter(pl.col("ref_day").is_between(start, end)))
    made = refs.group_by(pl.col("referrer_id").alias("member_id")).agg(pl.len().alias("referrals"))
    # Orders are sorted by member: attach each referee's referrer with a merge rather than a hash join.
    by_referee = refs.rename({"referee_id": "member_id"})
    brought = (
        (attach_member_columns(days, by_referee, ["referrer_id", "ref_day"]) if assume_sorted
         else days.join(by_referee, on="member_id"))
        .filter(pl.col("day") >= pl.col("ref_day"))
        .group_by(pl.col("referrer_id").alias("member_id")).agg(pl.col("net_cents").sum().alias("referee_cents"))
    )
    has_items = items is not None and items.select(pl.len()).collect().item() > 0
    frame = (
        pl.concat([own.select("member_id"), made.select("member_id")]).unique()
        .join(own, on="member_id", how="left").join(made, on="member_id", how="left")
        .join(brought, on="member_id", how="left")
        .with_columns(pl.col("purchase_days", "spend_cents", "referrals", "referee_cents").fill_null(0))
        .with_columns((pl.col("spend_cents") / 100).alias("spend"), (pl.col("referee_cents") / 100).alias("referee_gmv"))
    )
    weights = dict(WEIGHTS)
    if has_items and items is not None:
        frame = (frame.join(early_buys(items, lo=start, hi=end, window=launch_window), on="member_id", how="left")
                 .with_columns(pl.col("early_buys").fill_null(0)))
        weights = {k: v * (1 - EARLY_WEIGHT) for k, v in weights.items()} | {"early_buys": EARLY_WEIGHT}
    else:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Int64).alias("early_buys"))
    table = frame.collect()
    n = table.height
    if n == 0:
        return pl.DataFrame(schema=SCHEMA)
    n_super, n_core = math.ceil(super_pct * n / 100), math.ceil(core_pct * n / 100)
    median = table["spend"].median()
    score = pl.sum_horizontal([w * _pct(c) for c, w in weights.items()])
    return (
        table.with_columns(score.alias("score"))
        .sort(["score", "spend", "member_id"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
        .with_columns(
            pl.when(pl.col("rank") <= n_super).then(pl.lit("super"))
            .when(pl.col("rank") <= n_core).then(pl.lit("core")).otherwise(pl.lit("mass")).alias("layer"),
            (pl.col("spend") / median if median else pl.lit(None, dtype=pl.Float64)).alias("spend_vs_median"),
        )
        .with_columns((pl.col("layer") == "super").alias("is_super"))
        .select(list(SCHEMA)).cast(SCHEMA)
    )
