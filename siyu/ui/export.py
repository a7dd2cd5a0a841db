"""Files for people: the CSV and XLSX the dashboard hands out, with the columns named in the reader's
language and the values rounded as the page shows them. (Machine output keeps the metric's own keys and
full precision: `python -m siyu metric --format csv` goes through siyu.output.to_csv, unchanged.)

    people_csv(frame) -> bytes    UTF-8 with a BOM (Excel on Chinese Windows), formula-safe
    people_xlsx(frame) -> bytes   typed cells with number formats: ¥#,##0.00, 0.0%, yyyy-mm-dd
    people_frame(frame) -> (frame, kinds)

Column kinds: money (yuan, 2 decimals), pct (a ratio; "12.3%" in CSV, a 0.0% cell in XLSX), float
(2 decimals), int, date, bool (是/否), text. Columns not listed keep their name and value.
"""

from __future__ import annotations

import polars as pl

from siyu.output import to_csv, to_xlsx
from siyu.ui.i18n import STRINGS, t

COLUMNS: dict[str, tuple[str, str]] = {
    # identity and contacts
    "member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
    "last_order": ("col_last_order", "date"), "last_day": ("col_last_day", "date"),
    "last_purchase": ("col_x_last_purchase", "date"), "joined": ("col_joined", "date"),
    "friend_added": ("col_friend_added", "date"), "still_friend": ("col_still_friend", "text"),
    # periods and cohorts
    "period": ("col_x_period", "date"), "cohort": ("col_x_cohort", "date"), "cohort_size": ("col_x_cohort_size", "int"),
    "complete": ("col_x_complete", "bool"), "cumulative": ("col_x_cumulative", "money"), "label": ("col_x_cohort", "text"),
    "new": ("col_x_new", "int"), "returning": ("col_x_returning", "int"), "resurrecting": ("col_x_resurrecting", "int"),
    "dormant": ("col_x_dormant", "int"), "active": ("col_x_active", "int"),
    # money and counts
    "gmv": ("col_gmv", "money"), "arpu": ("col_arpu", "money"), "gmv_per_member": ("col_gmv_per_member", "money"),
    "gmv_share": ("col_gmv_share", "pct"), "buyers": ("col_buyers", "int"), "orders": ("col_x_orders", "int"),
    "members": ("col_members", "int"), "share": ("col_share", "pct"), "tier": ("col_tier", "text"),
    "new_members": ("col_x_new_members", "int"), "friends_added": ("col_x_friends_added", "int"),
    "friends_deleted": ("col_x_friends_deleted", "int"), "net": ("col_x_net", "money"),
    "net_spend": ("col_x_net_spend", "money"), "spend": ("col_spend", "money"), "avg_spend": ("col_avg_spend", "money"),
    "spend_share": ("col_spend_share", "pct"), "layer": ("col_layer", "text"), "buyer_share": ("col_buyer_share", "pct"),
    "member_share": ("col_x_member_share", "pct"), "kind": ("col_x_kind", "text"), "gini": ("col_x_gini", "float"),
    # tiers
    "from_tier": ("col_from", "text"), "to_tier": ("col_to", "text"), "from_rank": ("col_x_from_rank", "int"),
    "to_rank": ("col_x_to_rank", "int"), "share_of_from": ("col_share_of_from", "pct"),
    "direction": ("col_direction", "text"),
    # channels
    "channel": ("col_channel", "text"), "added": ("col_added", "int"), "friends": ("col_friends", "int"),
    "deleted_1d": ("col_deleted_1d", "pct"), "deleted_7d": ("col_deleted_7d", "pct"),
    "deleted_30d": ("col_deleted_30d", "pct"), "buyer_30d": ("col_buyer_30d", "pct"),
    "buyer_90d": ("col_buyer_90d", "pct"), "revenue_90d_per_member": ("col_revenue_90d", "money"),
    "repeat_rate": ("col_repeat_rate", "pct"), "token_first_order_share": ("col_token_share", "pct"),
    "valid_members": ("col_valid_members", "int"), "vanity_headcount": ("col_vanity", "int"),
    "valid_share": ("col_valid_share", "pct"), "days": ("col_x_days", "int"), "at_risk": ("col_x_at_risk", "int"),
    "survival": ("col_x_survival", "pct"),
    # referrals
    "generation": ("col_generation", "int"), "buyer_rate": ("col_buyer_rate", "pct"), "k_factor": ("col_k", "float"),
    "referees": ("col_referees", "int"), "referee_buyers": ("col_referee_buyers", "int"),
    "converted_referees": ("col_x_converted_referees", "int"), "excluded_referees": ("col_excluded", "int"),
    "descendants": ("col_descendants", "int"), "group": ("col_group", "text"), "mature_members": ("col_mature", "int"),
    "conversion_90": ("col_conversion_90", "pct"), "retention_90": ("col_retention_90", "pct"),
    "ltv_90": ("col_ltv_90", "money"),
    # super users, segments, predictions
    "rank": ("col_rank", "int"), "score": ("col_score", "float"), "purchase_days": ("col_purchase_days", "int"),
    "spend_vs_median": ("col_spend_vs_median", "float"), "referrals": ("col_referrals", "int"),
    "referee_gmv": ("col_referee_gmv", "money"), "early_buys": ("col_early_buys", "int"),
    "segment": ("col_segment", "text"), "cn_segment": ("col_segment", "text"), "monetary": ("col_monetary", "money"),
    "monetary_share": ("col_monetary_share", "pct"), "avg_monetary": ("col_avg_monetary", "money"),
    "avg_frequency": ("col_avg_frequency", "float"), "avg_recency_days": ("col_avg_recency", "float"),
    "recency_days": ("col_recency_days", "int"), "frequency": ("col_frequency", "int"),
    "p_alive": ("col_p_alive", "pct"), "p_alive_before": ("col_p_alive_before", "pct"),
    "p_alive_drop": ("col_x_p_alive_drop", "pct"), "value_rank_share": ("col_x_value_rank_share", "pct"),
    "expected_purchases_30d": ("col_x_expected_30d", "float"), "expected_purchases_90d": ("col_expected_90d", "float"),
    "expected_purchases_365d": ("col_x_expected_365d", "float"),
    "expected_avg_spend": ("col_x_expected_avg_spend", "money"), "clv": ("col_clv", "money"),
    "days_since_last": ("col_days_since", "int"),
    # the model check
    "bucket": ("col_x_bucket", "text"), "customers": ("col_x_customers", "int"), "actual": ("col_x_actual", "float"),
    "predicted": ("col_x_predicted", "float"),
}
# Columns whose meaning depends on the table they sit in: the retention triangle's value and rate.
_RETENTION = {"value": ("col_x_value", "float"), "rate": ("col_x_rate", "pct")}


def people_frame(frame: pl.DataFrame, columns: dict[str, tuple[str, str]] | None = None
                 ) -> tuple[pl.DataFrame, dict[str, str]]:
    """`frame` with its columns named in the reader's language and rounded; kinds by the new names.
    columns: {column: (catalog key, kind)} that override or extend COLUMNS for this file."""
    known = {**COLUMNS, **_RETENTION, **(columns or {})}
    yes, no = t("yes"), t("no")
    exprs, kinds, names = [], {}, set()
    for column in frame.columns:
        label_key, kind = known.get(column, (None, "text"))
        name = t(label_key) if label_key in STRINGS else column  # a column siyu has no words for keeps its key
        if name in names:  # two keys with one label (segment / cn_segment): keep them apart
            name = f"{name} ({column})"
        names.add(name)
        expr = pl.col(column)
        dtype = frame.schema[column]
        if kind == "bool" or dtype == pl.Boolean:
            expr, kind = pl.when(expr).then(pl.lit(yes)).when(expr.not_()).then(pl.lit(no)), "text"
        elif kind == "money" and dtype.is_numeric():
            expr = expr.cast(pl.Float64).round(2)
        elif kind == "pct" and dtype.is_numeric():
            expr = expr.cast(pl.Float64)  # exact: CSV rounds it once to "12.3%", XLSX formats it as 0.0%
        elif kind == "float" and dtype.is_numeric():
            expr = expr.cast(pl.Float64).round(2)
        elif dtype.is_float():
            expr, kind = expr.round(2), "float"
        elif isinstance(dtype, pl.Datetime):  # to the second: microseconds are noise to a reader
            expr = expr.dt.truncate("1s")
        exprs.append(expr.alias(name))
        kinds[name] = kind
    return frame.select(exprs), kinds


def csv_ready(frame: pl.DataFrame, columns: dict[str, tuple[str, str]] | None = None) -> pl.DataFrame:
    """people_frame with rates written "12.3%" (Excel reads that as a percentage)."""
    shown, kinds = people_frame(frame, columns)
    pcts = [c for c, k in kinds.items() if k == "pct"]
    if pcts:
        shown = shown.with_columns(
            pl.when(pl.col(c).is_not_null()).then((pl.col(c) * 100).round(1).cast(pl.String) + "%").alias(c)
            for c in pcts)
    return shown


def people_csv(frame: pl.DataFrame, columns: dict[str, tuple[str, str]] | None = None) -> bytes:
    """CSV for Excel: labelled columns, rounded values, rates as "12.3%", UTF-8 with a BOM, formula-safe."""
    return to_csv(csv_ready(frame, columns)).encode("utf-8-sig")


def label_of(column: str, columns: dict[str, tuple[str, str]] | None = None) -> str:
    """The people's name of one column (as people_frame names it)."""
    key = {**COLUMNS, **_RETENTION, **(columns or {})}.get(column, (None, ""))[0]
    return t(key) if key in STRINGS else column


def people_xlsx(frame: pl.DataFrame) -> bytes:
    """XLSX: labelled columns, typed cells with number formats per kind."""
    shown, kinds = people_frame(frame)
    return to_xlsx(shown, formats=kinds)
