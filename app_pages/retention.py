"""留存 Retention & LTV: the cohort triangle (members or revenue), retention and cumulative LTV curves,
buyer lifecycle, and the members behind a chosen cell."""

from functools import partial

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import retention as charts
from siyu.engine.lookups import member_ids
from siyu.metrics.lifecycle_members import STATUSES
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.page_filters import url_choice
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import retention as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_retention")



def member_list(who: pl.DataFrame, file_stem: str, what: str, key: str) -> None:
    """The listed members with their names and (masked) phones, and the operators' download."""
    if not who.height:
        return
    contacts = cache.load_contacts(settings, state, member_ids(who), scope=scope)
    listing = who.with_columns(pl.col("member_id").cast(pl.String)).join(
        contacts.select("member_id", "display_name", "phone"), on="member_id", how="left").select(
        "member_id", "display_name", "phone", "orders", "net", "last_day")
    table(listing, {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
                    "phone": ("col_phone", "text"), "orders": ("col_orders_in_period", "int"),
                    "net": ("col_net_in_period", "money2"), "last_day": ("col_last_day", "date")},
          key=f"{key}_table", phone_columns=("phone",), height=320)
    member_download(listing, file_stem=file_stem, what=what, key=key)


rng, grain = filters.date_range_filter(first, last)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
c_cohort, c_measure, c_mode = st.columns([2, 1, 1])
cohort = url_choice(t("ret_cohort"), "cohort", ("first_order", "joined", "channel"),
                    {k: t(f"ret_cohort_{k}") for k in ("first_order", "joined", "channel")},
                    default="first_order", container=c_cohort)
measure = url_choice(t("ret_measure"), "measure", ("members", "revenue"),
                     {k: t(f"ret_measure_{k}") for k in ("members", "revenue")}, default="members", container=c_measure)
mode = url_choice(t("ret_mode"), "mode", ("on", "on_or_after"), {k: t(f"ret_mode_{k}") for k in ("on", "on_or_after")},
                  default="on", container=c_mode, disabled=measure == "revenue")
st.caption(t("ret_range_note"))

stem = f"{cohort}_{grain}_{rng.start}_{rng.end}"
frames = view.retention_frames(partial(cache.load_metric, settings, state, scope=scope), cohort=cohort,
                               measure=measure, mode=mode, grain=grain, rng=rng, lang=lang)
if frames is None:
    empty_notice(scope, "ret_no_orders", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "retention", **filters.range_params(rng), cohort=cohort, grain=grain, measure=measure,
        mode="on" if measure == "revenue" else mode).is_empty())
    st.stop()
triangle, counts, members_tri, revenue_tri = frames.triangle, frames.counts, frames.members, frames.revenue
money, drill_mode, labels = frames.money, frames.drill_mode, frames.labels
clicked = widgets.chart_with_csv(t("ret_heatmap_revenue" if money else "ret_heatmap"),
                                 charts.retention_heatmap(triangle, grain=grain, money=money, lang=lang, counts=counts),
                                 triangle, f"retention_{measure}_{mode}_{stem}", selectable=True)
st.caption(t("ret_incomplete_note"))

# ---- curves ------------------------------------------------------------------------------------------------
picked = st.multiselect(t("ret_pick"), labels, default=labels[:6], key=f"ret_pick_{cohort}_{grain}_{lang}")
widgets.chart_with_csv(t("ret_curves"), charts.retention_curves(members_tri, picked, grain=grain, lang=lang),
                       members_tri.filter(pl.col("label").is_in(picked)), f"retention_curves_{stem}")
widgets.chart_with_csv(t("ret_ltv"), charts.ltv_curves(revenue_tri, picked, grain=grain, lang=lang),
                       revenue_tri.filter(pl.col("label").is_in(picked)), f"ltv_curves_{stem}")
st.caption(t("ret_curves_note"))

# ---- lifecycle ---------------------------------------------------------------------------------------------
life = cache.load_metric(settings, state, "lifecycle", scope=scope, **filters.range_params(rng), grain=grain)
if not life.is_empty():
    bar_points = widgets.chart_with_csv(t("ret_lifecycle"), charts.lifecycle_bars(life, grain=grain, lang=lang), life,
                                        f"lifecycle_{grain}_{rng.start}_{rng.end}", selectable=True)
    st.caption(t("ret_lifecycle_note"))
    bar = view.clicked_bar(bar_points, STATUSES)
    if bar is not None and view.bar_in(bar, life):
        who_bar = cache.load_metric(settings, state, "lifecycle_members", scope=scope,
                                    **view.bar_params(bar, grain=grain, rng=rng))
        st.caption(t("ret_life_members", period=charts.cohort_label(bar.period, grain, lang),
                     status=charts.words(lang)[bar.status], n=fmt.number(who_bar.height, lang)))
        member_list(who_bar, f"lifecycle_{grain}_{bar.period}_{bar.status}",
                    f"lifecycle {bar.status} {bar.period}", "life_members")
    else:
        st.caption(t("ret_life_click"))

# ---- the members behind a cell (a click on the heatmap picks it; the pickers below follow the click) ------
st.subheader(t("ret_members"))
st.caption(t("ret_members_click"))
cell_key, period_key, applied_key = f"ret_cell_{cohort}_{grain}_{lang}", f"ret_period_{cohort}_{grain}", "_ret_clicked"
cell = view.clicked_cell(clicked)
if cell is None:
    st.session_state.pop(applied_key, None)
elif view.cell_in(cell, counts) and st.session_state.get(applied_key) != (stem, cell):
    st.session_state[applied_key] = (stem, cell)  # apply a click once; the pickers stay free afterwards
    st.session_state[cell_key] = charts.cohort_label(cell.cohort, grain, lang, cell.channel or None)
    st.session_state[period_key] = cell.period
cells = charts.labelled(counts, grain=grain, lang=lang).select(
    "label", "cohort", *(["channel"] if cohort == "channel" else []), "period", "value").unique()
c_pick, c_period, _ = st.columns([2, 1, 1])
label = c_pick.selectbox(t("ret_members_cohort"), labels, key=cell_key)
chosen = cells.filter(pl.col("label") == label)
period = c_period.selectbox(t("ret_members_period", unit=charts.words(lang)["period"][grain]),
                            sorted(chosen["period"].to_list()), key=period_key)
row = chosen.filter(pl.col("period") == period).row(0, named=True)
picked_cell = view.Cell(row["cohort"], row.get("channel") or "", int(period), int(row["value"]))
who = cache.load_metric(settings, state, "cohort_members", scope=scope,
                        **view.cell_params(picked_cell, cohort=cohort, grain=grain, mode=drill_mode, rng=rng))
st.caption(t("ret_members_count", cohort=literal(label), period=period, n=fmt.number(who.height, lang)))
member_list(who, f"cohort_{cohort}_{row['cohort']}_p{period}_{drill_mode}", f"retention cohort {label} period {period}",
            "ret_members")
scope_filter.share_link()
