"""标签与分群 Tags & segments: every WeCom tag group as a breakdown (members, buyers, GMV, repeat, friend retention
per tag), and the saved segments: save the filters in force (+ an RFM segment) under a name that every page
can take as its population, use or delete one, export one as a WeCom list (siyu/ui/segment_panel.py)."""

import streamlit as st

from siyu.charts import staff as charts
from siyu.ui import cache, filters, page_text, scope_filter, segment_panel, widgets  # noqa: F401 - words
from siyu.ui.auth import require_role
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import staff as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("tag_page")
rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params = filters.range_params(rng)
stem = f"{rng.start}_{rng.end}"

st.subheader(t("tag_breakdown"))
tags = cache.load_metric(settings, state, "tags", scope=scope, **params)
if tags.is_empty():
    st.info(t("tag_none"))
else:
    groups = view.tag_groups(tags)
    group = st.selectbox(t("tag_group_pick"), groups, key="tag_group", format_func=lambda g: g or t("tag_ungrouped"))
    rows = view.one_group(tags, group)
    table(rows, view.TAG_COLUMNS, key=f"tags_table_{group}")
    st.caption(t("tag_note"))
    st.download_button(t("download_csv"), people_csv(tags), file_name=f"siyu_tags_{stem}.csv", mime="text/csv",
                       key="csv_tags", on_click="ignore")
    widgets.chart_with_csv(t("tag_chart"), charts.tag_shares(rows, lang=lang),
                           rows.select("tag", "members", "buyer_share", "friend_retention"), f"tags_{stem}")

st.divider()
st.header(t("sgm_title"))
st.caption(t("sgm_intro"))
segment_panel.save_form(settings, scope, state)
segment_panel.saved_list(settings, state)
scope_filter.share_link()
