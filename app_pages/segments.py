"""分群 Segments: RFM segments by either standard (the Chinese 8-way split with adjustable cut-offs, or the
classic quintile grid), their sizes and value, and a recall list per segment with predicted value. What is
drawn comes from siyu/ui/views/segments.py."""

from functools import partial

import streamlit as st

from siyu import format as fmt
from siyu.charts import segments as charts
from siyu.metrics.page_frames import PREDICT_AUTO_BUYERS
from siyu.ui import cache, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.click_state import apply_click
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.model_notes import blanks, explain_near_zero, load_status, show_status
from siyu.ui.page_filters import url_choice
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views import segments as view
from siyu.ui.views.clicks import clicked_category

require_role("operator")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_segments")

standard = url_choice(t("seg_standard"), "standard", view.STANDARDS,
                      {k: t(f"seg_standard_{k}") for k in view.STANDARDS}, default="cn")
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
cuts: dict[str, str] = {}
if standard == "cn":
    with st.expander(t("seg_cuts")):
        cuts = view.cut_params({name: col.number_input(t(f"seg_{name}"), min_value=0.0, value=None, step=step,
                                                       key=f"seg_{name}")
                                for col, (name, step) in zip(st.columns(3), view.CUT_INPUTS, strict=True)})
load = partial(cache.load_metric, settings, state, scope=scope)
frames = view.segment_frames(load, standard=standard, cuts=cuts, lang=lang)
if frames is None:
    empty_notice(scope, "seg_none", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "rfm_segments", **cuts).is_empty())
    st.stop()
if frames.cuts_used:
    st.caption(t("seg_cuts_used", **frames.cuts_used))

clicked = widgets.chart_with_csv(t("seg_sizes"), charts.segment_bars(frames.summary, lang=lang), frames.summary,
                                 f"segments_{frames.stem}", selectable=True)
table(frames.summary_view, view.SUMMARY, key="segments_table", widths=view.SUMMARY_WIDTHS)

st.subheader(t("seg_members"))
st.caption(t("seg_click"))
picked = clicked_category(clicked, frames.present)
apply_click(picked, frames.stem, "_seg_clicked", {f"seg_pick_{standard}": picked})
segment = st.selectbox(t("seg_pick"), frames.present, key=f"seg_pick_{standard}",
                       format_func=lambda s: charts.segment_name(s, lang))
# Predictions (BG/NBD) take seconds to fit on hundreds of thousands of buyers: there they wait for the toggle
# (as on the Members page), and are cached per data and scope once computed.
predict = st.toggle(t("seg_predict"), value=frames.rfm.height <= PREDICT_AUTO_BUYERS, key="seg_predict",
                    help=t("mem_predict_help", n=fmt.number(PREDICT_AUTO_BUYERS, lang)))
listing = view.segment_listing(load, standard=standard, segment=segment, cuts=cuts, predict=predict)
status, used_fit = load_status(settings, state, scope) if predict else (None, {})
if status is not None:
    show_status(status, used_fit)
st.caption(t("seg_count", segment=charts.segment_name(segment, lang), n=fmt.number(listing.height, lang))
           + ("" if predict else " " + t("seg_predict_off")))
table(listing, view.MEMBERS, key="segment_members_table", phone_columns=("phone",), height=400,
      blanks=blanks(status) if status else None)
if status is not None and status.fitted:
    explain_near_zero(listing)
member_download(view.download_frame(listing, status), file_stem=f"segment_{standard}_{segment}",
                what=f"segment {segment}", key="segment_members")
scope_filter.share_link()
