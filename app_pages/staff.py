"""导购 Staff: the scorecard per staff member (adds, deletions within 1/7/30 days split by who deleted, still
friends, conversion of their friends, GMV and repeat rate), the leaderboard that does not credit friends who
deleted within 7 days, and the two charts (siyu/ui/views/staff.py shapes the frames)."""

import streamlit as st

from siyu.charts import staff as charts
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - the words
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.tables import shaded_table, table
from siyu.ui.views import staff as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("stf_page")
rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params = filters.range_params(rng)
stem = f"{rng.start}_{rng.end}"
st.caption(t("stf_range_note"))

card = cache.load_metric(settings, state, "staff", scope=scope, **params)
if card.is_empty():
    empty_notice(scope, "stf_none", unfiltered_empty=lambda: cache.load_metric(settings, state, "staff", **params).is_empty())
    scope_filter.share_link()  # the view, filters included, can still be shared
    st.stop()
shown = view.staff_view(card)

st.subheader(t("stf_scorecard"))
main, detail = view.scorecard_columns(shown.scorecard)
shaded_table(shown.scorecard, main, view.SHADING, key=f"staff_scorecard_{stem}")
with st.expander(t("stf_more_columns")):
    shaded_table(shown.scorecard, detail, view.SHADING, key=f"staff_scorecard_detail_{stem}")
st.caption(t("stf_scorecard_note"))
st.download_button(t("download_csv"), people_csv(shown.scorecard), file_name=f"siyu_staff_{stem}.csv", mime="text/csv",
                   key="csv_staff", on_click="ignore")

st.subheader(t("stf_leaderboard"))
table(shown.leaderboard, view.LEADERBOARD_COLUMNS, key="staff_leaderboard")
st.caption(t("stf_leaderboard_note"))

widgets.chart_with_csv(t("stf_deletions"), charts.deletion_split(shown.deletions, lang=lang), shown.deletions,
                       f"staff_deletions_{stem}")
widgets.chart_with_csv(t("stf_conversion"), charts.conversion(shown.scorecard, lang=lang),
                       shown.scorecard.select("staff_name", "friends", "buyer_30d", "buyer_90d"), f"staff_conversion_{stem}")
if not card["groups_owned"].sum():  # no group data yet: say where the column comes from
    st.caption(t("stf_groups_note"))
scope_filter.share_link()
