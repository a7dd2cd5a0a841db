"""会员权益 Membership economics: points (flow, liability, breakage, redeemers vs matched non-redeemers), tier
economics (cohorts by first tier, time to upgrade, spend around upgrades, downgrades, close to the next tier) and
paid membership, each with the members behind it. Glue only: siyu/ui/views/points.py, siyu/charts/membership.py."""

from functools import partial

import streamlit as st

from siyu import format as fmt
from siyu.charts import membership as charts
from siyu.ui import cache, scope_filter, widgets
from siyu.ui import membership_parts as parts
from siyu.ui.auth import require_role
from siyu.ui.i18n import t
from siyu.ui.page_start import page_start
from siyu.ui.views import points as view

require_role("viewer")
settings, state, first, last, lang = page_start("page_membership")
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
load = partial(cache.load_metric, settings, state, scope=scope)
contacts = partial(cache.load_contacts, settings, state, scope=scope)
st.caption(t("pts_intro"))

st.header(t("pts_header"))
pts = view.points(load, contacts)
if pts is None:
    st.info(t("pts_no_ledger"))
else:
    parts.points_cards(pts, lang)
    parts.point_value_editor(settings, pts.value)
    widgets.chart_with_csv(t("pts_flow"), charts.points_flow(pts.flow, lang), pts.flow, "points_flow")
    parts.member_table(t("pts_balances"), pts.balances, parts.BALANCE_COLUMNS, "points_balances")
    parts.comparison(t("pts_uplift"), pts.uplift, "redeemer", ("pts_group_treated", "pts_group_control"),
                     "pts_uplift_method", lang)
    parts.member_table(t("pts_redeemers_list"), pts.redeemers, parts.UPLIFT_COLUMNS, "redeemers")

st.header(t("tec_header"))
within = widgets.share_slider(t("tec_near_within"), 5, 50, 20, 5, key="tec_within")
tiers = view.tiers(load, contacts, within=within)
if tiers is None:
    st.info(t("tec_no_snapshots"))
else:
    widgets.chart_with_csv(t("tec_cohort_retention"), charts.cohort_lines(tiers.cohorts, "retention", lang),
                           tiers.cohorts, "tier_cohorts")
    widgets.chart_with_csv(t("tec_cohort_ltv"), charts.cohort_lines(tiers.cohorts, "cum_ltv", lang),
                           tiers.cohorts, "tier_cohorts_ltv")
    widgets.chart_with_csv(t("tec_km"), charts.upgrade_curves(tiers.survival, lang), tiers.survival, "tier_upgrades")
    st.caption(t("tec_km_note"))
    parts.plain_table(t("tec_upgrade_spend"), tiers.upgrade_spend, parts.SPEND_COLUMNS, "upgrade_spend",
                      "tec_none_upgrades")
    st.caption(t("tec_upgrade_note"))
    parts.member_table(t("tec_upgrade_members"), tiers.upgraded, parts.UPGRADE_COLUMNS, "upgraded")
    parts.plain_table(t("tec_downgrades"), tiers.downgrades, parts.PATH_COLUMNS, "downgrades", "tec_none_downgrades")
    parts.member_table(t("tec_downgrade_members"), tiers.downgraded, parts.DOWNGRADE_COLUMNS, "downgraded")
    parts.member_table(t("tec_near", pct=fmt.percent(within, lang, digits=0)), tiers.near, parts.NEAR_COLUMNS,
                       "near_next_tier")
    if tiers.inferred:
        st.caption(t("tec_inferred"))

st.header(t("tec_paid"))
paid = view.paid(load, contacts)
if paid is None:
    st.info(t("tec_no_paid"))
else:
    parts.plain_table(t("tec_paid"), paid.plans, parts.PLAN_COLUMNS, "paid_plans")
    parts.plain_table(t("tec_expiries"), paid.expiries, parts.EXPIRY_COLUMNS, "paid_expiries")
    parts.comparison(t("tec_paid_compare"), paid.comparison, "paid_member", ("tec_group_paid", "tec_group_control"),
                     "tec_paid_method", lang)
    parts.member_table(t("tec_paid_members"), paid.members, parts.UPLIFT_COLUMNS, "paid_members")
scope_filter.share_link()
