"""One row per layer (mass → core → super, then other): layer, groups, members, members_now, buyers, buyer_share, buyers_90d_share, gmv, gmv_share, arpu, retained_share, repeat_rate.

The three-layer pyramid from real group membership (docs/metrics/group_layers.md), as of the end of the
as-of day. A group's layer is siyu.metrics.groups.group_layers_of. Per layer, a member counts once, from
their first join into any group of the layer:
- groups = groups of the layer; members = members who ever joined one; members_now = members in one at
  the end of the as-of day (retained_share = members_now / members).
- buyers = members with a valid order on or after their first join into the layer (by the as-of day);
  buyer_share = buyers / members; buyers_90d_share = share with a valid order in [join, join + 90 d) among
  members who joined at least 90 days before the end of the as-of day.
- gmv = net amount (yuan) of those members' valid orders on or after their first join into the layer;
  gmv_share = gmv / the net amount of every valid order (every member) paid by the end of the as-of day.
  A member in two layers counts in both, so shares across layers need not sum to 1.
- arpu = gmv / members; repeat_rate = buyers with valid orders on ≥ 2 distinct days since joining / buyers.

`layer_moves`: one row per month × from_layer × to_layer with members: a member's level at the end of a
month is the highest layer (super > core > mass > other) of a group they are in then, `none` when in
none; a row counts the members whose level at the end of `month` differs from the end of the month before.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.metrics.groups import LAYERS, end_of, group_layers_of, member_facts

SCHEMA = pl.Schema({
    "layer": pl.String, "groups": pl.Int64, "members": pl.Int64, "members_now": pl.Int64, "buyers": pl.Int64,
    "buyer_share": pl.Float64, "buyers_90d_share": pl.Float64, "gmv": pl.Float64, "gmv_share": pl.Float64,
    "arpu": pl.Float64, "retained_share": pl.Float64, "repeat_rate": pl.Float64})
MOVES_SCHEMA = pl.Schema({"month": pl.Date, "from_layer": pl.String, "to_layer": pl.String, "members": pl.Int64})
LEVEL = {"other": 0, "mass": 1, "core": 2, "super": 3}
NONE = "none"


def layered_memberships(groups: pl.LazyFrame, rules: pl.LazyFrame, memberships: pl.LazyFrame) -> pl.LazyFrame:
    """memberships + the layer of their group."""
    return memberships.join(group_layers_of(groups, rules).select("group_id", "layer"), on="group_id")


def _since_join_gmv(facts: pl.LazyFrame, orders: pl.LazyFrame, as_of: dt.date) -> pl.LazyFrame:
    hi = end_of(as_of)
    return (facts.select("layer", "member_id", "first_join")
            .join(orders.filter(pl.col("paid_at") < hi), on="member_id")
            .filter(pl.col("paid_at") >= pl.col("first_join"))
            .group_by("layer").agg(pl.col("net_cents").sum().alias("_gmv")))


def layer_pyramid(groups: pl.LazyFrame, rules: pl.LazyFrame, memberships: pl.LazyFrame, orders: pl.LazyFrame,
                  *, as_of: dt.date) -> pl.DataFrame:
    """groups: group_id, group_name, group_type; rules: position, pattern, layer; memberships: group_id,
    member_id, joined_at, left_at; orders: member_id, paid_at, net_cents (valid orders)."""
    layered = layered_memberships(groups, rules, memberships)
    facts = member_facts(layered, orders, as_of, key="layer")
    m90 = pl.col("matured_90d") == 1
    per = facts.group_by("layer").agg(
        pl.len().alias("members"), pl.col("now").sum().alias("members_now"),
        (pl.col("days_after") >= 1).sum().alias("buyers"), (pl.col("days_after") >= 2).sum().alias("_repeat"),
        pl.col("bought_90d").filter(m90).sum().alias("_b90"), m90.sum().alias("_m90"))
    n_groups = group_layers_of(groups, rules).group_by("layer").agg(pl.len().alias("groups"))
    total = orders.filter(pl.col("paid_at") < end_of(as_of)).select(pl.col("net_cents").sum().alias("_total"))
    frame = (pl.LazyFrame({"layer": list(LAYERS)}).join(n_groups, on="layer", how="left")
             .join(per, on="layer", how="left").join(_since_join_gmv(facts, orders, as_of), on="layer", how="left")
             .join(total, how="cross")
             .with_columns(pl.col("groups", "members", "members_now", "buyers", "_repeat", "_b90", "_m90", "_gmv")
                           .fill_null(0))
             .filter((pl.col("layer") != "other") | (pl.col("groups") > 0))
             .sort(pl.col("layer").replace_strict({k: i for i, k in enumerate(LAYERS)}, return_dtype=pl.Int64)))
    den = pl.col("members")
    return (frame.with_columns(
        pl.when(den > 0).then(pl.col("buyers") / den).alias("buyer_share"),
        pl.when(pl.col("_m90") > 0).then(pl.col("_b90") / pl.col("_m90")).alias("buyers_90d_share"),
        (pl.col("_gmv") / 100).alias("gmv"),
        pl.when(pl.col("_total") > 0).then(pl.col("_gmv") / pl.col("_total")).alias("gmv_share"),
        pl.when(den > 0).then(pl.col("_gmv") / 100 / den).alias("arpu"),
        pl.when(den > 0).then(pl.col("members_now") / den).alias("retained_share"),
        pl.when(pl.col("buyers") > 0).then(pl.col("_repeat") / pl.col("buyers")).alias("repeat_rate"))
        .select(list(SCHEMA)).collect().cast(SCHEMA))


def _month_index(col: str) -> pl.Expr:
    """Months since year 0 of a timestamp column (its calendar month as one integer)."""
    return pl.col(col).dt.year().cast(pl.Int64) * 12 + pl.col(col).dt.month().cast(pl.Int64) - 1


def layer_moves(groups: pl.LazyFrame, rules: pl.LazyFrame, memberships: pl.LazyFrame, *, as_of: dt.date) -> pl.DataFrame:
    """Movement between layers per month (see the module docstring), sorted by month, from, to.

    A membership is in a group at the end of month m (the start of month m + 1, or the end of the as-of day for
    the as-of month M) for m from its join month to the month before its leave month (to M while it is open at
    the end of the as-of day): a range of month numbers, exploded, then each member's highest layer per month
    and the changes between consecutive rows (a gap in the months is a spell in no group)."""
    hi = end_of(as_of)
    last = as_of.year * 12 + as_of.month - 1
    level = pl.col("layer").replace_strict(LEVEL, return_dtype=pl.Int64)
    spans = (layered_memberships(groups, rules, memberships).filter(pl.col("joined_at") < hi)
             .select("member_id", level.alias("level"), _month_index("joined_at").alias("first"),
                     pl.when(pl.col("left_at").is_null() | (pl.col("left_at") >= hi)).then(pl.lit(last))
                     .otherwise(_month_index("left_at") - 1).alias("end"))
             .filter(pl.col("end") >= pl.col("first")))
    levels = (spans.select("member_id", "level", pl.int_ranges("first", pl.col("end") + 1).alias("m")).explode("m")
              .group_by("member_id", "m").agg(pl.col("level").max())
              .sort("member_id", "m").collect())
    same = pl.col("member_id").shift(1) == pl.col("member_id")
    prev_m, prev_level = pl.col("m").shift(1), pl.col("level").shift(1)
    nxt_same = pl.col("member_id").shift(-1) == pl.col("member_id")
    nxt_m = pl.col("m").shift(-1)
    entries = levels.with_columns(
        pl.when(same & (prev_m == pl.col("m") - 1)).then(prev_level).otherwise(pl.lit(-1)).alias("before")).filter(
        pl.col("before") != pl.col("level")).select("m", "before", pl.col("level").alias("after"))
    exits = (levels.filter(~(nxt_same & (nxt_m == pl.col("m") + 1)).fill_null(False) & (pl.col("m") < last))
             .select((pl.col("m") + 1).alias("m"), pl.col("level").alias("before"), pl.lit(-1, dtype=pl.Int64).alias("after")))
    by_name = {-1: NONE, **{v: k for k, v in LEVEL.items()}}
    moves = (pl.concat([entries, exits]).group_by("m", "before", "after").agg(pl.len().alias("members"))
             .select(pl.date((pl.col("m") // 12).cast(pl.Int32), (pl.col("m") % 12 + 1).cast(pl.Int8), 1).alias("month"),
                     pl.col("before").replace_strict(by_name).alias("from_layer"),
                     pl.col("after").replace_strict(by_name).alias("to_layer"), "members"))
    return moves.sort("month", "from_layer", "to_layer").cast(MOVES_SCHEMA)
