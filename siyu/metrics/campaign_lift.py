"""One row per campaign x variant x window: campaign, variant, window_days, sent, holdout, sent_buyers, holdout_buyers, sent_rate, holdout_rate, lift_abs, lift_low, lift_high, incremental_buyers, sent_gmv, holdout_gmv, incremental_gmv, cost, cost_per_incremental_buyer, then the columns of EXTRA.

Did the recall work? Each send group (one per copy variant) against the campaign's holdout (docs/metrics/campaign_lift.md):
- Every member has a start: the first time they were sent; a holdout member's is their own row's time when the
  send file gives one, else the campaign's first send. A buyer is a member with a valid order paid in
  [start, start + window_days); GMV and orders are the net amounts and counts of those orders (yuan).
- rates = buyers / members. lift_abs = sent_rate - holdout_rate with a 95% interval by the difference of two
  proportions (Wald, unpooled): lift_abs ± 1.959964 sqrt(p1(1-p1)/n1 + p0(1-p0)/n0). lift_rel = lift_abs / holdout_rate.
- incremental_buyers = lift_abs x sent; incremental_gmv = sent_gmv - holdout_gmv x sent / holdout, with a 95%
  percentile bootstrap interval (gmv_lift_low/high: resample each group's per-member GMV `n_boot` times with
  numpy default_rng(seed), difference of means x sent).
- cost = the sends' costs (yuan; null when none is known); cost_per_incremental_buyer = cost / incremental_buyers,
  null unless incremental_buyers > 0.
- friend_*: share who added a WeCom friend in the window (SMS -> 企微 recalls); deleted_7d_*: share who deleted
  (or were deleted by) a friend or left a customer group within 7 days of the start, whatever the window (the
  cost of over-messaging as the issue defines it; a member counts once), with its own difference and interval;
  friend_deleted_7d_* and left_group_7d_* are its two parts (a member who did both is in each).
- complete: every member's window ended by the as-of time; significant: the lift interval excludes zero;
  verdict: the result in plain words (Chinese / English).
Rows need a comparison group: a campaign without one gives holdout = 0 and null rates, lifts and intervals.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import polars as pl

Z95 = 1.959963984540054
WINDOWS = (7, 14, 30)
DELETE_DAYS = 7
N_BOOT = 2000
CONTRACT = ["campaign", "variant", "window_days", "sent", "holdout", "sent_buyers", "holdout_buyers", "sent_rate",
            "holdout_rate", "lift_abs", "lift_low", "lift_high", "incremental_buyers", "sent_gmv", "holdout_gmv",
            "incremental_gmv", "cost", "cost_per_incremental_buyer"]
EXTRA = ["lift_rel", "gmv_lift_low", "gmv_lift_high", "sent_orders", "holdout_orders", "sent_friend_rate",
         "holdout_friend_rate", "sent_deleted_7d_rate", "holdout_deleted_7d_rate", "deleted_lift_abs",
         "deleted_lift_low", "deleted_lift_high", "comparison", "complete", "significant", "verdict",
         "sent_friend_deleted_7d_rate", "holdout_friend_deleted_7d_rate", "sent_left_group_7d_rate",
         "holdout_left_group_7d_rate"]
_INT = ("window_days", "sent", "holdout", "sent_buyers", "holdout_buyers", "sent_orders", "holdout_orders")


def _dtype(column: str) -> pl.DataType:
    if column in ("campaign", "variant", "comparison", "verdict"):
        return pl.String()
    if column in _INT:
        return pl.Int64()
    return pl.Boolean() if column in ("complete", "significant") else pl.Float64()


SCHEMA = pl.Schema({c: _dtype(c) for c in CONTRACT + EXTRA})
ASSIGNMENT_SCHEMA = pl.Schema([("campaign", pl.String()), ("member_id", pl.Int64()), ("arm", pl.String()),
                               ("variant", pl.String()), ("start", pl.Datetime("us")), ("cost_cents", pl.Int64())])


def campaign_assignments(sends: pl.DataFrame, planned: pl.DataFrame) -> pl.DataFrame:
    """campaign, member_id, arm, variant, start, cost_cents: one row per member of a campaign with sends.

    sends: campaign, member_id, sent_at, variant, arm, cost_cents (one row per send); planned: campaign,
    member_id, arm, variant (siyu's plans and named/matched comparison groups). A member with a send row is in
    the send group (their first send; costs summed; the plan's variant when the send row has none); a
    holdout member is one with a holdout row, or a planned holdout member who was not sent after all."""
    if sends.is_empty():
        return pl.DataFrame(schema=ASSIGNMENT_SCHEMA)
    first = sends.sort("sent_at").group_by("campaign", "member_id", "arm", maintain_order=True).agg(
        pl.col("sent_at").first().alias("start"), pl.col("variant").first(), pl.col("cost_cents").sum(),
        pl.col("cost_cents").is_not_null().any().alias("_costed"))
    first = first.with_columns(pl.when(pl.col("_costed")).then(pl.col("cost_cents")).alias("cost_cents")).drop("_costed")
    sent = first.filter(pl.col("arm") == "send")
    plan_variant = planned.filter(pl.col("arm") == "send").select("campaign", "member_id",
                                                                   pl.col("variant").alias("_pv"))
    sent = (sent.join(plan_variant, on=["campaign", "member_id"], how="left")
            .with_columns(pl.when(pl.col("variant") == "").then(pl.col("_pv").fill_null("")).otherwise("variant")
                          .alias("variant")).drop("_pv"))
    own_holdout = first.filter(pl.col("arm") == "holdout").join(sent, on=["campaign", "member_id"], how="anti")
    campaign_start = sent.group_by("campaign").agg(pl.col("start").min())
    planned_holdout = (planned.filter(pl.col("arm") == "holdout").select("campaign", "member_id")
                       .join(sent, on=["campaign", "member_id"], how="anti")
                       .join(own_holdout, on=["campaign", "member_id"], how="anti")
                       .join(campaign_start, on="campaign")
                       .with_columns(pl.lit("holdout").alias("arm"), pl.lit("").alias("variant"),
                                     pl.lit(None, dtype=pl.Int64).alias("cost_cents")))
    holdout = pl.concat([own_holdout.with_columns(pl.lit("").alias("variant")).select(ASSIGNMENT_SCHEMA.names()),
                         planned_holdout.select(ASSIGNMENT_SCHEMA.names())])
    return pl.concat([sent.select(ASSIGNMENT_SCHEMA.names()), holdout]).cast(ASSIGNMENT_SCHEMA).sort(
        "campaign", "arm", "member_id")


def diff_interval(b1: int, n1: int, b0: int, n0: int) -> tuple[float | None, float | None, float | None]:
    """(difference, low, high) of two proportions b1/n1 - b0/n0, Wald 95% (unpooled); Nones when a group is empty."""
    if n1 == 0 or n0 == 0:
        return None, None, None
    p1, p0 = b1 / n1, b0 / n0
    half = Z95 * math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
    return p1 - p0, p1 - p0 - half, p1 - p0 + half


def _resampled_means(values: np.ndarray, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `n_boot` resamples with replacement, drawn in chunks of ~4M indexes so a campaign of 100k members
    needs tens of MB, not the 1.6 GB one (n_boot x n) draw would."""
    chunk = max(1, 4_000_000 // values.size)
    means = [values[rng.integers(0, values.size, size=(min(chunk, n_boot - i), values.size))].mean(axis=1)
             for i in range(0, n_boot, chunk)]
    return np.concatenate(means)


def bootstrap_mean_diff(sent: np.ndarray, holdout: np.ndarray, *, n_boot: int, seed: int) -> tuple[float, float] | None:
    """95% percentile interval of mean(sent) - mean(holdout), both groups resampled with replacement (all of the
    sent group's resamples drawn first, then the holdout's, from numpy default_rng(seed))."""
    if sent.size == 0 or holdout.size == 0 or n_boot < 1:
        return None
    rng = np.random.default_rng(seed)
    diff = _resampled_means(sent, n_boot, rng) - _resampled_means(holdout, n_boot, rng)
    low, high = np.percentile(diff, [2.5, 97.5])
    return float(low), float(high)


def verdict(low: float | None, high: float | None, comparison: str) -> str:
    if low is None or high is None:
        return "没有对照组，无法判断效果 / no comparison group: the effect cannot be measured"
    matched = "（匹配对照组，非随机）" if comparison == "matched" else ""
    matched_en = " (matched comparison, not randomised)" if comparison == "matched" else ""
    if low > 0:
        return f"有效：购买率高于对照组，95% 区间不含 0{matched} / it worked: the interval lies above zero{matched_en}"
    if high < 0:
        return f"反效果：购买率低于对照组{matched} / it backfired: the interval lies below zero{matched_en}"
    return (f"看不出效果：95% 区间包含 0，和不发没有可分辨的差别{matched}"
            f" / no clear effect: the interval includes zero, indistinguishable from not sending{matched_en}")


def _within_7d(keys: pl.LazyFrame, events: pl.LazyFrame, at: str, flag: str) -> pl.LazyFrame:
    """campaign, member_id, flag=True for members with an `at` time in [start, start + 7 days)."""
    return (keys.join(events, on="member_id")
            .filter((pl.col(at) >= pl.col("start")) & (pl.col(at) < pl.col("start") + pl.duration(days=DELETE_DAYS)))
            .select("campaign", "member_id").unique().with_columns(pl.lit(True).alias(flag)))


def _per_member(assign: pl.DataFrame, orders: pl.LazyFrame, friends: pl.LazyFrame, leaves: pl.LazyFrame,
                window: int) -> pl.DataFrame:
    """assign + gmv_cents, n_orders, friend_added, friend_deleted_7d, left_group_7d, deleted_7d for one window."""
    keys = assign.lazy().select("campaign", "member_id", "start")
    end = pl.col("start") + pl.duration(days=window)
    bought = (keys.join(orders, on="member_id")
              .filter((pl.col("paid_at") >= pl.col("start")) & (pl.col("paid_at") < end))
              .group_by("campaign", "member_id").agg(pl.col("net_cents").sum().alias("gmv_cents"),
                                                     pl.len().alias("n_orders")))
    linked = keys.join(friends, on="member_id")
    added = (linked.filter((pl.col("added_at") >= pl.col("start")) & (pl.col("added_at") < end))
             .select("campaign", "member_id").unique().with_columns(pl.lit(True).alias("friend_added")))
    deleted = _within_7d(keys, friends, "deleted_at", "friend_deleted_7d")
    left = _within_7d(keys, leaves, "left_at", "left_group_7d")
    frames = pl.collect_all([bought, added, deleted, left])
    out = assign
    for frame in frames:
        out = out.join(frame, on=["campaign", "member_id"], how="left")
    out = out.with_columns(pl.col("gmv_cents").fill_null(0), pl.col("n_orders").fill_null(0),
                           pl.col("friend_added").fill_null(False), pl.col("friend_deleted_7d").fill_null(False),
                           pl.col("left_group_7d").fill_null(False))
    # the over-messaging cost: deleted a friend OR left a group, each member once
    return out.with_columns((pl.col("friend_deleted_7d") | pl.col("left_group_7d")).alias("deleted_7d"))


def _rate(b: int, n: int) -> float | None:
    return b / n if n else None


def campaign_lift(assignments: pl.DataFrame, orders: pl.LazyFrame, friends: pl.LazyFrame, *,
                  group_leaves: pl.LazyFrame | None = None, comparisons: dict[str, str] | None = None, windows: tuple[int, ...] = WINDOWS,
                  as_of: dt.datetime | None = None, seed: int = 0, n_boot: int = N_BOOT) -> pl.DataFrame:
    """assignments: campaign_assignments(); orders: member_id, paid_at, net_cents of valid orders; friends:
    member_id, added_at, deleted_at; group_leaves: member_id, left_at of customer-group memberships that ended
    (None: no group data, so deleted_7d_* counts friend deletions alone); comparisons: campaign -> holdout | named | matched | none; as_of: the end
    of the data (windows ending later are not complete)."""
    rows: list[dict[str, object]] = []
    comparisons = comparisons or {}
    leaves = group_leaves if group_leaves is not None else pl.LazyFrame(
        schema={"member_id": pl.Int64(), "left_at": pl.Datetime("us")})
    for window in windows:
        per = _per_member(assignments, orders, friends, leaves, window)
        for (campaign,), group in per.sort("campaign").group_by("campaign", maintain_order=True):
            hold = group.filter(pl.col("arm") == "holdout")
            for variant in sorted(group.filter(pl.col("arm") == "send")["variant"].unique().to_list()):
                sent = group.filter((pl.col("arm") == "send") & (pl.col("variant") == variant))
                rows.append(_row(str(campaign), variant, window, sent, hold, comparisons.get(str(campaign), "holdout"),
                                 as_of, seed, n_boot))
    return pl.DataFrame(rows, schema=SCHEMA, orient="row") if rows else pl.DataFrame(schema=SCHEMA)


def _row(campaign: str, variant: str, window: int, sent: pl.DataFrame, hold: pl.DataFrame, comparison: str,
         as_of: dt.datetime | None, seed: int, n_boot: int) -> dict[str, object]:
    n1, n0 = sent.height, hold.height
    b1, b0 = int((sent["n_orders"] > 0).sum()), int((hold["n_orders"] > 0).sum())
    lift, low, high = diff_interval(b1, n1, b0, n0)
    g1, g0 = sent["gmv_cents"].cast(pl.Float64).to_numpy() / 100, hold["gmv_cents"].cast(pl.Float64).to_numpy() / 100
    inc_gmv = float(g1.sum() - g0.sum() * n1 / n0) if n0 else None
    boot = bootstrap_mean_diff(g1, g0, n_boot=n_boot, seed=seed)
    cost = float(sent["cost_cents"].sum()) / 100 if sent["cost_cents"].is_not_null().any() else None
    inc_buyers = lift * n1 if lift is not None else None
    d1, d0 = int(sent["deleted_7d"].sum()), int(hold["deleted_7d"].sum())
    d_lift, d_low, d_high = diff_interval(d1, n1, d0, n0)
    last_end = max(sent["start"].max(), hold["start"].max() if n0 else sent["start"].max())  # type: ignore[type-var]
    complete = as_of is None or (last_end + dt.timedelta(days=window) <= as_of)  # type: ignore[operator]
    return {
        "campaign": campaign, "variant": variant, "window_days": window, "sent": n1, "holdout": n0,
        "sent_buyers": b1, "holdout_buyers": b0, "sent_rate": _rate(b1, n1), "holdout_rate": _rate(b0, n0),
        "lift_abs": lift, "lift_low": low, "lift_high": high, "incremental_buyers": inc_buyers,
        "sent_gmv": float(g1.sum()), "holdout_gmv": float(g0.sum()) if n0 else None, "incremental_gmv": inc_gmv,
        "cost": cost,
        "cost_per_incremental_buyer": cost / inc_buyers if cost is not None and inc_buyers and inc_buyers > 0 else None,
        "lift_rel": lift / (b0 / n0) if lift is not None and b0 else None,
        "gmv_lift_low": boot[0] * n1 if boot else None, "gmv_lift_high": boot[1] * n1 if boot else None,
        "sent_orders": int(sent["n_orders"].sum()), "holdout_orders": int(hold["n_orders"].sum()),
        "sent_friend_rate": _rate(int(sent["friend_added"].sum()), n1),
        "holdout_friend_rate": _rate(int(hold["friend_added"].sum()), n0),
        "sent_deleted_7d_rate": _rate(d1, n1), "holdout_deleted_7d_rate": _rate(d0, n0),
        "deleted_lift_abs": d_lift, "deleted_lift_low": d_low, "deleted_lift_high": d_high,
        "comparison": comparison if n0 else "none", "complete": bool(complete),
        "significant": bool(low is not None and high is not None and (low > 0 or high < 0)),
        "verdict": verdict(low, high, comparison),
        "sent_friend_deleted_7d_rate": _rate(int(sent["friend_deleted_7d"].sum()), n1),
        "holdout_friend_deleted_7d_rate": _rate(int(hold["friend_deleted_7d"].sum()), n0),
        "sent_left_group_7d_rate": _rate(int(sent["left_group_7d"].sum()), n1),
        "holdout_left_group_7d_rate": _rate(int(hold["left_group_7d"].sum()), n0),
    }
