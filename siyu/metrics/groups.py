"""One row per customer group: group_id, group_name, layer, joined, members_now, left_7d, left_30d, buyers_30d, buyers_90d, left_7d_share, left_30d_share, buyers_30d_share, buyers_90d_share, matured_90d, gmv_90d_after_per_member, gmv_90d_before_per_member, repeat_rate.

Definitions (docs/metrics/groups.md), as of the end of the as-of day `as_of` (memberships joined later
are ignored, leaves later count as not yet happened):
- A member's stay in a group starts at their FIRST join of that group; a member who joined twice counts
  once. Their first stay ends at that membership's left_at.
- joined = members who ever joined the group; members_now = members with a membership of the group
  joined and not left by the end of the as-of day (a re-join counts).
- left_7d / left_30d = members whose first stay ended less than 7 / 30 days after their first join.
- buyers_30d / buyers_90d = members with a valid order paid in [first join, first join + 30 / 90 days).
- The shares divide by the members whose window has closed by the end of the as-of day (first join at
  least 7 / 30 / 90 days before it), counting only them above the line: a member who joined yesterday
  cannot have stayed a week yet. Null when no member's window has closed.
- matured_90d = members whose 90-day window has closed; gmv_90d_after_per_member / _before_per_member =
  net amount (yuan) of their valid orders in [join, join + 90 d) / [join - 90 d, join), per such member.
- repeat_rate = among members with a valid order on or after their first join (by the as-of day), the
  share with valid orders on at least two distinct days on or after it.
- layer: the group's group_type when a file stated it, else the first layer rule (lowest position) whose
  pattern the group name contains (case-insensitive), else 'other'. Codes: mass 大群, core 核心群,
  super 超级用户群, other 其他.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

LAYERS = ("mass", "core", "super", "other")
SCHEMA = pl.Schema({
    "group_id": pl.String, "group_name": pl.String, "layer": pl.String, "joined": pl.Int64, "members_now": pl.Int64,
    "left_7d": pl.Int64, "left_30d": pl.Int64, "buyers_30d": pl.Int64, "buyers_90d": pl.Int64,
    "left_7d_share": pl.Float64, "left_30d_share": pl.Float64, "buyers_30d_share": pl.Float64,
    "buyers_90d_share": pl.Float64, "matured_90d": pl.Int64, "gmv_90d_after_per_member": pl.Float64,
    "gmv_90d_before_per_member": pl.Float64, "repeat_rate": pl.Float64})
DAY = dt.timedelta(days=1)


def end_of(as_of: dt.date) -> dt.datetime:
    """The first instant after the as-of day."""
    return dt.datetime.combine(as_of + DAY, dt.time())


def group_layers_of(groups: pl.LazyFrame, rules: pl.LazyFrame) -> pl.LazyFrame:
    """groups: group_id, group_name, group_type; rules: position, pattern, layer -> group_id, group_name, layer."""
    matched = (groups.join(rules, how="cross")
               .filter(pl.col("group_name").str.to_lowercase().str.contains(pl.col("pattern").str.to_lowercase(),
                                                                              literal=True))
               .group_by("group_id").agg(pl.col("layer").sort_by("position").first().alias("rule_layer")))
    return (groups.join(matched, on="group_id", how="left")
            .select("group_id", "group_name",
                    pl.coalesce("group_type", "rule_layer", pl.lit("other")).alias("layer")))


def first_stays(memberships: pl.LazyFrame, as_of: dt.date, key: str = "group_id") -> pl.LazyFrame:
    """One row per `key` x member: first_join, first_left (the first stay's end, null while open or when it
    ends after the as-of day), now (1 when some membership is open at the end of the as-of day)."""
    hi = end_of(as_of)
    known = memberships.filter(pl.col("joined_at") < hi)
    return known.group_by(key, "member_id").agg(
        pl.col("joined_at").min().alias("first_join"),
        pl.col("left_at").sort_by("joined_at").first().alias("first_left"),
        (pl.col("left_at").is_null() | (pl.col("left_at") >= hi)).any().cast(pl.Int64).alias("now"),
    ).with_columns(pl.when(pl.col("first_left") < hi).then(pl.col("first_left")).alias("first_left"))


def _order_windows(stays: pl.LazyFrame, orders: pl.LazyFrame, as_of: dt.date, key: str) -> pl.LazyFrame:
    """Per key x member: bought_30d, bought_90d (0/1), net_after_90 / net_before_90 (cents), days_after
    (distinct order days on or after the first join, by the as-of day)."""
    hi = end_of(as_of)
    o = stays.select(key, "member_id", "first_join").join(
        orders.filter(pl.col("paid_at") < hi).select("member_id", "paid_at", "net_cents"), on="member_id")
    since = pl.col("paid_at") - pl.col("first_join")
    after = since >= dt.timedelta(0)
    return o.group_by(key, "member_id").agg(
        (after & (since < dt.timedelta(days=30))).any().cast(pl.Int64).alias("bought_30d"),
        (after & (since < dt.timedelta(days=90))).any().cast(pl.Int64).alias("bought_90d"),
        pl.col("net_cents").filter(after & (since < dt.timedelta(days=90))).sum().alias("net_after_90"),
        pl.col("net_cents").filter(~after & (since >= -dt.timedelta(days=90))).sum().alias("net_before_90"),
        pl.col("paid_at").filter(after).dt.date().n_unique().alias("days_after"),
    )


def member_facts(memberships: pl.LazyFrame, orders: pl.LazyFrame, as_of: dt.date, key: str = "group_id") -> pl.LazyFrame:
    """first_stays + _order_windows + the window flags (matured_7d/30d/90d, left_7d/30d) per key x member:
    the rows behind every number of `groups` (and, with key=layer, of `group_layers`)."""
    hi = end_of(as_of)
    stays = first_stays(memberships, as_of, key)
    stay = pl.col("first_left") - pl.col("first_join")
    return (stays.join(_order_windows(stays, orders, as_of, key), on=[key, "member_id"], how="left")
            .with_columns(pl.col("bought_30d", "bought_90d", "net_after_90", "net_before_90", "days_after").fill_null(0))
            .with_columns(
                *[(pl.col("first_join") + dt.timedelta(days=n) <= hi).cast(pl.Int64).alias(f"matured_{n}d")
                  for n in (7, 30, 90)],
                *[(pl.col("first_left").is_not_null() & (stay < dt.timedelta(days=n))).cast(pl.Int64).alias(f"left_{n}d")
                  for n in (7, 30)]))


def _share(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den > 0).then(num / den)


def group_scorecard(groups: pl.LazyFrame, rules: pl.LazyFrame, memberships: pl.LazyFrame, orders: pl.LazyFrame,
                    *, as_of: dt.date) -> pl.DataFrame:
    """groups: group_id, group_name, group_type; rules: position, pattern, layer; memberships: group_id,
    member_id, joined_at, left_at; orders: member_id, paid_at, net_cents (valid orders)."""
    facts = member_facts(memberships, orders, as_of)
    m7, m30, m90 = pl.col("matured_7d") == 1, pl.col("matured_30d") == 1, pl.col("matured_90d") == 1
    per_group = facts.group_by("group_id").agg(
        pl.len().alias("joined"), pl.col("now").sum().alias("members_now"),
        pl.col("left_7d").sum(), pl.col("left_30d").sum(), pl.col("bought_30d").sum().alias("buyers_30d"),
        pl.col("bought_90d").sum().alias("buyers_90d"),
        pl.col("left_7d").filter(m7).sum().alias("_l7"), m7.sum().alias("_m7"),
        pl.col("left_30d").filter(m30).sum().alias("_l30"), m30.sum().alias("_m30"),
        pl.col("bought_30d").filter(m30).sum().alias("_b30"),
        pl.col("bought_90d").filter(m90).sum().alias("_b90"), m90.sum().alias("matured_90d"),
        pl.col("net_after_90").filter(m90).sum().alias("_after"), pl.col("net_before_90").filter(m90).sum().alias("_before"),
        (pl.col("days_after") >= 1).sum().alias("_buyers"), (pl.col("days_after") >= 2).sum().alias("_repeat"),
    )
    out = (group_layers_of(groups, rules).join(per_group, on="group_id", how="left")
           .with_columns(pl.col("joined", "members_now", "left_7d", "left_30d", "buyers_30d", "buyers_90d", "matured_90d",
                                "_l7", "_m7", "_l30", "_m30", "_b30", "_b90", "_after", "_before", "_buyers", "_repeat")
                         .fill_null(0))
           .with_columns(_share(pl.col("_l7"), pl.col("_m7")).alias("left_7d_share"),
                         _share(pl.col("_l30"), pl.col("_m30")).alias("left_30d_share"),
                         _share(pl.col("_b30"), pl.col("_m30")).alias("buyers_30d_share"),
                         _share(pl.col("_b90"), pl.col("matured_90d")).alias("buyers_90d_share"),
                         _share(pl.col("_after") / 100, pl.col("matured_90d")).alias("gmv_90d_after_per_member"),
                         _share(pl.col("_before") / 100, pl.col("matured_90d")).alias("gmv_90d_before_per_member"),
                         _share(pl.col("_repeat"), pl.col("_buyers")).alias("repeat_rate"))
           .with_columns(pl.col("layer").replace_strict({k: i for i, k in enumerate(LAYERS)}, default=len(LAYERS))
                         .alias("_rank"))
           .sort(["_rank", "joined", "group_id"], descending=[False, True, False]))
    return out.select(list(SCHEMA)).collect().cast(SCHEMA)
