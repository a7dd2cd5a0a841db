"""What the 导购 and 标签与分群 pages draw, as plain frames (no Streamlit): the staff scorecard reshaped for its
table, leaderboard and charts; one tag group's rows; a saved segment's rules from the page's filters; the
WeCom list of a population in the column layout WeCom's tag import and 群发 tools take."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from siyu.db.scope import Scope
from siyu.segments import SegmentRules

SCORECARD_COLUMNS = {
    "staff_name": ("col_stf_staff", "text"), "friends": ("col_stf_friends", "int"), "active": ("col_stf_active", "int"),
    "deleted_1d": ("col_stf_deleted_1d", "pct"), "deleted_7d": ("col_stf_deleted_7d", "pct"),
    "deleted_7d_customer": ("col_stf_deleted_7d_customer", "pct"), "deleted_7d_staff": ("col_stf_deleted_7d_staff", "pct"),
    "deleted_30d": ("col_stf_deleted_30d", "pct"), "buyer_30d": ("col_stf_buyer_30d", "pct"),
    "buyer_90d": ("col_stf_buyer_90d", "pct"), "buyers": ("col_stf_buyers", "int"), "gmv": ("col_stf_gmv", "money"),
    "gmv_per_friend": ("col_stf_gmv_per_friend", "money2"), "repeat_rate": ("col_stf_repeat", "pct"),
    "groups_owned": ("col_stf_groups_owned", "int"),
}
DETAIL_COLUMNS = ("deleted_1d", "deleted_7d_customer", "deleted_7d_staff", "deleted_30d")
"""Scorecard columns drawn in a folded table under the main one: with all fifteen the table scrolled sideways
and the conversion and GMV columns, the ones a manager compares staff on, were off screen. The 7-day split
by side is also the chart below; the CSV keeps every column."""


def scorecard_columns(card: pl.DataFrame) -> tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]]:
    """(main, detail) column tables of the scorecard, both led by the staff name. Groups owned joins the main
    table only once some staff member owns a group (before group data it is all zeros, and a caption says why)."""
    owns = "groups_owned" in card.columns and bool(card["groups_owned"].sum())
    folded = {*DETAIL_COLUMNS, *(() if owns else ("groups_owned",))}
    main = {c: spec for c, spec in SCORECARD_COLUMNS.items() if c not in folded}
    return main, {"staff_name": SCORECARD_COLUMNS["staff_name"], **{c: SCORECARD_COLUMNS[c] for c in DETAIL_COLUMNS}}


SHADING = {"deleted_1d": False, "deleted_7d": False, "deleted_7d_customer": False, "deleted_7d_staff": False,
           "deleted_30d": False, "buyer_30d": True, "buyer_90d": True, "gmv_per_friend": True, "repeat_rate": True}
LEADERBOARD_COLUMNS = {
    "rank": ("col_stf_rank", "int"), "staff_name": ("col_stf_staff", "text"),
    "credited_friends": ("col_stf_credited", "int"), "friends": ("col_stf_friends", "int"),
    "deleted_7d": ("col_stf_deleted_7d", "pct"), "credited_gmv": ("col_stf_credited_gmv", "money"),
    "buyer_90d": ("col_stf_buyer_90d", "pct"),
}
TAG_COLUMNS = {
    "tag": ("col_tag", "text"), "members": ("col_members", "int"), "group_share": ("col_tag_group_share", "pct"),
    "buyers": ("col_buyers", "int"), "buyer_share": ("col_tag_buyer_share", "pct"), "gmv": ("col_gmv", "money"),
    "gmv_per_member": ("col_tag_gmv_per_member", "money2"), "arpu": ("col_tag_arpu", "money2"),
    "repeat_rate": ("col_stf_repeat", "pct"), "friends": ("col_tag_friends", "int"),
    "friend_retention": ("col_tag_retention", "pct"),
}
WECOM_COLUMNS = {
    "customer_name": ("col_sgm_customer", "text"), "external_userid": ("col_sgm_external_userid", "text"),
    "userid": ("col_sgm_userid", "text"), "staff_name": ("col_sgm_staff", "text"), "phone": ("col_sgm_phone", "text"),
    "tag_group": ("col_sgm_tag_group", "text"), "tag": ("col_sgm_tag", "text"),
}


@dataclass(frozen=True)
class StaffView:
    scorecard: pl.DataFrame
    """One row per staff member, most friends first."""
    leaderboard: pl.DataFrame
    """By rank (credited friends)."""
    deletions: pl.DataFrame
    """staff_name, side (customer | staff | unknown), share of friends deleted within 7 days: the stacked chart."""


def staff_view(card: pl.DataFrame) -> StaffView:
    """The staff metric's frame, reshaped for the page."""
    by_size = card.sort(["friends", "staff_id"], descending=[True, False])
    unknown = (pl.col("deleted_7d") - pl.col("deleted_7d_customer") - pl.col("deleted_7d_staff")).clip(lower_bound=0)
    deletions = (by_size.select("staff_name", pl.col("deleted_7d_customer").alias("customer"),
                                pl.col("deleted_7d_staff").alias("staff"), unknown.alias("unknown"))
                 .unpivot(index="staff_name", variable_name="side", value_name="share"))
    return StaffView(by_size, card.sort("rank"), deletions)


def tag_groups(tags: pl.DataFrame) -> list[str]:
    """The tag groups in the metric's order (largest first); '' is the tags without a group."""
    return list(dict.fromkeys(tags["tag_group"].to_list()))


def one_group(tags: pl.DataFrame, group: str) -> pl.DataFrame:
    return tags.filter(pl.col("tag_group") == group)


def rules_from(scope: Scope | None, rfm_standard: str | None, rfm_segment: str | None) -> SegmentRules:
    """A segment's rules from the page's filters (store left out: it restricts orders, not people; a saved
    segment in force is not nested into another) and the RFM choice."""
    s = scope or Scope()
    return SegmentRules(channel=s.channel, tier=s.tier, staff=s.staff, tag=s.tag,
                        rfm_standard=rfm_standard if rfm_segment else None, rfm_segment=rfm_segment or None)


def rules_text(rules: SegmentRules, label: Callable[[str], str], value: Callable[[str], str] = str,
               sep: str = "，", colon: str = "：") -> str:
    """'渠道：门店，标签：孩子年龄:7岁' — `label` names a rule (the page's t()), `value` escapes a value from data."""
    return sep.join(f"{label(f'sgm_rule_{k}')}{colon}{label(f'grp_layer_{v}') if k == 'layer' else value(v)}"
                    for k, v in rules.pairs())


def wecom_frame(listing: pl.DataFrame) -> pl.DataFrame:
    """The wecom_list metric's rows in WeCom's column order (the page labels the columns)."""
    return listing.select(list(WECOM_COLUMNS))
