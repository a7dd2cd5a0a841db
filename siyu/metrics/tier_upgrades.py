"""Tier steps: time to the first upgrade (Kaplan–Meier) and spend around upgrades (docs/metrics/tier_economics.md).

`upgrade_survival` — one row per tier x time: tier, rank, days, at_risk, upgraded, censored, not_upgraded,
upgraded_share. A member enters the step at the first snapshot in which they hold `tier`; the event is the
first later snapshot with a higher rank; a member who never shows a higher rank is censored at their last
snapshot (many never upgrade, which is why a plain average of the upgraders' times would mislead). Times are
days between snapshot dates, so they are as coarse as the exports (quarterly exports: multiples of ~91 days).
Kaplan–Meier: S(t) = prod over event times u <= t of (1 - upgraded(u) / at_risk(u)); at_risk(u) = members whose
time is >= u. The top tier and tiers outside the ladder have no step.

`upgrade_spend` — one row per upgrade step: from_tier, to_tier, upgrades, spend_before, spend_after, change,
buyers_after. An upgrade is a snapshot whose rank is above the member's previous snapshot; its day u is that
snapshot date. spend_before = net spend on days u-89 .. u per upgrade, spend_after on u+1 .. u+90 (yuan);
only upgrades with u + 90 <= as_of. The export shows the upgrade at the snapshot after it happened, so the spend
that earned it sits in the "before" window: the comparison is descriptive, not an effect.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

KM_SCHEMA = pl.Schema({"tier": pl.String, "rank": pl.Int64, "days": pl.Int64, "at_risk": pl.Int64,
                       "upgraded": pl.Int64, "censored": pl.Int64, "not_upgraded": pl.Float64,
                       "upgraded_share": pl.Float64})
SPEND_SCHEMA = pl.Schema({"from_tier": pl.String, "to_tier": pl.String, "upgrades": pl.Int64,
                          "spend_before": pl.Float64, "spend_after": pl.Float64, "change": pl.Float64,
                          "buyers_after": pl.Float64})


def ranked(snapshots: pl.LazyFrame, tiers: pl.LazyFrame) -> pl.DataFrame:
    """member_id, snapshot_date, tier, rank (ladder tiers only), sorted by member then date."""
    return (snapshots.join(tiers.select("tier", pl.col("rank").cast(pl.Int64)), on="tier")
            .sort("member_id", "snapshot_date").collect())


def step_durations(snapshots: pl.LazyFrame, tiers: pl.LazyFrame) -> pl.DataFrame:
    """member_id, tier, rank, days, upgraded: one row per member and tier they held (below the top)."""
    snaps = ranked(snapshots, tiers)
    top = tiers.select(pl.col("rank").max()).collect().item()
    if top is None:  # no ladder: no step
        return pl.DataFrame(schema={"member_id": pl.Int64, "tier": pl.String, "rank": pl.Int64, "days": pl.Int64,
                                   "upgraded": pl.Boolean})
    last = snaps.group_by("member_id").agg(pl.col("snapshot_date").max().alias("last"))
    entry = (snaps.filter(pl.col("rank") < top).group_by("member_id", "tier", "rank")
             .agg(pl.col("snapshot_date").min().alias("entry")))
    higher = (entry.join(snaps.select("member_id", pl.col("snapshot_date").alias("at"), pl.col("rank").alias("r2")),
                         on="member_id")
              .filter((pl.col("at") > pl.col("entry")) & (pl.col("r2") > pl.col("rank")))
              .group_by("member_id", "tier").agg(pl.col("at").min().alias("up")))
    return (entry.join(higher, on=["member_id", "tier"], how="left").join(last, on="member_id")
            .with_columns(pl.col("up").is_not_null().alias("upgraded"),
                          (pl.coalesce("up", "last") - pl.col("entry")).dt.total_days().cast(pl.Int64).alias("days"))
            .select("member_id", "tier", "rank", "days", "upgraded").sort("rank", "member_id"))


def upgrade_survival(snapshots: pl.LazyFrame, tiers: pl.LazyFrame) -> pl.DataFrame:
    """snapshots: member_id, snapshot_date, tier; tiers: tier, rank."""
    d = step_durations(snapshots, tiers)
    if d.height == 0:
        return pl.DataFrame(schema=KM_SCHEMA)
    at = (d.group_by("tier", "rank", "days")
          .agg(pl.col("upgraded").sum().cast(pl.Int64).alias("upgraded"),
               (~pl.col("upgraded")).sum().cast(pl.Int64).alias("censored"))
          .sort("rank", "days"))
    at = at.with_columns(
        (pl.col("upgraded") + pl.col("censored")).reverse().cum_sum().reverse().over("tier").alias("at_risk"))
    at = at.with_columns((1 - pl.col("upgraded") / pl.col("at_risk")).cum_prod().over("tier").alias("not_upgraded"))
    return at.with_columns((1 - pl.col("not_upgraded")).alias("upgraded_share")).select(list(KM_SCHEMA)).cast(KM_SCHEMA)


def upgrade_events(snapshots: pl.LazyFrame, tiers: pl.LazyFrame) -> pl.DataFrame:
    """member_id, day, from_tier, to_tier, from_rank, to_rank: consecutive snapshots whose rank changed."""
    snaps = ranked(snapshots, tiers)
    return (snaps.with_columns(pl.col("tier").shift().over("member_id").alias("from_tier"),
                               pl.col("rank").shift().over("member_id").alias("from_rank"))
            .filter(pl.col("from_rank").is_not_null() & (pl.col("rank") != pl.col("from_rank")))
            .select("member_id", pl.col("snapshot_date").alias("day"), "from_tier", pl.col("tier").alias("to_tier"),
                    "from_rank", pl.col("rank").alias("to_rank")))


def _window_spend(events: pl.DataFrame, orders: pl.LazyFrame, lo: int, hi: int, name: str) -> pl.DataFrame:
    """events + `name`: net cents on days day+lo .. day+hi, and `name`_n orders."""
    o = orders.select("member_id", pl.col("paid_at").cast(pl.Date).alias("od"), "net_cents").collect()
    keyed = events.with_row_index("_e")
    hits = (keyed.select("_e", "member_id", "day").join(o, on="member_id")
            .filter((pl.col("od") >= pl.col("day") + pl.duration(days=lo)) & (pl.col("od") <= pl.col("day") + pl.duration(days=hi)))
            .group_by("_e").agg(pl.col("net_cents").sum().alias(name), pl.len().alias(f"{name}_n")))
    return (keyed.join(hits, on="_e", how="left")
            .with_columns(pl.col(name).fill_null(0), pl.col(f"{name}_n").fill_null(0)).drop("_e"))


def upgrade_spend_members(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date,
                          window: int = 90) -> pl.DataFrame:
    """One row per upgrade: member_id, day, from_tier, to_tier, spend_before, spend_after (yuan)."""
    ev = upgrade_events(snapshots, tiers).filter(
        (pl.col("to_rank") > pl.col("from_rank")) & (pl.col("day") + pl.duration(days=window) <= as_of))
    ev = _window_spend(ev, orders, -(window - 1), 0, "before")
    ev = _window_spend(ev, orders, 1, window, "after")
    return ev.select("member_id", "day", "from_tier", "to_tier", "from_rank", "to_rank",
                     (pl.col("before") / 100).alias("spend_before"), (pl.col("after") / 100).alias("spend_after"),
                     (pl.col("after_n") > 0).alias("bought_after")).sort("day", "member_id")


def upgrade_spend(snapshots: pl.LazyFrame, tiers: pl.LazyFrame, orders: pl.LazyFrame, *, as_of: dt.date,
                  window: int = 90) -> pl.DataFrame:
    """orders: member_id, paid_at, net_cents (valid orders)."""
    per = upgrade_spend_members(snapshots, tiers, orders, as_of=as_of, window=window)
    return (per.group_by("from_tier", "to_tier", "from_rank", "to_rank")
            .agg(pl.len().cast(pl.Int64).alias("upgrades"), pl.col("spend_before").mean(),
                 pl.col("spend_after").mean(), pl.col("bought_after").mean().alias("buyers_after"))
            .with_columns((pl.col("spend_after") - pl.col("spend_before")).alias("change"))
            .sort("from_rank", "to_rank").select(list(SPEND_SCHEMA)).cast(SPEND_SCHEMA))
