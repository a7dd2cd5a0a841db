"""One row per acquisition channel: channel, added, friends, deleted_1d, deleted_7d, deleted_30d, buyer_30d, buyer_90d, revenue_90d_per_member, repeat_rate, token_first_order_share, valid_members, vanity_headcount, valid_share.

Definitions (docs/metrics/channels.md), for members who joined in [start, end], as of `as_of`:
- Channel: `member` = members.channel; `friend_channel` / `add_way` = the channel QR state / add way
  of the member's first friendship. Missing = "未知".
- added = members who joined in the range (= vanity_headcount: everyone ever added);
  friends = those with a friendship.
- deleted_Nd (N = 1, 7, 30) = share of the members' first friendships ended (by either side) less
  than N days after the add, among first friendships added at least N days before the end of the
  as-of day (younger ones cannot be judged yet).
- buyer_Nd (N = 30, 90) = share of members with a valid order within N days of joining, among
  members who joined at least N days before the end of the as-of day.
- revenue_90d_per_member = net amount (yuan) of valid orders within 90 days of joining, per member
  who joined at least 90 days before the end of the as-of day (non-buyers count as 0).
- repeat_rate = buyers (valid order on or after joining) with orders on >= 2 distinct days / buyers.
- token_first_order_share = among those buyers, share whose first order after joining was a token
  order: zero-amount (paid 0) or coupon-only (a discount or coupon and net <= 9.90 yuan) — the sign
  of coupon hunters (羊毛党). The earliest order by payment time decides (if several share that
  instant, any token order among them makes it a token first order).
- valid_members (有效私域用户, as in `kpis`) = members still a friend at the end of the as-of day, or with
  a valid order in the 180 days before it; valid_share = valid_members / added.
- Orders paid before a member joined are ignored throughout. Rates are null when their denominator is 0.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS, token_order
from siyu.metrics.order_runs import attach_member_columns

UNKNOWN = "未知"
BY = ("member", "friend_channel", "add_way")
SCHEMA = pl.Schema({"channel": pl.String, "added": pl.Int64, "friends": pl.Int64, "deleted_1d": pl.Float64,
          "deleted_7d": pl.Float64, "deleted_30d": pl.Float64, "buyer_30d": pl.Float64, "buyer_90d": pl.Float64,
          "revenue_90d_per_member": pl.Float64, "repeat_rate": pl.Float64, "token_first_order_share": pl.Float64,
          "valid_members": pl.Int64, "vanity_headcount": pl.Int64, "valid_share": pl.Float64})
VALID_MEMBER_WINDOW = dt.timedelta(days=180)


def channel_scorecard(
    members: pl.LazyFrame,
    friends: pl.LazyFrame,
    orders: pl.LazyFrame,
    *,
    start: dt.date | None,
    end: dt.date,
    as_of: dt.date,
    by: str = "member",
    coupon_max_cents: int = COUPON_ONLY_MAX_CENTS,
    token_orders: pl.LazyFrame | None = None,
    assume_sorted: bool = False,
) -> pl.DataFrame:
    """members: member_id, joined_at, channel; friends: member_id, added_at, deleted_at, channel, add_way;
    orders: member_id, paid_at, net_cents (valid orders); token_orders: the valid orders that may be token
    orders, with paid_cents, discount_cents, has_coupon too (default: `orders`, which then needs them).
    assume_sorted: orders are sorted by member (the cached frame is): the join to members is a merge."""
    if by not in BY:
        raise MetricError(f"by={by!r}：只能是 {' | '.join(BY)} / by must be one of {BY}")
    hi = dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time())
    end_hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
    day = dt.timedelta(days=1)
    cohort = members.filter(pl.col("joined_at") < min(hi, end_hi))
    if start is not None:
        cohort = cohort.filter(pl.col("joined_at") >= dt.datetime.combine(start, dt.time()))
    first_friend = (
        friends.filter(pl.col("added_at") < hi)
        .group_by("member_id")
        .agg(pl.col("added_at", "deleted_at", "channel", "add_way").sort_by("added_at").first())
        .select("member_id", pl.col("added_at").alias("f_added"),
                pl.when(pl.col("deleted_at") < hi).then(pl.col("deleted_at")).alias("f_deleted"),
                pl.col("channel").alias("f_channel"), pl.col("add_way").alias("f_add_way"))
    )
    is_open = (friends.filter((pl.col("added_at") < hi) & (pl.col("deleted_at").is_null() | (pl.col("deleted_at") >= hi)))
               .select("member_id").unique().with_columns(pl.lit(True).alias("open")))
    in_time = orders.filter(pl.col("paid_at") < hi)
    after = (
        (attach_member_columns(in_time, cohort, ["joined_at"]) if assume_sorted
         else in_time.join(cohort.select("member_id", "joined_at"), on="member_id"))
        .filter(pl.col("paid_at") >= pl.col("joined_at"))
    )
    since = pl.col("paid_at") - pl.col("joined_at")
    tokens = (
        (orders if token_orders is None else token_orders).filter(token_order(coupon_max_cents))
        .select("member_id", pl.col("paid_at").alias("first_paid")).unique()
        .with_columns(pl.lit(True).alias("token_first"))
    )
    per_buyer = after.group_by("member_id").agg(
        pl.col("paid_at").cast(pl.Date).n_unique().alias("days"),
        pl.col("paid_at").min().alias("first_paid"),
        (since < 30 * day).any().alias("b30"),
        (since < 90 * day).any().alias("b90"),
        pl.col("net_cents").filter(since < 90 * day).sum().alias("net_90"),
    ).join(tokens, on=["member_id", "first_paid"], how="left")
    # A buyer from before joining can still be a recent buyer (valid member) — use every order for that.
    recent_any = (orders.filter((pl.col("paid_at") < hi) & (pl.col("paid_at") >= hi - VALID_MEMBER_WINDOW))
                  .select("member_id").unique().with_columns(pl.lit(True).alias("recent_any")))
    channel = {"member": pl.col("channel"), "friend_channel": pl.col("f_channel"), "add_way": pl.col("f_add_way")}[by]
    age = pl.lit(hi) - pl.col("joined_at")
    f_age = pl.lit(hi) - pl.col("f_added")
    lasted = pl.col("f_deleted") - pl.col("f_added")

    def share(num: pl.Expr, den: pl.Expr) -> pl.Expr:
        return pl.when(den.sum() > 0).then(num.sum() / den.sum())

    def deleted(n: int) -> pl.Expr:
        judged = pl.col("f_added").is_not_null() & (f_age >= n * day)
        return share(judged & pl.col("f_deleted").is_not_null() & (lasted < n * day), judged).alias(f"deleted_{n}d")

    def bought(n: int) -> pl.Expr:
        judged = age >= n * day
        return share(judged & pl.col(f"b{n}").fill_null(False), judged).alias(f"buyer_{n}d")

    buyer = pl.col("days").is_not_null()
    mature90 = age >= 90 * day
    valid = pl.col("open").fill_null(False) | pl.col("recent_any").fill_null(False)
    return (
        cohort.join(first_friend, on="member_id", how="left")
        .join(per_buyer, on="member_id", how="left")
        .join(is_open, on="member_id", how="left")
        .join(recent_any, on="member_id", how="left")
        .with_columns(channel.fill_null(UNKNOWN).alias("channel_key"))
        .group_by("channel_key")
        .agg(
            pl.len().alias("added"),
            pl.col("f_added").is_not_null().sum().alias("friends"),
            deleted(1), deleted(7), deleted(30),
            bought(30), bought(90),
            pl.when(mature90.sum() > 0)
            .then(pl.col("net_90").fill_null(0).filter(mature90).sum() / 100 / mature90.sum())
            .alias("revenue_90d_per_member"),
            share(buyer & (pl.col("days") >= 2), buyer).alias("repeat_rate"),
            share(buyer & pl.col("token_first").fill_null(False), buyer).alias("token_first_order_share"),
            valid.sum().alias("valid_members"),
        )
        .rename({"channel_key": "channel"})
        .with_columns(pl.col("added").alias("vanity_headcount"),
                      (pl.col("valid_members") / pl.col("added")).alias("valid_share"))
        .sort(["added", "channel"], descending=[True, False])
        .select(list(SCHEMA)).collect().cast(SCHEMA)
    )
