"""What the 召回 page draws, without Streamlit: a campaign's rows for one window, its verdicts as catalog keys with
their figures, the deletion note, and the choices the page offers (campaigns with results, sources)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from siyu import locales
from siyu.charts.segments import CHINESE, CLASSIC, segment_name

WINDOWS = (7, 14, 30)


@dataclass(frozen=True)
class Verdict:
    key: str
    """cmp_verdict_worked | cmp_verdict_zero | cmp_verdict_backfired | cmp_verdict_none"""
    values: dict[str, str]


@dataclass(frozen=True)
class CampaignView:
    rows: pl.DataFrame
    verdicts: list[Verdict]
    deleted: Verdict | None
    deleted_clearly_more: bool
    complete: bool
    matched: bool


def pct(x: float | None, signed: bool = False) -> str:
    if x is None:
        return "—"
    return f"{x * 100:+.1f}%" if signed else f"{x * 100:.1f}%"


def verdict_of(row: dict, lang: str = "zh") -> Verdict:
    """The row's result in words (the catalog key) with its figures; a variant name is prefixed when there is one."""
    variant = locales.text("cmp_variant_prefix", lang, variant=row["variant"]) if row["variant"] else ""
    values = {"variant": variant, "sent": pct(row["sent_rate"]),
              "holdout": pct(row["holdout_rate"]), "lift": pct(row["lift_abs"], True),
              "low": pct(row["lift_low"], True), "high": pct(row["lift_high"], True)}
    if row["lift_low"] is None or row["lift_high"] is None:
        return Verdict("cmp_verdict_none", values)
    if row["lift_low"] > 0:
        return Verdict("cmp_verdict_worked", values)
    if row["lift_high"] < 0:
        return Verdict("cmp_verdict_backfired", values)
    return Verdict("cmp_verdict_zero", values)


def campaign_view(lift: pl.DataFrame, campaign: str, window: int, lang: str = "zh") -> CampaignView:
    rows = lift.filter((pl.col("campaign") == campaign) & (pl.col("window_days") == window)).sort("variant")
    verdicts = [verdict_of(r, lang) for r in rows.iter_rows(named=True)]
    deleted, clearly = None, False
    if rows.height and rows["holdout"][0]:
        # deletions do not depend on the copy: the whole sent group against the holdout
        sent = int(rows["sent"].sum())
        sent_deleted = sum(round((r or 0) * n) for r, n in zip(rows["sent_deleted_7d_rate"], rows["sent"], strict=True))
        first = rows.row(0, named=True)
        from siyu.metrics.campaign_lift import diff_interval

        hold_deleted = round((first["holdout_deleted_7d_rate"] or 0) * first["holdout"])
        d, lo, hi = diff_interval(sent_deleted, sent, hold_deleted, first["holdout"])
        deleted = Verdict("cmp_deleted", {"sent": pct(sent_deleted / sent if sent else None),
                                          "holdout": pct(first["holdout_deleted_7d_rate"]), "lift": pct(d, True),
                                          "low": pct(lo, True), "high": pct(hi, True)})
        clearly = lo is not None and lo > 0
    return CampaignView(rows, verdicts, deleted, clearly, bool(rows["complete"].all()) if rows.height else True,
                        bool(rows.height and (rows["comparison"] == "matched").any()))


def named_variants(rows: pl.DataFrame, single: str) -> pl.DataFrame:
    """`rows` with the empty variant (a campaign with one copy) named in words for the table."""
    return rows.with_columns(pl.when(pl.col("variant") == "").then(pl.lit(single)).otherwise("variant").alias("variant"))


def with_results(campaigns: pl.DataFrame, lift: pl.DataFrame) -> tuple[list[str], list[str]]:
    """(campaigns with a lift to show, newest first; campaigns planned but not sent yet)."""
    shown = set(lift["campaign"].to_list())
    ordered = campaigns["campaign"].to_list()
    return [c for c in ordered if c in shown], [c for c in ordered if c not in shown]


def source_options(rfm: pl.DataFrame) -> list[str]:
    """The `--from` sources the page offers: every non-empty RFM segment (both standards, each in its usual order:
    重要价值客户 first, not the code-point order that put 一般… first), at_risk, a file."""
    def ordered(names: set[str], known: list[str]) -> list[str]:
        return [n for n in known if n in names] + sorted(names - set(known))

    found = [f"rfm:{s}" for s in ordered(set(rfm["cn_segment"].drop_nulls().to_list()), list(CHINESE))]
    found += [f"rfm:{s}" for s in ordered(set(rfm["segment"].drop_nulls().to_list()), list(CLASSIC))]
    return [*found, "at_risk", "file"]


def source_label(source: str, lang: str) -> str:
    """A source as the selectbox shows it: RFM segments named as on the 分群 page in either language."""
    if source == "at_risk":
        return locales.text("cmp_source_at_risk", lang)
    if source == "file":
        return locales.text("cmp_source_file", lang)
    return segment_name(source.removeprefix("rfm:"), lang)


TABLE_COLUMNS = {
    "variant": ("cmp_col_variant", "text"), "sent": ("cmp_col_sent", "int"), "holdout": ("cmp_col_holdout", "int"),
    "sent_buyers": ("cmp_col_sent_buyers", "int"), "holdout_buyers": ("cmp_col_holdout_buyers", "int"),
    "sent_rate": ("cmp_col_sent_rate", "pct"), "holdout_rate": ("cmp_col_holdout_rate", "pct"),
    "lift_abs": ("cmp_col_lift", "pct"), "lift_low": ("cmp_col_low", "pct"), "lift_high": ("cmp_col_high", "pct"),
    "incremental_buyers": ("cmp_col_inc_buyers", "float"), "incremental_gmv": ("cmp_col_inc_gmv", "money"),
    "cost": ("cmp_col_cost", "money2"), "cost_per_incremental_buyer": ("cmp_col_cpib", "money2"),
    "sent_deleted_7d_rate": ("cmp_col_deleted", "pct"),
}
BALANCE_COLUMNS = {
    "arm": ("cmp_col_arm", "text"), "members": ("cmp_col_members", "int"), "buyer_share": ("cmp_col_buyer_share", "pct"),
    "mean_recency_days": ("cmp_col_recency", "float"), "mean_frequency": ("cmp_col_frequency", "float"),
    "mean_monetary": ("cmp_col_monetary", "money2"),
}
