"""The drawing pieces of the 会员权益 page (app_pages/membership.py): KPI cards, the point-value editor, member
tables with their downloads, the matched comparisons. Streamlit only; the frames come from siyu/ui/views/points.py."""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import membership as charts
from siyu.config import Settings
from siyu.errors import SiyuError
from siyu.point_value import save_point_value
from siyu.ui import auth, widgets
from siyu.ui.downloads import member_download
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.tables import table
from siyu.ui.views.points import LIST_ROWS, Points

WHO = {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text")}
BALANCE_COLUMNS = {**WHO, "outstanding": ("pts_col_outstanding", "int"), "balance": ("pts_col_balance", "int"),
                   "issued": ("pts_col_issued", "int"), "redeemed": ("pts_col_redeemed", "int"),
                   "expired": ("pts_col_expired", "int"), "last_change": ("pts_col_last_change", "date")}
UPLIFT_COLUMNS = {**WHO, "day": ("pts_col_week", "date"), "tier": ("col_tier", "text"),
                  "gmv_after": ("pts_col_gmv_after", "money2"), "repurchased": ("pts_col_repurchased", "text"),
                  "controls": ("pts_col_controls", "int"), "control_repurchase": ("pts_col_control_rate", "pct"),
                  "control_gmv_after": ("pts_col_control_gmv", "money2")}
UPGRADE_COLUMNS = {**WHO, "day": ("tec_col_day", "date"), "from_tier": ("tec_col_from", "text"),
                   "to_tier": ("tec_col_to", "text"), "spend_before": ("tec_col_before", "money2"),
                   "spend_after": ("tec_col_after", "money2")}
DOWNGRADE_COLUMNS = {**WHO, "day": ("tec_col_day", "date"), "from_tier": ("tec_col_from", "text"),
                     "to_tier": ("tec_col_to", "text")}
NEAR_COLUMNS = {**WHO, "tier": ("col_tier", "text"), "growth_value": ("tec_col_growth", "int"),
                "next_tier": ("tec_col_next", "text"), "next_threshold": ("tec_col_threshold", "int"),
                "gap": ("tec_col_gap", "int")}
SPEND_COLUMNS = {"from_tier": ("tec_col_from", "text"), "to_tier": ("tec_col_to", "text"),
                 "upgrades": ("tec_col_upgrades", "int"), "spend_before": ("tec_col_before", "money2"),
                 "spend_after": ("tec_col_after", "money2"), "change": ("tec_col_change", "money2"),
                 "buyers_after": ("tec_col_buyers_after", "pct")}
PATH_COLUMNS = {"from_tier": ("tec_col_from", "text"), "to_tier": ("tec_col_to", "text"),
                "downgrades": ("tec_col_downgrades", "int"), "regained": ("tec_col_regained", "int"),
                "stayed": ("tec_col_stayed", "int"), "fell_further": ("tec_col_fell", "int"),
                "bought_after": ("tec_col_buyers_after", "pct")}
PLAN_COLUMNS = {"plan": ("tec_col_plan", "text"), "members": ("col_members", "int"), "terms": ("tec_col_terms", "int"),
                "fee": ("tec_col_fee", "money2"), "terms_ended": ("tec_col_ended", "int"),
                "renewed": ("tec_col_renewed", "int"), "renewal_rate": ("tec_col_renewal", "pct")}

EXPIRY_COLUMNS = {"plan": ("tec_col_plan", "text"), "terms_ended": ("tec_col_ended", "int"),
                  "renewed": ("tec_col_renewed", "int"), "lapsed": ("tec_col_lapsed", "int"),
                  "lapsed_buying": ("tec_col_lapsed_buying", "int"), "lapsed_buying_share": ("tec_col_lapsed_share", "pct")}


def points_cards(p: Points, lang: str) -> None:
    s = p.summary
    cells = st.columns(6)
    cells[0].metric(t("pts_outstanding"), fmt.number(s["outstanding"], lang))
    cells[1].metric(t("pts_liability"), fmt.money(s["liability"], lang))
    cells[2].metric(t("pts_breakage"), fmt.percent(s["breakage_rate"], lang))
    cells[3].metric(t("pts_issued"), fmt.number(s["issued"], lang))
    cells[4].metric(t("pts_redeemed"), fmt.number(s["redeemed"], lang))
    cells[5].metric(t("pts_expired"), fmt.number(s["expired"], lang))
    st.caption(t("pts_value_caption", value=f"{p.value['yuan_per_point']:g}", by=literal(p.value["updated_by"]),
                 at=fmt.date(p.value["updated_at"].date() if p.value["updated_at"] else None, lang)))


def point_value_editor(settings: Settings, value: dict) -> None:
    """Operators and admins set the value of a point; viewers (and the open demo) only read it."""
    if not auth.has_role("operator"):
        return
    with st.form("pts_value_form"):
        raw = st.text_input(t("pts_value_edit"), value=f"{value['yuan_per_point']:g}", max_chars=20, key="pts_value")
        if st.form_submit_button(t("pts_value_save")):
            session = auth.current()
            try:
                saved = save_point_value(settings.db, raw, user=auth.current_user(),
                                         role=session.role if session else None, timeout=settings.lock_timeout)
            except SiyuError as exc:  # a bad value: the message, nothing stored
                st.error(literal(exc))
            else:
                st.success(t("pts_value_saved", value=f"{saved:f}".rstrip("0").rstrip(".")))


def member_table(title: str, who: pl.DataFrame, columns: dict[str, tuple[str, str]], stem: str) -> None:
    """A member list (the first LIST_ROWS rows on screen) and the operators' download of all of it."""
    st.subheader(f"{title} · {fmt.number(who.height)}")
    if who.is_empty():
        return
    shown = who.with_columns(pl.col("repurchased").cast(pl.String)) if "repurchased" in who.columns else who
    table(shown.head(LIST_ROWS), columns, key=f"{stem}_table", phone_columns=("phone",), height=320)
    member_download(who.select([c for c in columns if c in who.columns]), file_stem=stem, what=stem, key=stem,
                    columns=columns)


def plain_table(title: str, frame: pl.DataFrame, columns: dict[str, tuple[str, str]], stem: str,
                empty: str = "tec_none_paid") -> None:
    """A small summary table; with no rows, the sentence `empty` says why (an empty grid says nothing)."""
    st.subheader(title)
    if frame.is_empty():
        st.caption(t(empty))
        return
    table(frame, columns, key=f"{stem}_table")


def comparison(title: str, summary: dict, label: str, groups: tuple[str, str], method_key: str, lang: str) -> None:
    """Treated vs matched control: the two bars, the numbers, and the matching method in words."""
    frame = pl.DataFrame([summary])
    widgets.chart_with_csv(title, charts.comparison(summary, t(groups[0]), t(groups[1]), label, lang), frame,
                           f"{label}_comparison")
    st.caption(t(method_key, matched=fmt.number(summary.get("matched"), lang),
                 unmatched=fmt.number(summary.get("unmatched"), lang)))
