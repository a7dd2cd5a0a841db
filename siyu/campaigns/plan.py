"""`campaign plan`: a source's members split into send groups (one per copy variant) and a holdout, stored.

The split is siyu.metrics.campaign_split (seeded, stratified by recency/frequency/value); the features are
computed from valid orders up to the data's last day, with the same definitions as the RFM segments
(recency = days since the last purchase day, frequency = purchase days, monetary = net yuan).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from siyu.campaigns import sources, store
from siyu.config import Settings
from siyu.db import reading, writing
from siyu.engine import inputs
from siyu.engine.context import ReadContext, read_context
from siyu.errors import SiyuError
from siyu.metrics.campaign_split import check_holdout, stratified_split

Clock = Callable[[], dt.datetime]


def member_features(ctx: ReadContext, ids: pl.Series, before: dt.date | None = None) -> pl.DataFrame:
    """member_id, recency_days, frequency, monetary of the listed members (nulls: never bought), from valid
    orders up to the data's last day, or (`before`) paid before that day, recency counted to the day before."""
    last = inputs.data_last_day(ctx) if before is None else before - dt.timedelta(days=1)
    wanted = pl.DataFrame({"member_id": ids.cast(pl.Int64)})
    lazy = inputs.valid_order_days_cached(ctx)
    if before is not None:
        lazy = lazy.filter(pl.col("day") < before)
    days = (lazy.filter(pl.col("member_id").is_in(ids.cast(pl.Int64).implode()))
            .group_by("member_id")
            .agg(pl.col("day").max().alias("last_day"), pl.len().cast(pl.Int64).alias("frequency"),
                 (pl.col("net_cents").sum() / 100).alias("monetary"))
            .collect())
    found = days.with_columns(
        (pl.lit(last, dtype=pl.Date) - pl.col("last_day")).dt.total_days().cast(pl.Int64).alias("recency_days")
        if last is not None else pl.lit(None, dtype=pl.Int64).alias("recency_days"))
    return wanted.join(found.select("member_id", "recency_days", "frequency", "monetary"), on="member_id", how="left")


def parse_variants(text: str | None) -> tuple[str, ...]:
    if not text:
        return ("",)
    names = tuple(v.strip() for v in text.replace("，", ",").split(","))
    if any(not v for v in names) or len(set(names)) != len(names) or any(len(v) > 40 for v in names):
        raise SiyuError(f"--variants 需要不重复、非空的版本名，例如 A,B；收到 {text!r} / variants like A,B")
    return names


@dataclass
class Plan:
    campaign: str
    source: str
    planned_at: dt.datetime
    seed: int
    holdout_share: float
    variants: tuple[str, ...]
    split: pl.DataFrame = field(repr=False)
    features: pl.DataFrame = field(repr=False)

    def summary(self) -> dict[str, Any]:
        arms = self.split.group_by("arm", "variant").len().sort("arm", "variant")
        return {"campaign": self.campaign, "source": self.source, "planned_at": self.planned_at.isoformat(sep=" "),
                "seed": self.seed, "holdout_share": self.holdout_share, "members": self.split.height,
                "send": int((self.split["arm"] == "send").sum()), "holdout": int((self.split["arm"] == "holdout").sum()),
                "groups": [{"arm": r["arm"], "variant": r["variant"], "members": r["len"]}
                           for r in arms.iter_rows(named=True)],
                "balance": balance(self.split, self.features).to_dicts()}


def balance(split: pl.DataFrame, features: pl.DataFrame) -> pl.DataFrame:
    """One row per arm: members, share who ever bought, mean recency_days / frequency / monetary of buyers."""
    joined = split.join(features, on="member_id", how="left")
    return (joined.group_by("arm").agg(
        pl.len().alias("members"), pl.col("frequency").is_not_null().mean().alias("buyer_share"),
        pl.col("recency_days").mean().alias("mean_recency_days"), pl.col("frequency").mean().alias("mean_frequency"),
        pl.col("monetary").mean().alias("mean_monetary")).sort("arm"))


def local_now(settings: Settings) -> dt.datetime:
    return dt.datetime.now(zoneinfo.ZoneInfo(settings.timezone)).replace(tzinfo=None, microsecond=0)


def draw_plan(ctx: ReadContext, *, name: str, source: str, holdout: float, variants: tuple[str, ...], seed: int,
              planned_at: dt.datetime, ids: pl.Series | None = None) -> Plan:
    """The plan without storing it (the page shows it before saving). `ids`: members already resolved
    (an uploaded list), else `source` is resolved through siyu.campaigns.sources."""
    name = store.check_name(name)
    check_holdout(holdout)
    members = ids if ids is not None else sources.resolve(ctx, source)
    features = member_features(ctx, members)
    split = stratified_split(features, holdout=holdout, variants=variants, seed=seed)
    return Plan(name, source, planned_at, seed, holdout, variants, split, features)


def plan_campaign(settings: Settings, *, name: str, source: str, holdout: float, variants: tuple[str, ...] = ("",),
                  seed: int = 0, by: str = "cli", clock: Clock | None = None, ids: pl.Series | None = None) -> Plan:
    """Draw and store a plan (one transaction). `clock` gives the plan time (default: now, local time)."""
    store.db_exists(Path(settings.db))
    planned_at = (clock or (lambda: local_now(settings)))()
    with reading(settings.db, settings.lock_timeout) as con:
        plan = draw_plan(read_context(con), name=name, source=source, holdout=holdout, variants=variants, seed=seed,
                         planned_at=planned_at, ids=ids)
    save_plan(settings, plan, by)
    return plan


def save_plan(settings: Settings, plan: Plan, by: str) -> None:
    with writing(settings.db, settings.lock_timeout) as con:
        store.write_plan(con, name=plan.campaign, source=plan.source, planned_at=plan.planned_at, planned_by=by,
                         seed=plan.seed, holdout=plan.holdout_share, variants=plan.variants, split=plan.split)
