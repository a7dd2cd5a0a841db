"""总览 Overview: headline KPIs of the chosen range against the previous period, and three charts."""

import streamlit as st

from siyu import format as fmt
from siyu.charts import overview as charts
from siyu.ui import cache, filters, scope_filter, widgets
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.kpi_drill import kpi_drill
from siyu.ui.page_start import page_start
from siyu.ui.report import report_button

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_overview")

rng, grain = filters.date_range_filter(first, last, show_compare=True)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
prev = filters.comparison(rng)  # 上一周期 or 去年同期, the user's choice
now_kpis = cache.load_metric(settings, state, "kpis", scope=scope, **filters.range_params(rng))
before = None  # a previous period wholly before the data has nothing to compare with
if prev.end >= first:
    before = cache.load_metric(settings, state, "kpis", scope=scope, **filters.range_params(prev)).row(0, named=True)
caption = "range_caption_year" if filters.current().compare == "year" else "range_caption"
st.caption(t(caption, span=fmt.date_span(rng.start, rng.end, lang), prev=fmt.date_span(prev.start, prev.end, lang)))
now = now_kpis.row(0, named=True)
widgets.kpi_cards(widgets.OVERVIEW_CARDS, now, before)
widgets.valid_vs_vanity_caption(now)
kpi_drill(settings, state, scope, rng, now)
if now["orders"] == 0:
    empty_notice(scope, "no_orders_in_range", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "kpis", **filters.range_params(rng)).row(0, named=True)["orders"] == 0)

trend = cache.load_metric(settings, state, "kpi_trend", scope=scope, **filters.range_params(rng), grain=grain)
stem = f"{rng.start}_{rng.end}_{grain}"
widgets.chart_with_csv(t("chart_gmv_buyers"), charts.gmv_buyers(trend, grain=grain, lang=lang),
                       trend.select("period", "gmv", "buyers", "orders", "arpu"), f"gmv_buyers_{stem}")
widgets.chart_with_csv(t("chart_members_deleted"), charts.members_vs_deleted(trend, grain=grain, lang=lang),
                       trend.select("period", "new_members", "friends_added", "friends_deleted"), f"members_deleted_{stem}")
widgets.chart_with_csv(t("chart_valid_vanity"), charts.valid_vs_vanity(now_kpis, lang=lang),
                       charts.valid_vs_vanity_frame(now_kpis, lang=lang), f"valid_vanity_{rng.end}")
report_button(settings, state, rng, grain, scope, filters.current().compare)
scope_filter.share_link()
