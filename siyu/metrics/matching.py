"""One row per (member, index day) unit: member_id, day, tier, recency, frequency, value, orders_after, gmv_after.

The features a comparison matches on, as of the start of `day` (docs/metrics/points.md#matching):
- tier: the tier of the member's latest snapshot on or before `day` (未定级 when none);
- recency: days from the member's last valid order before `day` to `day`, bucketed 1-30 / 31-90 / 91-180 /
  181-365 / 365+ (none: no order before);
- frequency: valid orders in the 365 days before `day` (day-365 .. day-1), bucketed 0 / 1 / 2 / 3-5 / 6+;
- value: their net spend, bucketed 0 / <¥200 / ¥200-500 / ¥500-1000 / ¥1000-3000 / ¥3000+;
and the outcome over the `window` days after it, less `skip` days first (day+skip+1 .. day+skip+window):
orders_after, gmv_after (net cents).
Computed from cumulative sums per member with as-of joins, so the cost grows with units, not units x orders.
"""

from __future__ import annotations

import polars as pl

from siyu.metrics.tiers import UNRANKED

STRATUM = ["tier", "recency", "frequency", "value"]
LOOKBACK = 365
RECENCY = ((30, "1-30"), (90, "31-90"), (180, "91-180"), (365, "181-365"))
FREQUENCY = ((0, "0"), (1, "1"), (2, "2"), (5, "3-5"))
VALUE_CENTS = ((0, "0"), (19_999, "<200"), (49_999, "200-500"), (99_999, "500-1000"), (299_999, "1000-3000"))


def _bucket(col: str, edges: tuple[tuple[int, str], ...], top: str) -> pl.Expr:
    expr: pl.Expr = pl.lit(top)
    for edge, label in reversed(edges):
        expr = pl.when(pl.col(col) <= edge).then(pl.lit(label)).otherwise(expr)
    return expr


def _cumulative(orders: pl.LazyFrame) -> pl.LazyFrame:
    """member_id, day, cum_orders, cum_net: totals of valid orders up to and including each order day."""
    return (orders.group_by("member_id", pl.col("paid_at").cast(pl.Date).alias("day"))
            .agg(pl.len().cast(pl.Int64).alias("n"), pl.col("net_cents").sum().cast(pl.Int64).alias("net"))
            .sort("member_id", "day")
            .with_columns(pl.col("n").cum_sum().over("member_id").alias("cum_orders"),
                          pl.col("net").cum_sum().over("member_id").alias("cum_net"),
                          pl.col("day").alias("order_day"))
            .select("member_id", "day", "order_day", "cum_orders", "cum_net")
            .sort("day"))


def _at(units: pl.LazyFrame, cum: pl.LazyFrame, offset: int, suffix: str) -> pl.LazyFrame:
    """units + cumulative totals (and the last order day) as of the end of day+offset."""
    probe = units.with_columns((pl.col("day") + pl.duration(days=offset)).alias("_probe")).sort("_probe")
    return (probe.join_asof(cum.rename({"day": "_cday"}), left_on="_probe", right_on="_cday", by="member_id",
                            strategy="backward", check_sortedness=False)
            .with_columns(pl.col("cum_orders").fill_null(0).alias(f"o{suffix}"),
                          pl.col("cum_net").fill_null(0).alias(f"v{suffix}"),
                          pl.col("order_day").alias(f"last{suffix}"))
            .drop("_probe", "_cday", "cum_orders", "cum_net", "order_day"))


def unit_features(units: pl.LazyFrame, orders: pl.LazyFrame, snapshots: pl.LazyFrame, *,
                  window: int = 90, skip: int = 0) -> pl.DataFrame:
    """units: member_id, day (+ any columns, kept); orders: member_id, paid_at, net_cents (valid orders);
    snapshots: member_id, snapshot_date, tier. The outcome covers day+skip+1 .. day+skip+window."""
    cum = _cumulative(orders)
    u = _at(units, cum, -1, "_b")
    u = _at(u, cum, -LOOKBACK - 1, "_y")
    u = _at(u, cum, skip, "_0")
    u = _at(u, cum, skip + window, "_w")
    snaps = snapshots.select("member_id", pl.col("snapshot_date").alias("_sd"), "tier").sort("_sd")
    u = (u.sort("day").join_asof(snaps, left_on="day", right_on="_sd", by="member_id", strategy="backward",
                                 check_sortedness=False).drop("_sd"))
    freq, value = pl.col("o_b") - pl.col("o_y"), pl.col("v_b") - pl.col("v_y")
    gap = (pl.col("day") - pl.col("last_b")).dt.total_days()
    out = u.with_columns(gap.alias("_gap"), freq.alias("_freq"), value.alias("_value")).with_columns(
        pl.col("tier").fill_null(UNRANKED),
        pl.when(pl.col("last_b").is_null()).then(pl.lit("none")).otherwise(_bucket("_gap", RECENCY, "365+"))
        .alias("recency"),
        _bucket("_freq", FREQUENCY, "6+").alias("frequency"),
        _bucket("_value", VALUE_CENTS, "3000+").alias("value"),
        (pl.col("o_w") - pl.col("o_0")).alias("orders_after"),
        (pl.col("v_w") - pl.col("v_0")).alias("gmv_after"))
    drop = ["o_b", "v_b", "last_b", "o_y", "v_y", "last_y", "o_0", "v_0", "last_0", "o_w", "v_w", "last_w",
            "_gap", "_freq", "_value"]
    return out.drop(drop).collect()


MAX_POOL_UNITS = 5_000_000
"""Above this many (member, week) pool units a fixed sample of the members makes the pool (see comparison_pool)."""
_KNUTH = 2_654_435_761   # multiplicative hashing: spreads consecutive member ids evenly over 2**32


def comparison_pool(members: pl.LazyFrame, days: pl.DataFrame, first: pl.DataFrame, *, horizon: int,
                    max_units: int = MAX_POOL_UNITS) -> pl.DataFrame:
    """member_id, day: for each index day, the members who joined on or before it and whose first event (`first`:
    member_id, first_event) is not on or before day + horizon.

    When members x days would exceed `max_units`, only a fixed share of the members enters the pool: those whose
    (member_id x 2654435761) mod 2**32 falls below the share, the same members on every run and every day. The
    pool's stratum means stay unbiased; `controls` counts what was used. A 1M-member brand with 150 index weeks
    would otherwise build 150M units."""
    m = members.select("member_id", pl.col("joined_at").cast(pl.Date).alias("joined")).collect()
    if m.height * days.height > max_units:
        cut = int(max_units / (m.height * days.height) * 2**32)
        m = m.filter((pl.col("member_id").cast(pl.UInt64) * _KNUTH) % 2**32 < cut)
    return (m.join(days, how="cross").filter(pl.col("joined") <= pl.col("day"))
            .join(first, on="member_id", how="left")
            .filter(pl.col("first_event").is_null()
                    | (pl.col("first_event") > pl.col("day") + pl.duration(days=horizon)))
            .select("member_id", "day"))
