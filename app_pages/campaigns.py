"""召回 Recall: each campaign's sent group against its holdout (lift with a 95% interval, in words when it includes
zero, and who deleted the brand), planning a new campaign with its send lists, and the alerts."""

import streamlit as st

from siyu.charts import campaigns as charts
from siyu.engine.catalog import CATALOG
from siyu.ui import cache, campaign_sections, scope_filter, widgets
from siyu.ui.auth import require_role
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import campaigns as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_campaigns")
st.caption(t("cmp_intro"))
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
campaigns = cache.load_metric(settings, state, "campaigns")
lift = cache.load_metric(settings, state, "campaign_lift", scope=scope)
shown, waiting = view.with_results(campaigns, lift)

st.subheader(t("cmp_results"))
if not shown:
    st.info(t("cmp_filtered" if scope.key() and campaigns["sent"].sum() else "cmp_none"))
else:
    c_pick, c_window = st.columns([3, 2])
    name = c_pick.selectbox(t("cmp_pick"), shown, key="cmp_pick")
    days = {n: t("cmp_window_n", n=n) for n in view.WINDOWS}  # words fixed in this run's language
    window = c_window.radio(t("cmp_window"), view.WINDOWS, index=1, horizontal=True, key="cmp_window",
                            format_func=days.__getitem__)
    result = view.campaign_view(lift, name, window, lang)
    for verdict in result.verdicts:
        say = {"cmp_verdict_worked": st.success, "cmp_verdict_none": st.info}.get(verdict.key, st.warning)
        say(t(verdict.key, **{k: literal(v) for k, v in verdict.values.items()}))
    if result.matched:
        st.caption(t("cmp_matched_note"))
    if not result.complete:
        st.caption(t("cmp_incomplete", n=window))
    if result.deleted is not None:
        note = t("cmp_deleted", **{k: literal(v) for k, v in result.deleted.values.items()})
        (st.error if result.deleted_clearly_more else st.caption)(
            note + (" " + t("cmp_deleted_warn") if result.deleted_clearly_more else ""))
    widgets.chart_with_csv(t("cmp_chart"), charts.lift_intervals(result.rows, lang), result.rows,
                           f"campaign_lift_{shown.index(name)}_{window}d")
    st.markdown(f"**{t('cmp_table')}**")
    table(view.named_variants(result.rows, t("cmp_single_copy")), view.TABLE_COLUMNS, key="cmp_table")
    st.caption(t("cmp_method"))
if waiting:
    st.caption(t("cmp_no_sends", names=literal("、".join(waiting))))

rfm = cache.load_metric(settings, state, "rfm_segments")
campaign_sections.plan_section(settings, view.source_options(rfm))
planned = campaigns.filter(campaigns["origin"] == "plan")["campaign"].to_list()
campaign_sections.send_list_section(settings, planned)
campaign_sections.alerts_section(settings, scope, sorted(CATALOG), lift)
scope_filter.share_link()
