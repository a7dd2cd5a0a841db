"""One row per member behind one number of `groups` or `group_layers`: member_id, first_join, first_left, in_group_now, bought_30d, bought_90d.

The population is the group's (group_id) or the layer's (layer) members as siyu.metrics.groups.member_facts
counts them, as of the end of the as-of day, narrowed by `measure`: joined (everyone), members_now,
left_7d, left_30d, buyers_30d, buyers_90d (the counted columns of `groups`, whose values this list's length
equals), or buyers (a valid order on or after the first join: `group_layers`' buyers). Sorted by first
join, newest first, then member_id.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.group_layers import layered_memberships
from siyu.metrics.groups import member_facts

MEASURES = ("joined", "members_now", "left_7d", "left_30d", "buyers_30d", "buyers_90d", "buyers")
SCHEMA = pl.Schema([("member_id", pl.Int64()), ("first_join", pl.Datetime("us")), ("first_left", pl.Datetime("us")),
                    ("in_group_now", pl.Int64()), ("bought_30d", pl.Int64()), ("bought_90d", pl.Int64())])
_FILTERS = {"joined": pl.lit(True), "members_now": pl.col("now") == 1, "left_7d": pl.col("left_7d") == 1,
            "left_30d": pl.col("left_30d") == 1, "buyers_30d": pl.col("bought_30d") == 1,
            "buyers_90d": pl.col("bought_90d") == 1, "buyers": pl.col("days_after") >= 1}


def group_members(groups: pl.LazyFrame, rules: pl.LazyFrame, memberships: pl.LazyFrame, orders: pl.LazyFrame, *,
                  as_of: dt.date, group_id: str | None = None, layer: str | None = None,
                  measure: str = "joined") -> pl.DataFrame:
    """Inputs as siyu.metrics.groups.group_scorecard; exactly one of group_id / layer."""
    if measure not in MEASURES:
        raise MetricError(f"measure={measure!r}：只能是 {' | '.join(MEASURES)} / unknown measure")
    if layer is not None:
        facts = member_facts(layered_memberships(groups, rules, memberships), orders, as_of, key="layer")
        facts = facts.filter(pl.col("layer") == layer)
    else:
        facts = member_facts(memberships.filter(pl.col("group_id") == group_id), orders, as_of)
    return (facts.filter(_FILTERS[measure])
            .sort(["first_join", "member_id"], descending=[True, False])
            .select("member_id", "first_join", "first_left", pl.col("now").alias("in_group_now"), "bought_30d",
                    "bought_90d")
            .collect().cast(SCHEMA))
