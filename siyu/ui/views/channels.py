"""What the Channels page draws, without Streamlit: the scorecard, friend survival, the invalid private
domain per channel, and the members a scorecard row counts as added."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from siyu.metrics.channels import UNKNOWN
from siyu.ui.views.loader import Contacts, Loader, with_contacts

SCORECARD = {"channel": ("col_channel", "text"), "added": ("col_added", "int"), "friends": ("col_friends", "int"),
             "deleted_1d": ("col_deleted_1d", "pct"), "deleted_7d": ("col_deleted_7d", "pct"),
             "deleted_30d": ("col_deleted_30d", "pct"), "buyer_30d": ("col_buyer_30d", "pct"),
             "buyer_90d": ("col_buyer_90d", "pct"), "revenue_90d_per_member": ("col_revenue_90d", "money2"),
             "repeat_rate": ("col_repeat_rate", "pct"), "token_first_order_share": ("col_token_share", "pct"),
             "valid_share": ("col_valid_share", "pct")}
SHADING = {"deleted_1d": False, "deleted_7d": False, "deleted_30d": False, "buyer_30d": True, "buyer_90d": True,
           "revenue_90d_per_member": True, "repeat_rate": True, "token_first_order_share": False, "valid_share": True}
"""Which scorecard columns are shaded, and whether higher is better."""
INVALID = {"channel": ("col_channel", "text"), "vanity_headcount": ("col_vanity", "int"),
           "valid_members": ("col_valid_members", "int"), "valid_share": ("col_valid_share", "pct")}
MEMBERS = {"member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"),
           "phone": ("col_phone", "text"), "joined": ("col_joined", "date"),
           "friend_added": ("col_friend_added", "date"), "still_friend": ("col_still_friend", "text"),
           "last_order": ("col_last_order", "date")}


@dataclass(frozen=True)
class ChannelFrames:
    """card: the scorecard (one row per channel); unshaded: its rows kept out of the colour scale (the
    order-only 未知 channel is not comparable); survival: friend survival per channel; ranked: the scorecard
    by valid share, worst first, with `invalid` = vanity headcount - valid members."""
    card: pl.DataFrame
    unshaded: tuple[int, ...]
    survival: pl.DataFrame
    ranked: pl.DataFrame


def channel_frames(load: Loader, *, by: str, params: dict[str, str]) -> ChannelFrames | None:
    """The page's frames for the range `params` grouped `by`; None when no member was added in it."""
    card = load("channels", **params, by=by)
    if card.is_empty() or not card["added"].sum():
        return None
    ranked = card.sort("valid_share", nulls_last=True).with_columns(
        (pl.col("vanity_headcount") - pl.col("valid_members")).alias("invalid"))
    return ChannelFrames(card=card, unshaded=tuple(i for i, c in enumerate(card["channel"].to_list()) if c == UNKNOWN),
                         survival=load("channel_survival", **params), ranked=ranked)


def channel_members(load: Loader, contacts: Contacts, *, by: str, params: dict[str, str], channel: str, yes: str, no: str) -> pl.DataFrame:
    """The members a scorecard row counts as added (as many as its 新增会员), with names, phones, their
    join and friend days, whether still a friend (`yes` / `no`, the reader's words) and their last order."""
    who = load("channel_members", **params, by=by, channel=channel)
    who = who.with_columns(pl.when(pl.col("still_friend") == 1).then(pl.lit(yes)).otherwise(pl.lit(no))
                           .alias("still_friend"))
    return with_contacts(contacts, who, ("display_name", "phone", "last_order"), tuple(MEMBERS))
