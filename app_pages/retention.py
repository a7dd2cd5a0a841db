"""留存 Retention & LTV: the cohort triangle (members or revenue), retention and cumulative LTV curves,
buyer lifecycle, and the members behind a chosen cell. What is drawn comes from siyu/ui/views/retention.py."""

from functools import partial

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import retention as charts
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.click_state import apply_click
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.lifecycle_section import lifecycle_section
from siyu.ui.literal import literal
from siyu.ui.member_list import member_list
from siyu.ui.page_filters import url_pick
from siyu.ui.page_start import page_start
from siyu.ui.views import retention as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_retention")
rng, grain = filters.date_range_filter(first, last)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
load = partial(cache.load_metric, settings, state, scope=scope)
contacts = partial(cache.load_contacts, settings, state, scope=scope)
c_cohort, c_measure, c_mode = st.columns([2, 1, 1])
cohort = url_pick("ret", "cohort", ("first_order", "joined", "channel"), container=c_cohort)
measure = url_pick("ret", "measure", ("members", "revenue"), container=c_measure)
mode = url_pick("ret", "mode", ("on", "on_or_after"), container=c_mode, disabled=measure == "revenue")
st.caption(t("ret_range_note"))

stem = f"{cohort}_{grain}_{rng.start}_{rng.end}"
frames = view.retention_frames(load, cohort=cohort, measure=measure, mode=mode, grain=grain, rng=rng, lang=lang)
if frames is None:
    empty_notice(scope, "ret_no_orders", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "retention", **filters.range_params(rng), cohort=cohort, grain=grain, measure=measure,
        mode="on" if measure == "revenue" else mode).is_empty())
    st.stop()
clicked = widgets.chart_with_csv(t("ret_heatmap_revenue" if frames.money else "ret_heatmap"), charts.retention_heatmap(
    frames.triangle, grain=grain, money=frames.money, lang=lang, counts=frames.counts), frames.triangle,
    f"retention_{measure}_{mode}_{stem}", selectable=True)
st.caption(t("ret_incomplete_note"))

# ---- curves ------------------------------------------------------------------------------------------------
picked = st.multiselect(t("ret_pick"), frames.labels, default=frames.labels[:6], key=f"ret_pick_{cohort}_{grain}_{lang}")
for title, draw, tri, name in (("ret_curves", charts.retention_curves, frames.members, "retention_curves"),
                               ("ret_ltv", charts.ltv_curves, frames.revenue, "ltv_curves")):
    widgets.chart_with_csv(t(title), draw(tri, picked, grain=grain, lang=lang), tri.filter(pl.col("label").is_in(picked)),
                           f"{name}_{stem}")
st.caption(t("ret_curves_note"))

# ---- lifecycle ---------------------------------------------------------------------------------------------
lifecycle_section(load, contacts, rng=rng, grain=grain, lang=lang)

# ---- the members behind a cell (a click on the heatmap picks it; the pickers below follow the click) ------
st.subheader(t("ret_members"))
st.caption(t("ret_members_click"))
cell_key, period_key = f"ret_cell_{cohort}_{grain}_{lang}", f"ret_period_{cohort}_{grain}"
cell = view.clicked_cell(clicked)
apply_click(cell, stem, "_ret_clicked", {} if cell is None else {
    cell_key: charts.cohort_label(cell.cohort, grain, lang, cell.channel or None), period_key: cell.period},
    drawn=cell is not None and view.cell_in(cell, frames.counts))
cells = view.cell_options(frames.counts, cohort=cohort, grain=grain, lang=lang)
c_pick, c_period, _ = st.columns([2, 1, 1])
label = c_pick.selectbox(t("ret_members_cohort"), frames.labels, key=cell_key)
period = c_period.selectbox(t("ret_members_period", unit=charts.words(lang)["period"][grain]),
                            view.periods_of(cells, label), key=period_key)
chosen = view.picked_cell(cells, label, period)
who = view.members_listing(load, contacts, "cohort_members", view.cell_params(chosen, cohort=cohort, grain=grain,
                                                                     mode=frames.drill_mode, rng=rng))
st.caption(t("ret_members_count", cohort=literal(label), period=period, n=fmt.number(who.height, lang)))
member_list(who, view.MEMBERS, key="ret_members", file_stem=f"cohort_{cohort}_{chosen.cohort}_p{period}_{frames.drill_mode}",
            what=f"retention cohort {label} period {period}")
scope_filter.share_link()
