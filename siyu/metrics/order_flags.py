"""Order-level flags shared by the community metrics: zero-amount and coupon-only ("token") orders.

- zero-amount order: a valid order with paid_cents = 0 (free sample, 0 元试用).
- coupon-only order: a valid order that used a discount (discount_cents > 0 or a coupon code) and
  whose net amount is at most COUPON_ONLY_MAX_CENTS (9.90 yuan, the usual 9.9 元 hook price).
A token order is either; members whose orders are all token orders are the coupon hunters (羊毛党)
the channel scorecard and the referral leaderboard can set apart.
"""

from __future__ import annotations

import polars as pl

COUPON_ONLY_MAX_CENTS = 990


def zero_amount() -> pl.Expr:
    return pl.col("paid_cents") == 0


def coupon_only(max_cents: int = COUPON_ONLY_MAX_CENTS) -> pl.Expr:
    return ((pl.col("discount_cents") > 0) | pl.col("has_coupon")) & (pl.col("net_cents") <= max_cents)


def token_order(max_cents: int = COUPON_ONLY_MAX_CENTS) -> pl.Expr:
    """Zero-amount or coupon-only."""
    return zero_amount() | coupon_only(max_cents)
