"""One row per tag group × tag: tag_group, tag, members, group_share, buyers, buyer_share, gmv, gmv_per_member, arpu, repeat_rate, friends, friends_active, friend_retention.

Definitions (docs/metrics/tags.md), as of `as_of`, orders paid in [start, end] (default: all, up to as_of):
- members = members carrying the tag (WeCom tag groups are the customer export's tag columns; '' = a tag
  without a group); group_share = members / members carrying any tag of the same group (a member may carry
  several tags of one group, so the shares of a group can add up to more than 1).
- buyers = those members with a valid order paid in the range; buyer_share = buyers / members; gmv = their
  net amount (yuan) in the range; gmv_per_member = gmv / members; arpu = gmv / buyers; repeat_rate = buyers
  with valid orders on >= 2 distinct days in the range / buyers.
- friends = members with a WeCom friendship added by the end of the as-of day; friends_active = those with
  one still open then; friend_retention = friends_active / friends (the tag's members who kept the brand).
Rates are null when their denominator is 0. Largest groups first, then tags by members.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

SCHEMA = pl.Schema({"tag_group": pl.String, "tag": pl.String, "members": pl.Int64, "group_share": pl.Float64,
                    "buyers": pl.Int64, "buyer_share": pl.Float64, "gmv": pl.Float64, "gmv_per_member": pl.Float64,
                    "arpu": pl.Float64, "repeat_rate": pl.Float64, "friends": pl.Int64, "friends_active": pl.Int64,
                    "friend_retention": pl.Float64})


def tag_breakdown(tags: pl.LazyFrame, friends: pl.LazyFrame, orders: pl.LazyFrame, *, start: dt.date | None,
                  end: dt.date, as_of: dt.date, group: str | None = None) -> pl.DataFrame:
    """tags: member_id, tag_group, tag; friends: member_id, added_at, deleted_at; orders: member_id, paid_at,
    net_cents (valid orders). `group`: only that tag group."""
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    end_hi = min(hi, dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    tagged = tags.select("member_id", "tag_group", "tag").unique()
    if group is not None:
        tagged = tagged.filter(pl.col("tag_group") == group)
    paid = orders.filter(pl.col("paid_at") < end_hi)
    if start is not None:
        paid = paid.filter(pl.col("paid_at") >= dt.datetime.combine(start, dt.time()))
    per_buyer = paid.group_by("member_id").agg(pl.col("net_cents").sum().alias("net"),
                                               pl.col("paid_at").cast(pl.Date).n_unique().alias("days"))
    added = friends.filter(pl.col("added_at") < hi)
    per_friend = added.group_by("member_id").agg(
        (pl.col("deleted_at").is_null() | (pl.col("deleted_at") >= hi)).any().alias("open"))
    group_size = tagged.group_by("tag_group").agg(pl.col("member_id").n_unique().alias("group_members"))
    buyer = pl.col("days").is_not_null()

    def ratio(num: pl.Expr, den: pl.Expr) -> pl.Expr:
        return pl.when(den > 0).then(num / den)

    return (
        tagged.join(per_buyer, on="member_id", how="left").join(per_friend, on="member_id", how="left")
        .group_by("tag_group", "tag")
        .agg(pl.len().alias("members"), buyer.sum().alias("buyers"), (pl.col("net").sum() / 100).alias("gmv"),
             (pl.col("days") >= 2).sum().alias("repeaters"), pl.col("open").is_not_null().sum().alias("friends"),
             pl.col("open").fill_null(False).sum().alias("friends_active"))
        .join(group_size, on="tag_group")
        .with_columns(ratio(pl.col("members"), pl.col("group_members")).alias("group_share"),
                      ratio(pl.col("buyers"), pl.col("members")).alias("buyer_share"),
                      ratio(pl.col("gmv"), pl.col("members")).alias("gmv_per_member"),
                      ratio(pl.col("gmv"), pl.col("buyers")).alias("arpu"),
                      ratio(pl.col("repeaters"), pl.col("buyers")).alias("repeat_rate"),
                      ratio(pl.col("friends_active"), pl.col("friends")).alias("friend_retention"))
        .sort(["group_members", "tag_group", "members", "tag"], descending=[True, False, True, False])
        .select(list(SCHEMA)).collect().cast(SCHEMA)
    )
