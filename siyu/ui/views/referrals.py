"""What the Referrals page draws, without Streamlit: K-factor per month and per generation, the
leaderboard, referred vs organic members and the largest referral trees."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from siyu.charts.referrals import words
from siyu.engine.lookups import member_ids
from siyu.metrics.periods import DateRange
from siyu.ui.views.loader import Contacts, Loader, with_contacts

K_GENERATION = {"generation": ("col_generation", "int"), "members": ("col_members", "int"),
                "buyers": ("col_buyers", "int"), "buyer_rate": ("col_buyer_rate", "pct"), "k_factor": ("col_k", "float")}
LEADERBOARD = {"rank": ("col_rank", "int"), "display_name": ("col_name", "text"), "phone": ("col_phone", "text"),
               "referees": ("col_referees", "int"), "referee_buyers": ("col_referee_buyers", "int"),
               "referee_gmv": ("col_referee_gmv", "money"), "excluded_referees": ("col_excluded", "int"),
               "descendants": ("col_descendants", "int")}
VS_ORGANIC = {"group": ("col_group", "text"), "members": ("col_members", "int"), "buyers": ("col_buyers", "int"),
              "mature_members": ("col_mature", "int"), "conversion_90": ("col_conversion_90", "pct"),
              "repeat_rate": ("col_repeat_rate", "pct"), "retention_90": ("col_retention_90", "pct"),
              "ltv_90": ("col_ltv_90", "money2")}
LARGEST = 10  # trees offered in the picker


@dataclass(frozen=True)
class ReferralFrames:
    """k_month: K-factor per month from the range's first month; k_generation: per generation as of the
    range's end; vs_organic: referred vs organic (`group` as a code), vs_view: the same in the reader's words;
    largest: the LARGEST biggest trees (size, depth, root), root_names: {root id as text: display name}."""
    k_month: pl.DataFrame
    k_generation: pl.DataFrame
    vs_organic: pl.DataFrame
    vs_view: pl.DataFrame
    largest: pl.DataFrame
    root_names: dict[str, str]

    def root_name(self, root: object) -> object:
        """The root's display name, else its id."""
        return self.root_names.get(str(root)) or root

    def tree(self, root: object) -> dict:
        """The largest-trees row of `root` (tree_size, tree_depth)."""
        return next(r for r in self.largest.to_dicts() if r["root"] == root)


def has_trees(forest: pl.DataFrame) -> bool:
    """Someone referred someone (a tree of more than its root)."""
    return not forest.filter(pl.col("tree_size") > 1).is_empty()


def referral_frames(load: Loader, contacts: Contacts, *, rng: DateRange, lang: str) -> ReferralFrames | None:
    """The page's frames for `rng`; None when nobody referred anybody."""
    forest = load("referrals", view="trees")
    if not has_trees(forest):
        return None
    end = {"end": rng.end.isoformat()}
    k_month = load("k_factor", by="month", **end).filter(pl.col("period") >= rng.start.replace(day=1))
    vs = load("referred_vs_organic", **end)
    named = words(lang)
    largest = forest.sort(["tree_size", "tree_depth", "root"], descending=[True, True, False]).head(LARGEST)
    roots = contacts(member_ids(largest, "root"))
    return ReferralFrames(
        k_month=k_month, k_generation=load("k_factor", by="generation", **end), vs_organic=vs,
        vs_view=vs.with_columns(pl.col("group").replace({"referred": named["referred"], "organic": named["organic"]})),
        largest=largest, root_names=dict(zip(roots["member_id"].to_list(), roots["display_name"].to_list(), strict=True)))


def leaderboard(load: Loader, contacts: Contacts, *, no_deleted: bool, no_coupon: bool) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The top 50 referrers (ids and counts: its CSV) and the same with names and phones (the table)."""
    board = load("referral_leaderboard", top="50", exclude_deleted=str(no_deleted).lower(),
                 exclude_coupon_only=str(no_coupon).lower())
    return board, with_contacts(contacts, board, ("display_name", "phone"), (*board.columns, "display_name", "phone"))


def tree(load: Loader, contacts: Contacts, root: object) -> tuple[pl.DataFrame, dict[str, str]]:
    """One tree's members and their display names {member id as text: name}."""
    nodes = load("referrals", view="members", root=str(root))
    names = contacts(member_ids(nodes))
    return nodes, dict(zip(names["member_id"].to_list(), names["display_name"].to_list(), strict=True))
