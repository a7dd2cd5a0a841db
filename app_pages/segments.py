"""分群 Segments: RFM segments by either standard (the Chinese 8-way split with adjustable cut-offs, or the
classic quintile grid), their sizes and value, and a recall list per segment with predicted value."""

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import segments as charts
from siyu.metrics.page_frames import PREDICT_AUTO_BUYERS, segment_summary, with_predictions
from siyu.ui import cache, page_text, scope_filter, widgets  # noqa: F401 - page_text registers the words
from siyu.ui.auth import require_role
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice
from siyu.ui.i18n import t
from siyu.ui.model_notes import blanks, explain_near_zero, load_status, show_status
from siyu.ui.page_filters import url_choice
from siyu.ui.page_start import page_start
from siyu.ui.tables import table
from siyu.ui.views.clicks import clicked_category
from siyu.ui.views.model import without_unknown_predictions

require_role("operator")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_segments")

standard = url_choice(t("seg_standard"), "standard", ("cn", "classic"),
                      {k: t(f"seg_standard_{k}") for k in ("cn", "classic")}, default="cn")
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
cuts: dict[str, str] = {}
if standard == "cn":
    with st.expander(t("seg_cuts")):
        c_r, c_f, c_m = st.columns(3)
        for col, name, step in ((c_r, "r_cut", 1.0), (c_f, "f_cut", 1.0), (c_m, "m_cut", 100.0)):
            value = col.number_input(t(f"seg_{name}"), min_value=0.0, value=None, step=step, key=f"seg_{name}")
            if value is not None:
                cuts[name] = repr(float(value))
rfm = cache.load_metric(settings, state, "rfm_segments", scope=scope, **cuts)
if rfm.is_empty():
    empty_notice(scope, "seg_none", unfiltered_empty=lambda: cache.load_metric(
        settings, state, "rfm_segments", **cuts).is_empty())
    st.stop()
column = "cn_segment" if standard == "cn" else "segment"
if standard == "cn":
    cut = rfm.row(0, named=True)
    st.caption(t("seg_cuts_used", r=f"{cut['r_cut']:.0f}", f=f"{cut['f_cut']:.1f}", m=fmt.money(cut["m_cut"], lang)))

summary = segment_summary(rfm, column)
stem = f"{standard}_{'_'.join(f'{k}{v}' for k, v in sorted(cuts.items()))}"
clicked = widgets.chart_with_csv(t("seg_sizes"), charts.segment_bars(summary, lang=lang), summary, f"segments_{stem}",
                                 selectable=True)
table(summary.with_columns(summary["segment"].map_elements(lambda s: charts.segment_name(s, lang), return_dtype=str)),
      {"segment": ("col_segment", "text"), "members": ("col_members", "int"), "share": ("col_share", "pct"),
       "monetary": ("col_monetary", "money"), "monetary_share": ("col_monetary_share", "pct"),
       "avg_monetary": ("col_avg_monetary", "money2"), "avg_frequency": ("col_avg_frequency", "float"),
       "avg_recency_days": ("col_avg_recency", "float")}, key="segments_table")

st.subheader(t("seg_members"))
present = summary.filter(summary["members"] > 0)["segment"].to_list()
st.caption(t("seg_click"))
picked = clicked_category(clicked, present)
if picked is None:
    st.session_state.pop("_seg_clicked", None)
elif st.session_state.get("_seg_clicked") != (stem, picked):  # apply a click once; the picker stays free
    st.session_state["_seg_clicked"] = (stem, picked)
    st.session_state[f"seg_pick_{standard}"] = picked
segment = st.selectbox(t("seg_pick"), present, key=f"seg_pick_{standard}", format_func=lambda s: charts.segment_name(s, lang))
listing = cache.load_metric(settings, state, "segment_members", scope=scope, standard=standard, segment=segment, **cuts)
# Predictions (BG/NBD) take seconds to fit on hundreds of thousands of buyers: there they wait for the toggle
# (as on the Members page), and are cached per data and scope once computed.
predict = st.toggle(t("seg_predict"), value=rfm.height <= PREDICT_AUTO_BUYERS, key="seg_predict",
                    help=t("mem_predict_help", n=fmt.number(PREDICT_AUTO_BUYERS, lang)))
predictions = (cache.load_metric(settings, state, "clv_members", scope=scope) if predict
               else pl.DataFrame(schema={"member_id": pl.String}))
listing = with_predictions(listing, predictions)
status, used_fit = load_status(settings, state, scope) if predict else (None, {})
if status is not None:
    show_status(status, used_fit)
st.caption(t("seg_count", segment=charts.segment_name(segment, lang), n=fmt.number(listing.height, lang))
           + ("" if predict else " " + t("seg_predict_off")))
table(listing, {"display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
                "last_order": ("col_last_order", "date"), "recency_days": ("col_recency_days", "int"),
                "frequency": ("col_frequency", "int"), "monetary": ("col_monetary", "money2"),
                "p_alive": ("col_p_alive", "pct"), "clv": ("col_clv", "money")},
      key="segment_members_table", phone_columns=("phone",), height=400, blanks=blanks(status) if status else None)
if status is not None and status.fitted:
    explain_near_zero(listing)
download = without_unknown_predictions(listing, status) if status else listing
member_download(download.select(c for c in ("member_id", "display_name", "phone", "last_order", "recency_days",
                                            "frequency", "monetary", "p_alive", "expected_purchases_90d", "clv",
                                            "segment") if c in download.columns),
                file_stem=f"segment_{standard}_{segment}", what=f"segment {segment}", key="segment_members")
scope_filter.share_link()
