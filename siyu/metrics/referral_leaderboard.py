"""One row per referrer, best first: rank, member_id, referees, referee_buyers, referee_gmv, excluded_referees, descendants.

Definitions (docs/metrics/referrals.md#referral_leaderboard):
- Edges are first-referrer-wins with cycles broken (see `referrals`).
- referees = direct referees that count; referee_buyers = those with a valid order on or after the
  day they were referred; referee_gmv = net amount (yuan) of those orders; descendants = all members
  below the referrer in the forest (unfiltered).
- exclude_deleted: a referee who has friendships and has deleted (or been deleted from) every one of
  them does not count. exclude_coupon_only: a referee whose valid orders are all zero-amount or
  coupon-only (`order_flags`: paid 0, or a discount/coupon with net <= 9.90 yuan) does not count.
  excluded_referees says how many were set aside.
- Ranked by referee_buyers, then referee_gmv, then referees, then member_id; `top` rows (0 = all).
"""

from __future__ import annotations

import polars as pl

from siyu.metrics.order_flags import COUPON_ONLY_MAX_CENTS, token_order
from siyu.metrics.referrals import first_referrer, referral_forest

SCHEMA = pl.Schema({"rank": pl.Int64, "member_id": pl.Int64, "referees": pl.Int64, "referee_buyers": pl.Int64,
          "referee_gmv": pl.Float64, "excluded_referees": pl.Int64, "descendants": pl.Int64})


def referral_leaderboard(
    edges: pl.LazyFrame,
    orders: pl.LazyFrame,
    friends: pl.LazyFrame,
    *,
    exclude_deleted: bool = False,
    exclude_coupon_only: bool = False,
    top: int = 100,
    coupon_max_cents: int = COUPON_ONLY_MAX_CENTS,
) -> pl.DataFrame:
    """edges: referee_id, referrer_id, referred_at; orders: member_id, paid_at, net_cents of valid orders,
    plus paid_cents, discount_cents, has_coupon when exclude_coupon_only; friends: member_id, added_at,
    deleted_at."""
    nodes, _ = referral_forest(edges)
    winners, _ = first_referrer(edges)
    if nodes.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    refs = winners.lazy().select("referee_id", "referrer_id", pl.col("referred_at").cast(pl.Date).alias("ref_day"))
    excluded = pl.LazyFrame(schema={"referee_id": pl.Int64})
    if exclude_deleted:
        gone = (friends.group_by("member_id").agg(pl.col("deleted_at").is_null().any().alias("open"))
                .filter(~pl.col("open")).select(pl.col("member_id").alias("referee_id")))
        excluded = pl.concat([excluded, gone])
    if exclude_coupon_only:
        hunters = (orders.group_by("member_id").agg(token_order(coupon_max_cents).all().alias("token"))
                   .filter(pl.col("token")).select(pl.col("member_id").alias("referee_id")))
        excluded = pl.concat([excluded, hunters])
    refs = refs.join(excluded.unique().with_columns(pl.lit(True).alias("excluded")), on="referee_id", how="left")
    counted = refs.filter(pl.col("excluded").is_null())
    spend = (
        counted.join(orders.select(pl.col("member_id").alias("referee_id"), pl.col("paid_at").cast(pl.Date), "net_cents"),
                     on="referee_id")
        .filter(pl.col("paid_at") >= pl.col("ref_day"))
        .group_by("referrer_id").agg(pl.col("referee_id").n_unique().alias("referee_buyers"),
                                     (pl.col("net_cents").sum() / 100).alias("referee_gmv"))
    )
    board = (
        refs.group_by("referrer_id").agg(pl.col("excluded").is_null().sum().alias("referees"),
                                         pl.col("excluded").is_not_null().sum().alias("excluded_referees"))
        .join(spend, on="referrer_id", how="left")
        .join(nodes.lazy().select(pl.col("member_id").alias("referrer_id"), "descendants"), on="referrer_id")
        .with_columns(pl.col("referee_buyers").fill_null(0), pl.col("referee_gmv").fill_null(0.0))
        .sort(["referee_buyers", "referee_gmv", "referees", "referrer_id"], descending=[True, True, True, False])
        .with_row_index("rank", offset=1)
        .rename({"referrer_id": "member_id"})
    )
    if top > 0:
        board = board.head(top)
    return board.select(list(SCHEMA)).collect().cast(SCHEMA)
