"""One row per redeemer: member_id, day, tier, recency, frequency, value, orders_after, gmv_after (yuan),
repurchased, matched, controls, control_repurchase, control_gmv_after (yuan).

Redeemers vs comparable non-redeemers (docs/metrics/points.md#redeemer_uplift), coarsened exact matching by week:
- A redeemer is a member whose FIRST redemption (a negative `redeem` change) falls in an ISO week (Monday to
  Sunday) whose Monday is in [start, end] and whose whole outcome window is in the data (Sunday + window <=
  as_of). The unit's day is that Monday.
- The comparison pool for the week of Monday d: every member who joined on or before d and had not redeemed by
  d + 6 + window (never-yet redeemers; a later redeemer still counts for earlier weeks).
- Both sides are described as of the start of d (siyu.metrics.matching: tier, recency, frequency and value
  buckets) and measured over the `window` days after that week (d+7 .. d+6+window): the redemption week itself
  counts on neither side (an order paid with points is the redemption, not a response to it). Weeks rather
  than days keep the pool at (weeks x members) units, a seventh of (days x members).
- Each redeemer is compared with the mean of the pool members in the same stratum in the same week; a redeemer
  with no such member is unmatched and left out of the comparison. The summary averages over matched
  redeemers (the effect on those who redeemed), so both sides carry the redeemers' mix of strata and weeks.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.matching import MAX_POOL_UNITS, STRATUM, comparison_pool, unit_features

WEEK_REST = 6   # days of the index week after its Monday: left out of the outcome on both sides
SUMMARY_SCHEMA = pl.Schema({
    "redeemers": pl.Int64, "matched": pl.Int64, "unmatched": pl.Int64, "control_units": pl.Int64,
    "window_days": pl.Int64, "redeemer_repurchase": pl.Float64, "control_repurchase": pl.Float64,
    "repurchase_uplift": pl.Float64, "redeemer_gmv": pl.Float64, "control_gmv": pl.Float64,
    "gmv_uplift": pl.Float64})


def first_redemptions(ledger: pl.LazyFrame) -> pl.LazyFrame:
    """member_id, first_redeem: the day of each member's first redemption."""
    return (ledger.filter((pl.col("kind") == "redeem") & (pl.col("delta") < 0))
            .group_by("member_id").agg(pl.col("occurred_at").min().cast(pl.Date).alias("first_redeem")))


def redeemer_uplift(ledger: pl.LazyFrame, members: pl.LazyFrame, orders: pl.LazyFrame, snapshots: pl.LazyFrame, *,
                    as_of: dt.date, start: dt.date | None = None, end: dt.date | None = None,
                    window: int = 90, max_units: int = MAX_POOL_UNITS) -> pl.DataFrame:
    """ledger: member_id, occurred_at, delta, kind; members: member_id, joined_at; orders: member_id, paid_at,
    net_cents (valid orders); snapshots: member_id, snapshot_date, tier."""
    first = first_redemptions(ledger).with_columns(pl.col("first_redeem").dt.truncate("1w").alias("week"))
    last_index = as_of - dt.timedelta(days=window + WEEK_REST)
    chosen = first.filter(pl.col("week") <= last_index)
    if start:
        chosen = chosen.filter(pl.col("week") >= start)
    if end:
        chosen = chosen.filter(pl.col("week") <= end)
    reds = chosen.select("member_id", pl.col("week").alias("day")).collect()
    days = reds.select(pl.col("day").unique())
    pool = comparison_pool(members, days, first.select("member_id", pl.col("first_redeem").alias("first_event")).collect(),
                           horizon=WEEK_REST + window, max_units=max_units)
    return matched_comparison(reds, pool, orders, snapshots, window=window, skip=WEEK_REST)


def matched_comparison(treated: pl.DataFrame, pool: pl.DataFrame, orders: pl.LazyFrame, snapshots: pl.LazyFrame, *,
                       window: int, skip: int = WEEK_REST) -> pl.DataFrame:
    """treated, pool: member_id, day (the index day of each unit). One row per treated unit with its outcome and
    the mean outcome of the pool units of the same day and stratum (siyu.metrics.matching)."""
    units = pl.concat([treated.select("member_id", "day").with_columns(pl.lit(True).alias("treated")),
                       pool.select("member_id", "day").with_columns(pl.lit(False).alias("treated"))])
    feats = unit_features(units.lazy(), orders, snapshots, window=window, skip=skip)
    feats = feats.with_columns((pl.col("orders_after") > 0).alias("repurchased"))
    controls = (feats.filter(~pl.col("treated")).group_by("day", *STRATUM)
                .agg(pl.len().cast(pl.Int64).alias("controls"),
                     pl.col("repurchased").mean().alias("control_repurchase"),
                     pl.col("gmv_after").mean().alias("control_gmv_after")))
    return (feats.filter(pl.col("treated")).drop("treated")
            .join(controls, on=["day", *STRATUM], how="left")
            .with_columns(pl.col("controls").fill_null(0), (pl.col("controls").fill_null(0) > 0).alias("matched"))
            .with_columns(pl.col("gmv_after") / 100, pl.col("control_gmv_after") / 100)
            .select("member_id", "day", *STRATUM, "orders_after", "gmv_after", "repurchased", "matched", "controls",
                    "control_repurchase", "control_gmv_after")
            .sort("day", "member_id"))


def uplift_summary(per_redeemer: pl.DataFrame, *, window: int = 90, label: str = "redeemer") -> pl.DataFrame:
    """One row: redeemers, matched, unmatched, control_units, window_days, redeemer_repurchase,
    control_repurchase, repurchase_uplift, redeemer_gmv, control_gmv, gmv_uplift (yuan per member).
    Rates and GMV per member over the matched redeemers; uplift = redeemers minus their matched controls.
    `label` names the treated side in the columns (paid_members: "paid_member")."""
    m = per_redeemer.filter(pl.col("matched"))
    units = m.select("day", *STRATUM, "controls").unique()["controls"].sum() if m.height else 0
    rr = m["repurchased"].mean() if m.height else None
    cr = m["control_repurchase"].mean() if m.height else None
    rg = m["gmv_after"].mean() if m.height else None
    cg = m["control_gmv_after"].mean() if m.height else None

    def diff(a: object, b: object) -> float | None:
        return float(a) - float(b) if isinstance(a, (int, float)) and isinstance(b, (int, float)) else None

    names = {"redeemers": f"{label}s", "redeemer_repurchase": f"{label}_repurchase", "redeemer_gmv": f"{label}_gmv"}
    return pl.DataFrame({
        "redeemers": [per_redeemer.height], "matched": [m.height], "unmatched": [per_redeemer.height - m.height],
        "control_units": [int(units)], "window_days": [window], "redeemer_repurchase": [rr],
        "control_repurchase": [cr], "repurchase_uplift": [diff(rr, cr)], "redeemer_gmv": [rg],
        "control_gmv": [cg], "gmv_uplift": [diff(rg, cg)]}, schema=SUMMARY_SCHEMA).rename(names)
