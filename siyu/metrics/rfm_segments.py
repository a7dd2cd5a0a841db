"""One row per buyer: member_id, recency_days, frequency, monetary, r_score, f_score, m_score, segment, r_high, f_high, m_high, cn_segment, r_cut, f_cut, m_cut.

Definitions (docs/metrics/rfm_segments.md), from valid orders up to the observation end (default:
the last day with a valid order), purchases per calendar day, net amounts:
- recency_days = observation end - last purchase day (the classic R: days since the last purchase);
  frequency = purchase days; monetary = total net amount (yuan).
- Classic grid: r/f/m_score 1..5 by quintile of rank: score = 1 + floor(5 x (rank - 1) / n) with
  rank "min" (ties share the lowest rank), so equal values share a score; recency is ranked from
  oldest to most recent (5 = most recent). The segment comes from (r_score, f_score) on the usual
  RF grid: 5 5/5 4 Champions; 3-4 4-5 Loyal Customers; 1-2 5 Can't Lose Them; 1-2 3-4 At Risk;
  1 1 Lost; other 1-2 1-2 Hibernating; 3 3 Need Attention; 3 1-2 About To Sleep; 4 1 Promising;
  5 1 New Customers; 4-5 2-3 Potential Loyalists.
- Chinese 8-way split (RFM 八大类): R high when recency_days <= r_cut, F high when frequency >= f_cut,
  M high when monetary >= m_cut; the cuts default to the buyers' means and can be set. M high:
  重要 (价值 RF high-high, 保持 low R high F, 发展 high R low F, 挽留 low-low); M low: 一般 likewise.
- The cut-offs are in every row (r_cut, f_cut, m_cut); `rfm_cutoffs` lists the quintile boundaries.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.calendar_index import as_day
from siyu.metrics.order_runs import member_summary, sort_by_member_day

SCHEMA = pl.Schema({"member_id": pl.String, "recency_days": pl.Int64, "frequency": pl.Int64, "monetary": pl.Float64,
          "r_score": pl.Int64, "f_score": pl.Int64, "m_score": pl.Int64, "segment": pl.String,
          "r_high": pl.Boolean, "f_high": pl.Boolean, "m_high": pl.Boolean, "cn_segment": pl.String,
          "r_cut": pl.Float64, "f_cut": pl.Float64, "m_cut": pl.Float64})
CUTOFF_SCHEMA = pl.Schema({"dimension": pl.String, "score": pl.Int64, "min": pl.Float64, "max": pl.Float64,
                 "members": pl.Int64})
CN = {(True, True, True): "重要价值客户", (False, True, True): "重要保持客户", (True, False, True): "重要发展客户",
      (False, False, True): "重要挽留客户", (True, True, False): "一般价值客户", (False, True, False): "一般保持客户",
      (True, False, False): "一般发展客户", (False, False, False): "一般挽留客户"}


def _mean(column: pl.Series) -> float:
    """The column's mean (0.0 when every value is null)."""
    value = column.mean()
    return float(value) if isinstance(value, int | float) else 0.0


def _score(expr: pl.Expr) -> pl.Expr:
    return (1 + (5 * (expr.rank("min") - 1) / pl.len()).floor()).cast(pl.Int64)


def _segment() -> pl.Expr:
    r, f = pl.col("r_score"), pl.col("f_score")
    return (
        pl.when((r == 5) & (f >= 4)).then(pl.lit("Champions"))
        .when(r.is_between(3, 4) & (f >= 4)).then(pl.lit("Loyal Customers"))
        .when((r <= 2) & (f == 5)).then(pl.lit("Can't Lose Them"))
        .when((r <= 2) & f.is_between(3, 4)).then(pl.lit("At Risk"))
        .when((r == 1) & (f == 1)).then(pl.lit("Lost"))
        .when((r <= 2) & (f <= 2)).then(pl.lit("Hibernating"))
        .when((r == 3) & (f == 3)).then(pl.lit("Need Attention"))
        .when((r == 3) & (f <= 2)).then(pl.lit("About To Sleep"))
        .when((r == 4) & (f == 1)).then(pl.lit("Promising"))
        .when((r == 5) & (f == 1)).then(pl.lit("New Customers"))
        .otherwise(pl.lit("Potential Loyalists"))  # r 4-5, f 2-3
    )


def rfm_segments(
    orders: pl.LazyFrame,
    *,
    observation_end: dt.date | None = None,
    r_cut: float | None = None,
    f_cut: float | None = None,
    m_cut: float | None = None,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """orders: member_id, paid_at (Date or Datetime), net_cents of valid orders.
    assume_sorted: orders are already sorted by member, then day (the cached frame is)."""
    rows = orders if assume_sorted else sort_by_member_day(orders)
    days = rows.select("member_id", as_day("paid_at", orders.collect_schema()).alias("day"), "net_cents")
    end = observation_end or days.select(pl.col("day").max()).collect().item()
    if end is None:
        return pl.DataFrame(schema=SCHEMA)
    base = (
        member_summary(days.filter(pl.col("day") <= end))
        .select(
            "member_id",
            (pl.lit(end) - pl.col("last")).dt.total_days().alias("recency_days"),
            pl.col("days").alias("frequency"),
            (pl.col("total") / 100).alias("monetary"),
        )
        .collect()
    )
    if base.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    cuts = {
        "r_cut": _mean(base["recency_days"]) if r_cut is None else float(r_cut),
        "f_cut": _mean(base["frequency"]) if f_cut is None else float(f_cut),
        "m_cut": _mean(base["monetary"]) if m_cut is None else float(m_cut),
    }
    scored = base.with_columns(
        _score(-pl.col("recency_days")).alias("r_score"),
        _score(pl.col("frequency")).alias("f_score"),
        _score(pl.col("monetary")).alias("m_score"),
        (pl.col("recency_days") <= cuts["r_cut"]).alias("r_high"),
        (pl.col("frequency") >= cuts["f_cut"]).alias("f_high"),
        (pl.col("monetary") >= cuts["m_cut"]).alias("m_high"),
        *[pl.lit(v).alias(k) for k, v in cuts.items()],
    )
    key = pl.col("r_high").cast(pl.Int8) * 4 + pl.col("f_high").cast(pl.Int8) * 2 + pl.col("m_high").cast(pl.Int8)
    labels = {int(r) * 4 + int(f) * 2 + int(m): name for (r, f, m), name in CN.items()}
    return (
        scored.with_columns(_segment().alias("segment"),
                            key.replace_strict(labels, return_dtype=pl.String).alias("cn_segment"))
        .sort("member_id")
        .with_columns(pl.col("member_id").cast(pl.String))
        .select(list(SCHEMA)).cast(SCHEMA)
    )


def rfm_cutoffs(segments: pl.DataFrame) -> pl.DataFrame:
    """One row per dimension x score: the value range each quintile score covers, and its members."""
    parts = []
    for dim, col in (("R", "recency_days"), ("F", "frequency"), ("M", "monetary")):
        parts.append(
            segments.group_by(pl.col(f"{dim.lower()}_score").alias("score"))
            .agg(pl.col(col).min().cast(pl.Float64).alias("min"), pl.col(col).max().cast(pl.Float64).alias("max"),
                 pl.len().alias("members"))
            .with_columns(pl.lit(dim).alias("dimension"))
        )
    if not parts or segments.height == 0:
        return pl.DataFrame(schema=CUTOFF_SCHEMA)
    order = {"R": 0, "F": 1, "M": 2}
    return (pl.concat(parts).sort(pl.col("dimension").replace_strict(order), "score")
            .select(list(CUTOFF_SCHEMA)).cast(CUTOFF_SCHEMA))
