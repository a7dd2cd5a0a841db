"""What the 会员权益 page draws, without Streamlit: points, tier economics and paid membership as frames.

Each loader takes `load(name, **params) -> DataFrame` and `contacts(member ids) -> DataFrame` (the page passes
the cached loaders with its scope) and returns None when its data is not imported, so the page says so instead of drawing empty charts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from siyu.engine.lookups import member_ids
from siyu.ui.views.loader import Contacts

Load = Callable[..., pl.DataFrame]
LIST_ROWS = 500   # rows of a member list drawn on screen; the download has them all


@dataclass(frozen=True)
class Points:
    summary: dict
    value: dict
    flow: pl.DataFrame
    balances: pl.DataFrame
    uplift: dict
    redeemers: pl.DataFrame


@dataclass(frozen=True)
class Tiers:
    cohorts: pl.DataFrame
    survival: pl.DataFrame
    upgrade_spend: pl.DataFrame
    upgraded: pl.DataFrame
    downgrades: pl.DataFrame
    downgraded: pl.DataFrame
    near: pl.DataFrame
    inferred: bool


@dataclass(frozen=True)
class Paid:
    plans: pl.DataFrame
    expiries: pl.DataFrame
    comparison: dict
    members: pl.DataFrame


def with_contacts(contacts: Contacts, who: pl.DataFrame) -> pl.DataFrame:
    """`who` (member_id first) with display_name and phone from `contacts`, member ids as text."""
    if who.is_empty():
        return who.with_columns(pl.col("member_id").cast(pl.String), pl.lit(None, pl.String).alias("display_name"),
                                pl.lit(None, pl.String).alias("phone"))
    found = contacts(member_ids(who))
    return (who.with_columns(pl.col("member_id").cast(pl.String))
            .join(found.select("member_id", "display_name", "phone"), on="member_id", how="left", maintain_order="left"))


def points(load: Load, contacts: Contacts) -> Points | None:
    flow = load("points_flow", grain="month")
    if flow.is_empty():
        return None
    redeemers = load("redeemer_uplift", view="members")
    return Points(summary=load("points_liability").row(0, named=True), value=load("points_value").row(0, named=True),
                  flow=flow, balances=with_contacts(contacts, load("points_liability", view="members").filter(pl.col("outstanding") > 0)),
                  uplift=load("redeemer_uplift").row(0, named=True),
                  redeemers=with_contacts(contacts, redeemers.sort("gmv_after", descending=True)))


def tiers(load: Load, contacts: Contacts, *, within: float) -> Tiers | None:
    survival = load("tier_upgrade_survival")
    cohorts = load("tier_cohorts")
    if survival.is_empty() and cohorts.is_empty():
        return None
    near = load("near_next_tier", within=str(within))
    return Tiers(cohorts=cohorts, survival=survival, upgrade_spend=load("tier_upgrade_spend"),
                 upgraded=with_contacts(contacts, load("tier_upgrade_spend", view="members")),
                 downgrades=load("tier_downgrades"), downgraded=with_contacts(contacts, load("tier_downgrades", view="members")),
                 near=with_contacts(contacts, near), inferred=bool((near["threshold_source"] == "inferred").any()))


def paid(load: Load, contacts: Contacts) -> Paid | None:
    plans = load("paid_members")
    if plans.is_empty():
        return None
    members = load("paid_members", view="members")
    return Paid(plans=plans, expiries=load("paid_members", view="expiries"), comparison=load("paid_members", view="comparison").row(0, named=True),
                members=with_contacts(contacts, members))
