"""What the 社群 page draws, as frames, without Streamlit: the scorecard, the pyramid, the moves, the daily
trend, and the parameters of the members behind a picked number.

`group_frames(load)` takes the page's metric loader (siyu.ui.cache.load_metric with settings, state and
scope bound) and returns None when there is no group membership in scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from siyu.metrics.group_members import MEASURES

Loader = Callable[..., pl.DataFrame]
_UNSAFE = re.compile(r"[^0-9A-Za-z_\u4e00-\u9fff-]")
LAYER_KEYS = {"mass": "grp_layer_mass", "core": "grp_layer_core", "super": "grp_layer_super", "other": "grp_layer_other"}
GROUP_MEASURES = ("joined", "members_now", "left_7d", "left_30d", "buyers_30d", "buyers_90d")
LAYER_MEASURES = ("joined", "members_now", "buyers")
assert set(GROUP_MEASURES) | set(LAYER_MEASURES) <= set(MEASURES)
SCORECARD_COLUMNS = {
    "group_name": ("grp_col_group", "text"), "layer_name": ("grp_col_layer", "text"), "joined": ("grp_col_joined", "int"),
    "members_now": ("grp_col_members_now", "int"), "left_7d": ("grp_col_left_7d", "int"),
    "left_30d": ("grp_col_left_30d", "int"), "buyers_30d": ("grp_col_buyers_30d", "int"),
    "buyers_90d": ("grp_col_buyers_90d", "int"), "left_7d_share": ("grp_col_left_7d_share", "pct"),
    "buyers_30d_share": ("grp_col_buyers_30d_share", "pct"), "buyers_90d_share": ("grp_col_buyers_90d_share", "pct"),
    "gmv_90d_before_per_member": ("grp_col_gmv_before", "money2"),
    "gmv_90d_after_per_member": ("grp_col_gmv_after", "money2"), "repeat_rate": ("grp_col_repeat", "pct")}
SCORECARD_SHADING = {"left_7d_share": False, "buyers_30d_share": True, "buyers_90d_share": True,
                     "gmv_90d_after_per_member": True, "repeat_rate": True}
LAYER_COLUMNS = {
    "layer_name": ("grp_col_layer", "text"), "groups": ("grp_col_groups", "int"), "members": ("grp_col_members", "int"),
    "members_now": ("grp_col_members_now", "int"), "buyers": ("grp_col_buyers", "int"),
    "buyer_share": ("grp_col_buyer_share", "pct"), "gmv": ("grp_col_gmv", "money"),
    "gmv_share": ("grp_col_gmv_share", "pct"), "arpu": ("grp_col_arpu", "money2"),
    "retained_share": ("grp_col_retained", "pct"), "repeat_rate": ("grp_col_repeat", "pct")}
MEMBER_COLUMNS = {
    "member_id": ("col_member_id", "text"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
    "first_join": ("grp_col_first_join", "date"), "first_left": ("grp_col_first_left", "date"),
    "in_group_now": ("grp_col_in_now", "text"), "last_order": ("col_last_order", "date")}


@dataclass(frozen=True)
class GroupFrames:
    scorecard: pl.DataFrame
    """`groups` with layer_name (the layer in the reader's words), groups without members left out."""
    layers: pl.DataFrame
    """`group_layers` with layer_name."""
    moves: pl.DataFrame
    daily: pl.DataFrame


def with_layer_names(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """`frame` + layer_name: the layer code in words (`names`: code -> words)."""
    return frame.with_columns(pl.col("layer").replace_strict(names, default=pl.col("layer")).alias("layer_name"))


def group_frames(load: Loader, names: dict[str, str]) -> GroupFrames | None:
    """Everything the page draws; None when no member in scope ever joined a group."""
    card = load("groups")
    if card.is_empty() or not card["joined"].sum():
        return None
    return GroupFrames(with_layer_names(card.filter(pl.col("joined") > 0), names),
                       with_layer_names(load("group_layers"), names), load("group_layer_moves"), load("group_daily"))


def member_params(*, group_id: str | None = None, layer: str | None = None, measure: str) -> dict[str, str]:
    """The `group_members` parameters of one number: a group's (group_id) or a layer's, narrowed by measure."""
    if measure not in MEASURES:
        raise ValueError(measure)
    return {"measure": measure, **({"group_id": group_id} if group_id is not None else {"layer": layer or ""})}


def file_stem(kind: str, name: str) -> str:
    """A download's file-name stem for a group or layer: its name with anything but letters, digits, - and _
    replaced (a group name is data: it may hold / or quotes), cut to 60 characters."""
    return f"{kind}_{_UNSAFE.sub('_', name)[:60]}"


def member_listing(who: pl.DataFrame, contacts: pl.DataFrame, yes: str, no: str) -> pl.DataFrame:
    """The members of `group_members` with their names, phones and last order (siyu.engine.lookups.member_contacts)."""
    return (who.with_columns(pl.col("member_id").cast(pl.String),
                             pl.when(pl.col("in_group_now") == 1).then(pl.lit(yes)).otherwise(pl.lit(no))
                             .alias("in_group_now"))
            .join(contacts.select("member_id", "display_name", "phone", "last_order"), on="member_id", how="left")
            .select(list(MEMBER_COLUMNS)))


def rules_rows(saved: pl.DataFrame, suggested: tuple[tuple[str, str], ...]) -> pl.DataFrame:
    """pattern, layer rows for the rule editor: the saved rules, or the suggestion when none are saved."""
    if saved.height:
        return saved.select("pattern", "layer")
    return pl.DataFrame({"pattern": [p for p, _ in suggested], "layer": [layer for _, layer in suggested]},
                        schema={"pattern": pl.String, "layer": pl.String})
