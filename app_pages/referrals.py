"""裂变 Referrals: K-factor per month and per generation, the leaderboard (with exclusion toggles),
referred vs organic members, and the largest referral trees. What is drawn comes from
siyu/ui/views/referrals.py."""

from functools import partial

import streamlit as st

from siyu import format as fmt
from siyu.charts import referrals as charts
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import referrals as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_referrals")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
stem = f"{rng.start}_{rng.end}"
load = partial(cache.load_metric, settings, state, scope=scope)
contacts = partial(cache.load_contacts, settings, state, scope=scope)
frames = view.referral_frames(load, contacts, rng=rng, lang=lang)
if frames is None:
    empty_notice(scope, "ref_none", unfiltered_empty=lambda: not view.has_trees(cache.load_metric(
        settings, state, "referrals", view="trees")))
    scope_filter.share_link()  # the view (filters included) is still worth sharing
    st.stop()

# ---- K-factor ----------------------------------------------------------------------------------------------
widgets.chart_with_csv(t("ref_k_month"), charts.k_by_month(frames.k_month, lang=lang), frames.k_month, f"k_month_{stem}")
st.caption(t("ref_k_month_note"))
k_gen = frames.k_generation
widgets.chart_with_csv(t("ref_k_generation"), charts.k_by_generation(k_gen, lang=lang), k_gen, f"k_generation_{rng.end}")
st.caption(t("ref_k_generation_note"))
table(k_gen, view.K_GENERATION, key="k_gen_table",
      blanks={"k_factor": t("ref_k_roots")})  # generation 0 has no previous generation to divide by

# ---- leaderboard -------------------------------------------------------------------------------------------
st.subheader(t("ref_leaderboard"))
c_del, c_coupon = st.columns(2)
no_deleted = c_del.toggle(t("ref_exclude_deleted"), key="ref_excl_deleted")
no_coupon = c_coupon.toggle(t("ref_exclude_coupon"), key="ref_excl_coupon")
board, board_view = view.leaderboard(load, contacts, no_deleted=no_deleted, no_coupon=no_coupon)
table(board_view, view.LEADERBOARD, key="leaderboard", phone_columns=("phone",), height=360)
st.download_button(t("download_csv"), people_csv(board),  # ids and counts only: aggregates
                   file_name=f"siyu_leaderboard_{no_deleted}_{no_coupon}.csv", mime="text/csv", key="csv_leaderboard",
                   on_click="ignore")

# ---- referred vs organic -----------------------------------------------------------------------------------
widgets.chart_with_csv(t("ref_vs_organic"), charts.referred_vs_organic_bars(frames.vs_organic, lang=lang),
                       frames.vs_organic, f"referred_vs_organic_{rng.end}")
st.caption(t("ref_vs_organic_note"))
table(frames.vs_view, view.VS_ORGANIC, key="vs_table")

# ---- the largest trees -------------------------------------------------------------------------------------
st.subheader(t("ref_trees"))
root = st.selectbox(t("ref_tree_pick"), frames.largest["root"].to_list(), key="ref_tree", format_func=lambda r: t(
    "ref_tree_label", name=frames.root_name(r), size=fmt.number(frames.tree(r)["tree_size"], lang),
    depth=frames.tree(r)["tree_depth"]))
nodes, names = view.tree(load, contacts, root)  # one tree
widgets.chart_with_csv(t("ref_tree_chart", name=frames.root_name(root)), charts.referral_tree(nodes, names, lang=lang),
                       charts.tree_layout(nodes), f"referral_tree_{root}")
scope_filter.share_link()
