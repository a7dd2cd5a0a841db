"""裂变 Referrals: K-factor per month and per generation, the leaderboard (with exclusion toggles),
referred vs organic members, and the largest referral trees."""

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import referrals as charts
from siyu.engine.lookups import member_ids
from siyu.ui import cache, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.tables import table

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_referrals")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
end = {"end": rng.end.isoformat()}
stem = f"{rng.start}_{rng.end}"
forest = cache.load_metric(settings, state, "referrals", scope=scope, view="trees")
if forest.filter(pl.col("tree_size") > 1).is_empty():
    empty_notice(scope, "ref_none", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "referrals", view="trees").filter(pl.col("tree_size") > 1).is_empty())
    scope_filter.share_link()  # the view (filters included) is still worth sharing
    st.stop()

# ---- K-factor ----------------------------------------------------------------------------------------------
k_month = cache.load_metric(settings, state, "k_factor", scope=scope, by="month", **end).filter(
    pl.col("period") >= rng.start.replace(day=1))
widgets.chart_with_csv(t("ref_k_month"), charts.k_by_month(k_month, lang=lang), k_month, f"k_month_{stem}")
st.caption(t("ref_k_month_note"))
k_gen = cache.load_metric(settings, state, "k_factor", scope=scope, by="generation", **end)
widgets.chart_with_csv(t("ref_k_generation"), charts.k_by_generation(k_gen, lang=lang), k_gen, f"k_generation_{rng.end}")
st.caption(t("ref_k_generation_note"))
table(k_gen, {"generation": ("col_generation", "int"), "members": ("col_members", "int"), "buyers": ("col_buyers", "int"),
              "buyer_rate": ("col_buyer_rate", "pct"), "k_factor": ("col_k", "float")}, key="k_gen_table",
      blanks={"k_factor": t("ref_k_roots")})  # generation 0 has no previous generation to divide by

# ---- leaderboard -------------------------------------------------------------------------------------------
st.subheader(t("ref_leaderboard"))
c_del, c_coupon = st.columns(2)
no_deleted = c_del.toggle(t("ref_exclude_deleted"), key="ref_excl_deleted")
no_coupon = c_coupon.toggle(t("ref_exclude_coupon"), key="ref_excl_coupon")
board = cache.load_metric(settings, state, "referral_leaderboard", scope=scope, top="50",
                          exclude_deleted=str(no_deleted).lower(), exclude_coupon_only=str(no_coupon).lower())
names = cache.load_contacts(settings, state, member_ids(board), scope=scope)
board_view = board.with_columns(pl.col("member_id").cast(pl.String)).join(
    names.select("member_id", "display_name", "phone"), on="member_id", how="left")
table(board_view, {"rank": ("col_rank", "int"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
                   "referees": ("col_referees", "int"), "referee_buyers": ("col_referee_buyers", "int"),
                   "referee_gmv": ("col_referee_gmv", "money"), "excluded_referees": ("col_excluded", "int"),
                   "descendants": ("col_descendants", "int")}, key="leaderboard", phone_columns=("phone",), height=360)
st.download_button(t("download_csv"), people_csv(board),  # ids and counts only: aggregates
                   file_name=f"siyu_leaderboard_{no_deleted}_{no_coupon}.csv", mime="text/csv", key="csv_leaderboard",
                   on_click="ignore")

# ---- referred vs organic -----------------------------------------------------------------------------------
vs = cache.load_metric(settings, state, "referred_vs_organic", scope=scope, **end)
widgets.chart_with_csv(t("ref_vs_organic"), charts.referred_vs_organic_bars(vs, lang=lang), vs, f"referred_vs_organic_{rng.end}")
st.caption(t("ref_vs_organic_note"))
vs_view = vs.with_columns(pl.col("group").replace({"referred": charts.words(lang)["referred"],
                                                   "organic": charts.words(lang)["organic"]}))
table(vs_view, {"group": ("col_group", "text"), "members": ("col_members", "int"), "buyers": ("col_buyers", "int"),
                "mature_members": ("col_mature", "int"), "conversion_90": ("col_conversion_90", "pct"),
                "repeat_rate": ("col_repeat_rate", "pct"), "retention_90": ("col_retention_90", "pct"),
                "ltv_90": ("col_ltv_90", "money2")}, key="vs_table")

# ---- the largest trees -------------------------------------------------------------------------------------
st.subheader(t("ref_trees"))
largest = forest.sort(["tree_size", "tree_depth", "root"], descending=[True, True, False]).head(10)
roots = cache.load_contacts(settings, state, member_ids(largest, "root"), scope=scope)
root_names = dict(zip(roots["member_id"].to_list(), roots["display_name"].to_list(), strict=True))
options = largest["root"].to_list()
sizes = {r["root"]: r for r in largest.to_dicts()}
root = st.selectbox(t("ref_tree_pick"), options, key="ref_tree", format_func=lambda r: t(
    "ref_tree_label", name=root_names.get(str(r)) or r, size=fmt.number(sizes[r]["tree_size"], lang),
    depth=sizes[r]["tree_depth"]))
nodes = cache.load_metric(settings, state, "referrals", scope=scope, view="members", root=str(root))  # one tree
node_names = cache.load_contacts(settings, state, member_ids(nodes), scope=scope)
widgets.chart_with_csv(t("ref_tree_chart", name=root_names.get(str(root)) or root), charts.referral_tree(
    nodes, dict(zip(node_names["member_id"].to_list(), node_names["display_name"].to_list(), strict=True)), lang=lang),
    charts.tree_layout(nodes), f"referral_tree_{root}")
scope_filter.share_link()
