"""社群 Groups: the group scorecard, the three-layer pyramid from real groups and the moves between layers, the
daily activity trend, the members behind any number, and the operator's name → layer rules."""

from functools import partial

import streamlit as st

from siyu.charts import groups as charts
from siyu.ingest.group_layers import LAYERS
from siyu.ui import cache, group_panels, scope_filter, widgets
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.tables import shaded_table
from siyu.ui.views import groups as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_groups")
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
load = partial(cache.load_metric, settings, state, scope=scope)
contacts = partial(cache.load_contacts, settings, state, scope=scope)
names = {code: t(view.LAYER_KEYS[code]) for code in LAYERS}
rules = cache.load_metric(settings, state, "group_layer_rule_rows")

frames = view.group_frames(load, names)
if frames is None:
    empty_notice(scope, "grp_none", unfiltered_empty=lambda: view.group_frames(
        partial(cache.load_metric, settings, state), names) is None)
    group_panels.rules_editor(settings, rules)
    st.stop()
st.caption(t("grp_as_of"))

# ---- the pyramid and its layers ------------------------------------------------------------------------------
widgets.chart_with_csv(t("grp_pyramid"), charts.layer_pyramid(frames.layers, lang=lang),
                       frames.layers.drop("layer_name"), "group_layers")
st.caption(t("grp_pyramid_note"))
st.caption(t("grp_layer_table"))
picked = shaded_table(frames.layers, view.LAYER_COLUMNS, {"buyer_share": True, "arpu": True, "retained_share": True},
                      key="grp_layers", selectable=True)
if picked:
    row = frames.layers.row(picked[0], named=True)
    group_panels.members_behind(load, contacts, what=row["layer_name"], measures=view.LAYER_MEASURES, key="grp_layer_members",
                                file_stem=f"group_layer_{row['layer']}", layer=row["layer"])

# ---- the scorecard -------------------------------------------------------------------------------------------
st.subheader(t("grp_scorecard"))
picked = shaded_table(frames.scorecard, view.SCORECARD_COLUMNS, view.SCORECARD_SHADING, key="grp_scorecard",
                      selectable=True)
st.caption(t("grp_scorecard_note"))
if picked:
    row = frames.scorecard.row(picked[0], named=True)
    group_panels.members_behind(load, contacts, what=row["group_name"], measures=view.GROUP_MEASURES, key="grp_group_members",
                                file_stem=view.file_stem("group", row["group_id"]), group_id=row["group_id"])
else:
    st.caption(t("grp_click_row"))
widgets.chart_with_csv(t("grp_moves"), charts.layer_moves(frames.moves, lang=lang), frames.moves, "group_layer_moves")
st.caption(t("grp_moves_note"))

# ---- the daily statistic and the rules -----------------------------------------------------------------------
if frames.daily.is_empty():
    st.subheader(t("grp_daily"))
    st.info(t("grp_daily_none"))
else:
    widgets.chart_with_csv(t("grp_daily"), charts.daily_trend(frames.daily, lang=lang), frames.daily, "group_daily")
    st.caption(t("grp_daily_note"))
group_panels.rules_editor(settings, rules)
scope_filter.share_link()
