"""渠道 Channels: the scorecard with conditional colouring, friend survival per channel, and the invalid
private domain per channel, and ranked by the cost of a valid member when channel costs are imported
(siyu/ui/cost_view.py)."""

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.charts import channels as charts
from siyu.engine.lookups import member_ids
from siyu.metrics.channels import UNKNOWN
from siyu.ui import cache, cost_view, filters, page_text, scope_filter, widgets  # noqa: F401 - page_text: words
from siyu.ui.auth import require_role
from siyu.ui.downloads import member_download
from siyu.ui.empty_state import empty_notice, literal
from siyu.ui.export import people_csv
from siyu.ui.i18n import t
from siyu.ui.page_filters import url_choice
from siyu.ui.page_start import page_start
from siyu.ui.tables import shaded_table, table

require_role("viewer")  # the navigation hides the page from lower roles; this stops a typed URL

settings, state, first, last, lang = page_start("page_channels")

rng, _grain = filters.date_range_filter(first, last, show_grain=False)
scope = scope_filter.global_filters(cache.load_scope_options(settings, state))
params = filters.range_params(rng)
stem = f"{rng.start}_{rng.end}"


def channel_list(row: dict) -> None:
    """The members a scorecard row counts as added: as many as its 新增会员, with names and masked phones."""
    who = cache.load_metric(settings, state, "channel_members", scope=scope, **params, by=by, channel=row["channel"])
    st.caption(t("ch_row_members", channel=literal(row["channel"]), n=fmt.number(who.height, lang)))
    contacts = cache.load_contacts(settings, state, member_ids(who), scope=scope)
    yes, no = t("yes"), t("no")
    listing = who.with_columns(pl.col("member_id").cast(pl.String),
                               pl.when(pl.col("still_friend") == 1).then(pl.lit(yes)).otherwise(pl.lit(no))
                               .alias("still_friend")).join(
        contacts.select("member_id", "display_name", "phone", "last_order"), on="member_id", how="left").select(
        "member_id", "display_name", "phone", "joined", "friend_added", "still_friend", "last_order")
    table(listing, {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
                    "phone": ("col_phone", "text"), "joined": ("col_joined", "date"),
                    "friend_added": ("col_friend_added", "date"), "still_friend": ("col_still_friend", "text"),
                    "last_order": ("col_last_order", "date")}, key="channel_members_table", phone_columns=("phone",),
          height=320)
    member_download(listing, file_stem=f"channel_{by}_{row['channel']}_{stem}", what=f"channel {row['channel']}",
                    key="channel_members")

by = url_choice(t("ch_by"), "by", ("member", "friend_channel", "add_way"),
                {k: t(f"ch_by_{k}") for k in ("member", "friend_channel", "add_way")}, default="member")
st.caption(t("ch_range_note"))

card = cache.load_metric(settings, state, "channels", scope=scope, **params, by=by)
if card.is_empty() or not card["added"].sum():
    empty_notice(scope, "ch_none", unfiltered_empty=lambda: not cache.load_metric(
        settings, state, "channels", **params, by=by)["added"].sum())
    st.stop()

st.subheader(t("ch_scorecard"))
rows = shaded_table(card, {"channel": ("col_channel", "text"), "added": ("col_added", "int"), "friends": ("col_friends", "int"),
                    "deleted_1d": ("col_deleted_1d", "pct"), "deleted_7d": ("col_deleted_7d", "pct"),
                    "deleted_30d": ("col_deleted_30d", "pct"), "buyer_30d": ("col_buyer_30d", "pct"),
                    "buyer_90d": ("col_buyer_90d", "pct"), "revenue_90d_per_member": ("col_revenue_90d", "money2"),
                    "repeat_rate": ("col_repeat_rate", "pct"), "token_first_order_share": ("col_token_share", "pct"),
                    "valid_share": ("col_valid_share", "pct")},
             {"deleted_1d": False, "deleted_7d": False, "deleted_30d": False, "buyer_30d": True, "buyer_90d": True,
              "revenue_90d_per_member": True, "repeat_rate": True, "token_first_order_share": False,
              "valid_share": True}, key=f"scorecard_{by}_{stem}", selectable=True,
             unshaded=tuple(i for i, c in enumerate(card["channel"].to_list()) if c == UNKNOWN))
st.caption(t("ch_scorecard_note"))
if UNKNOWN in card["channel"].to_list():
    st.caption(t("ch_unknown_unshaded"))
if rows:
    channel_list(card.row(rows[0], named=True))
else:
    st.caption(t("ch_row_click"))
st.download_button(t("download_csv"), people_csv(card), file_name=f"siyu_channels_{by}_{stem}.csv",
                   mime="text/csv", key="csv_scorecard", on_click="ignore")

survival = cache.load_metric(settings, state, "channel_survival", scope=scope, **params)
if not survival.is_empty():
    widgets.chart_with_csv(t("ch_survival"), charts.survival_curves(survival, lang=lang), survival, f"friend_survival_{stem}")
    st.caption(t("ch_survival_note"))

ranked = card.sort("valid_share", nulls_last=True)
widgets.chart_with_csv(t("ch_invalid"), charts.valid_vs_invalid(card, lang=lang),
                       ranked.select("channel", "vanity_headcount", "valid_members", "valid_share"), f"invalid_{by}_{stem}")
st.caption(t("ch_invalid_note"))
table(ranked.with_columns((pl.col("vanity_headcount") - pl.col("valid_members")).alias("invalid")),
      {"channel": ("col_channel", "text"), "vanity_headcount": ("col_vanity", "int"),
       "valid_members": ("col_valid_members", "int"), "valid_share": ("col_valid_share", "pct")}, key="invalid_table")
cost_view.render(settings, state, scope, params, by=by, card=card, start=rng.start, end=rng.end, stem=stem)
scope_filter.share_link()
