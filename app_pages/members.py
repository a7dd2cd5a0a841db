"""会员与等级 Members & tiers: tiers and ARPU, tier migration, GMV concentration, the three-layer community,
super users with predictions, the at-risk recall list, and the BG/NBD model check. What is drawn comes from
siyu/ui/views/members.py; its sections are drawn by siyu/ui/members_sections.py."""

from functools import partial

import streamlit as st

from siyu import format as fmt
from siyu.charts import members as charts
from siyu.metrics.page_frames import PREDICT_AUTO_BUYERS
from siyu.ui import cache, filters, members_sections, page_text, scope_filter, widgets  # noqa: F401 - page_text: words
from siyu.ui.auth import require_role
from siyu.ui.downloads import member_download
from siyu.ui.i18n import t
from siyu.ui.model_notes import blanks, explain_near_zero, load_status, show_status
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import members as view
from siyu.ui.views.model import without_unknown_predictions

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_members")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params, stem = filters.range_params(rng), f"{rng.start}_{rng.end}"
load, unfiltered = partial(cache.load_metric, settings, state, scope=scope), partial(cache.load_metric, settings, state)
contacts = partial(cache.load_contacts, settings, state, scope=scope)
st.caption(t("mem_range_note"))

tiers = members_sections.tier_section(load, contacts, scope, unfiltered, params=params, stem=stem, lang=lang)
members_sections.migration_section(load, scope, unfiltered, lang=lang)
if not members_sections.concentration_section(load, scope, unfiltered, params=params, stem=stem, lang=lang):
    st.stop()

# ---- three layers and super users --------------------------------------------------------------------------
# The layers (3 rows) and the super layer's rows, not every buyer's row: both come from one computation.
layers = load("super_users", **params, view="layers")
widgets.chart_with_csv(t("mem_pyramid"), charts.pyramid(layers, lang=lang), layers, f"layers_{stem}")
st.caption(t("mem_pyramid_note"))

# The BG/NBD fits (predictions, the recall list, the model check) take seconds per fit on a brand with
# hundreds of thousands of buyers; there they run when asked for, and once per data and scope (cached).
buyers = int(tiers.tiers["buyers"].sum() or 0)
st.divider()
predict = st.toggle(t("mem_predict"), value=buyers <= PREDICT_AUTO_BUYERS, key="mem_predict",
                    help=t("mem_predict_help", n=fmt.number(PREDICT_AUTO_BUYERS, lang)))
predictions = load("clv_members") if predict else members_sections.no_predictions()
st.subheader(t("mem_super_list"))
status, used_fit = load_status(settings, state, scope) if predict else (None, {})
if status is not None:
    show_status(status, used_fit)
super_list = view.super_list(load, contacts, params=params, layers=layers, predictions=predictions)
table(super_list, view.SUPER, key="super_table", phone_columns=("phone",), height=360,
      blanks=blanks(status) if status else None)
if status is not None and status.fitted:
    explain_near_zero(super_list)
if status is not None:
    super_list = without_unknown_predictions(super_list, status)
member_download(super_list.drop("phone"), file_stem=f"super_users_{stem}", what="super users", phone_columns=(),
                key="super_users")

if not predict:
    st.info(t("mem_predict_off"))
else:
    members_sections.at_risk_section(load, contacts, status, last=last, lang=lang)
    members_sections.model_check_section(load, used_fit, first=first, last=last, lang=lang)
scope_filter.share_link()
