"""What the Members & tiers page draws, without Streamlit: tiers and ARPU, a tier's members, tier migration,
GMV concentration, the three layers, super users with predictions, the at-risk recall list and the BG/NBD
model check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from siyu.charts.members import tier_label
from siyu.engine.lookups import member_ids
from siyu.metrics.page_frames import with_predictions
from siyu.ui.views.loader import Contacts, Loader, with_contacts

TIERS = {"tier": ("col_tier", "text"), "members": ("col_members", "int"), "share": ("col_share", "pct"),
         "buyers": ("col_buyers", "int"), "gmv": ("col_gmv", "money"), "gmv_share": ("col_gmv_share", "pct"),
         "arpu": ("col_arpu", "money2"), "gmv_per_member": ("col_gmv_per_member", "money2")}
TIER_MEMBERS = {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
                "phone": ("col_phone", "text"), "net": ("col_spend", "money2"), "last_order": ("col_last_order", "date")}
CONCENTRATION = {"buyer_share": ("col_buyer_share", "pct"), "buyers": ("col_buyers", "int"),
                 "gmv": ("col_gmv", "money"), "gmv_share": ("col_gmv_share", "pct")}
SUPER = {"rank": ("col_rank", "int"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
         "score": ("col_score", "float"), "purchase_days": ("col_purchase_days", "int"), "spend": ("col_spend", "money"),
         "spend_vs_median": ("col_spend_vs_median", "float"), "referrals": ("col_referrals", "int"),
         "referee_gmv": ("col_referee_gmv", "money"), "early_buys": ("col_early_buys", "int"),
         "p_alive": ("col_p_alive", "pct"), "expected_purchases_90d": ("col_expected_90d", "float"),
         "clv": ("col_clv", "money")}
AT_RISK = {"display_name": ("col_name", "text"), "phone": ("col_phone", "text"), "net_spend": ("col_spend", "money"),
           "p_alive": ("col_p_alive", "pct"), "p_alive_before": ("col_p_alive_before", "pct"),
           "expected_purchases_90d": ("col_expected_90d", "float"), "clv": ("col_clv", "money"),
           "last_purchase": ("col_last_order", "date"), "days_since_last": ("col_days_since", "int")}
RECALL = ("member_id", "display_name", "phone", "last_order", "net_spend", "p_alive", "p_alive_before",
          "expected_purchases_90d", "clv", "days_since_last")
PARAMETERS = {"parameter": ("col_param", "text"), "used": ("col_fit_used", "text"),
              "holdout": ("col_fit_holdout", "text")}
HOLDOUT_DAYS = 180  # the model check holds out the last 180 days, and needs as many before them


@dataclass(frozen=True)
class TierFrames:
    """tiers: the metric (one row per tier; its CSV); shown: tiers named in the reader's words with ARPU and GMV
    per member missing (null) where nobody bought / nobody is in the tier, not 0; clickable: tiers with members."""
    tiers: pl.DataFrame
    shown: pl.DataFrame
    clickable: list[str]

    @property
    def empty(self) -> bool:
        """No tier ladder (only 未定级)."""
        return self.tiers.filter(pl.col("rank").is_not_null()).is_empty()

    @property
    def chart(self) -> pl.DataFrame:
        """The bars' frame: the metric with the shown ARPU (a tier without buyers leaves a gap, not ¥0)."""
        return self.tiers.with_columns(self.shown["arpu"])


def tier_frames(load: Loader, *, params: dict[str, str], lang: str) -> TierFrames:
    tiers = load("tiers", **params)
    shown = tiers.with_columns(
        pl.col("tier").map_elements(lambda v: tier_label(v, lang), return_dtype=pl.String),
        # the metric writes 0 for a ratio over nobody (its CSV contract); on screen that reads as "they spent
        # nothing", so the table says there is no one to divide by
        pl.when(pl.col("buyers") > 0).then(pl.col("arpu")).alias("arpu"),
        pl.when(pl.col("members") > 0).then(pl.col("gmv_per_member")).alias("gmv_per_member"))
    return TierFrames(tiers, shown, tiers.filter(pl.col("members") > 0)["tier"].to_list())


def tier_members(load: Loader, contacts: Contacts, *, params: dict[str, str], tier: str) -> pl.DataFrame:
    """A tier's members (as many as its bar) with names, phones, net spend in the range and last order."""
    return with_contacts(contacts, load("tier_members", **params, tier=tier), ("display_name", "phone", "last_order"),
                         tuple(TIER_MEMBERS))


def migration(load: Loader, *, start: dt.date, end: dt.date) -> tuple[pl.DataFrame, dict[str, int], dt.date, dt.date]:
    """Tier migration between two snapshots (taken in order whichever way they were picked), and how many
    members moved up, down, stayed or left."""
    start, end = min(start, end), max(start, end)
    moved = load("tier_migration", **{"from": start.isoformat(), "to": end.isoformat()})
    counts = {d: int(moved.filter(pl.col("direction") == d)["members"].sum()) for d in ("up", "down", "same", "exit")}
    return moved, counts, start, end


@dataclass(frozen=True)
class Concentration:
    """conc: the Lorenz curve and top shares; tops: the top-share rows; top_share: {buyer share: GMV share}."""
    conc: pl.DataFrame
    tops: pl.DataFrame
    top_share: dict[float, float]

    @property
    def gini(self) -> float:
        return float(self.conc["gini"][0])


def concentration(load: Loader, *, params: dict[str, str]) -> Concentration | None:
    """GMV concentration among the range's buyers; None when nobody bought."""
    conc = load("concentration", **params)
    tops = conc.filter(pl.col("kind") == "top")
    if tops.is_empty() or not tops["buyers"].sum():
        return None
    return Concentration(conc, tops, dict(zip(tops["buyer_share"].round(2).to_list(), tops["gmv_share"].to_list(),
                                              strict=False)))


def super_list(load: Loader, contacts: Contacts, *, params: dict[str, str], layers: pl.DataFrame, predictions: pl.DataFrame) -> pl.DataFrame:
    """The super layer's members, best first, with predictions (when given), names and phones."""
    n_super = int(layers.filter(pl.col("layer") == "super")["members"].sum())  # the best n_super rows are the layer
    top = load("super_users", **params, top=str(max(n_super, 1))).filter(pl.col("layer") == "super")
    found = contacts(member_ids(top))
    return with_predictions(top, predictions).with_columns(pl.col("member_id").cast(pl.String)).join(
        found.select("member_id", "display_name", "phone"), on="member_id", how="left")


def recall_list(contacts: Contacts, at_risk: pl.DataFrame) -> pl.DataFrame:
    """The at-risk list's file: with full phones and last orders (only for someone who may download them)."""
    full = contacts(member_ids(at_risk))
    return at_risk.drop("display_name", "phone").join(full, on="member_id", how="left").select(*RECALL)


def calibration_end(first: dt.date, last: dt.date) -> dt.date | None:
    """The model check's calibration end (HOLDOUT_DAYS before the data's last day); None when the data is
    shorter than twice that."""
    end = last - dt.timedelta(days=HOLDOUT_DAYS)
    return None if (end - first).days < HOLDOUT_DAYS else end


@dataclass(frozen=True)
class Holdout:
    """The check's predicted vs actual repeat purchases over the held-out days, per frequency bucket."""
    buckets: pl.DataFrame
    actual: float
    predicted: float


def holdout(fit: dict) -> Holdout | None:
    """The holdout comparison of a `clv` fit with a holdout period, if it has one."""
    h = fit.get("holdout")
    if not h:
        return None
    return Holdout(pl.DataFrame(h["buckets"]), float(h["actual_total"]), float(h["predicted_total"]))
