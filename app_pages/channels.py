"""渠道 Channels: the scorecard with conditional colouring, friend survival per channel, and the invalid
private domain per channel, and ranked by the cost of a valid member when channel costs are imported
(siyu/ui/cost_view.py). What is drawn comes from siyu/ui/views/channels.py."""

from functools import partial

import streamlit as st

from siyu import format as fmt
from siyu.charts import channels as charts
from siyu.ui import cache, cost_view, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text: words
from siyu.ui.auth import require_role
from siyu.ui.empty_state import empty_notice, literal
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.member_list import member_list
from siyu.ui.page_filters import url_choice
from siyu.ui.page_start import page_start
from siyu.ui.tables import shaded_table, table
from siyu.ui.views import channels as view

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_channels")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params, stem = filters.range_params(rng), f"{rng.start}_{rng.end}"
load = partial(cache.load_metric, settings, state, scope=scope)
contacts = partial(cache.load_contacts, settings, state, scope=scope)

by = url_choice(t("ch_by"), "by", ("member", "friend_channel", "add_way"),
                {k: t(f"ch_by_{k}") for k in ("member", "friend_channel", "add_way")}, default="member")
st.caption(t("ch_range_note"))

frames = view.channel_frames(load, by=by, params=params)
if frames is None:
    empty_notice(scope, "ch_none", unfiltered_empty=lambda: not cache.load_metric(
        settings, state, "channels", **params, by=by)["added"].sum())
    st.stop()
card = frames.card

st.subheader(t("ch_scorecard"))
rows = shaded_table(card, view.SCORECARD, view.SHADING, key=f"scorecard_{by}_{stem}", selectable=True,
                    unshaded=frames.unshaded)
st.caption(t("ch_scorecard_note"))
if frames.unshaded:
    st.caption(t("ch_unknown_unshaded"))
if rows:
    channel = card.row(rows[0], named=True)["channel"]
    who = view.channel_members(load, contacts, by=by, params=params, channel=channel, yes=t("yes"), no=t("no"))
    st.caption(t("ch_row_members", channel=literal(channel), n=fmt.number(who.height, lang)))
    member_list(who, view.MEMBERS, key="channel_members", file_stem=f"channel_{by}_{channel}_{stem}",
                what=f"channel {channel}", draw_empty=True)
else:
    st.caption(t("ch_row_click"))
st.download_button(t("download_csv"), people_csv(card), file_name=f"siyu_channels_{by}_{stem}.csv",
                   mime="text/csv", key="csv_scorecard", on_click="ignore")

if not frames.survival.is_empty():
    widgets.chart_with_csv(t("ch_survival"), charts.survival_curves(frames.survival, lang=lang), frames.survival,
                           f"friend_survival_{stem}")
    st.caption(t("ch_survival_note"))

widgets.chart_with_csv(t("ch_invalid"), charts.valid_vs_invalid(card, lang=lang),
                       frames.ranked.select("channel", "vanity_headcount", "valid_members", "valid_share"),
                       f"invalid_{by}_{stem}")
st.caption(t("ch_invalid_note"))
table(frames.ranked, view.INVALID, key="invalid_table")
cost_view.render(settings, state, scope, params, by=by, card=card, start=rng.start, end=rng.end, stem=stem)
scope_filter.share_link()
