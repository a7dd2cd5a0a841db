"""One row per member behind an Overview KPI card: member_id, joined, orders, net (yuan), last_order.

The same definitions as siyu.metrics.kpis (docs/metrics.md) for the range [lo, hi):
- members: members who joined before `hi`;
- new_members: members who joined inside the range;
- valid_members: members (joined before `hi`) still a friend at `hi`, or with a valid order in the 180
  days before `hi`;
- buyers: members with >= 1 valid order paid inside the range;
- repeat_buyers: buyers with valid orders on >= 2 calendar days inside the range (the numerator of
  repurchase_rate).
`orders` and `net` count valid orders paid inside the range; `last_order` is the last one before `hi`.
Its length equals the card's number. Sorted by net, then member_id.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.kpis import VALID_MEMBER_WINDOW, _in_range

CARDS = ("members", "new_members", "valid_members", "buyers", "repeat_buyers")
SCHEMA = {"member_id": pl.Int64, "joined": pl.Date, "orders": pl.Int64, "net": pl.Float64, "last_order": pl.Date}


def kpi_members(members: pl.LazyFrame, valid_orders: pl.LazyFrame, friends: pl.LazyFrame, *, hi: dt.datetime,
                lo: dt.datetime | None, card: str) -> pl.DataFrame:
    """members: member_id, joined_at; valid_orders: member_id, paid_at, net_cents; friends: member_id,
    added_at, deleted_at."""
    if card not in CARDS:
        raise MetricError(f"card={card!r}：只能是 {' | '.join(CARDS)} / card must be one of {CARDS}")
    joined = members.filter(pl.col("joined_at") < hi).select("member_id", "joined_at")
    in_range = valid_orders.filter(_in_range("paid_at", lo, hi))
    per_buyer = in_range.group_by("member_id").agg(
        pl.len().cast(pl.Int64).alias("orders"), (pl.col("net_cents").sum() / 100).alias("net"),
        pl.col("paid_at").dt.date().n_unique().alias("days"))
    if card == "members":
        who = joined.select("member_id")
    elif card == "new_members":
        who = members.filter(_in_range("joined_at", lo, hi)).select("member_id")
    elif card == "valid_members":
        open_friends = friends.filter((pl.col("added_at") < hi)
                                      & (pl.col("deleted_at").is_null() | (pl.col("deleted_at") >= hi)))
        recent = valid_orders.filter((pl.col("paid_at") < hi) & (pl.col("paid_at") >= hi - VALID_MEMBER_WINDOW))
        who = (pl.concat([open_friends.select("member_id"), recent.select("member_id")]).unique()
               .join(joined, on="member_id", how="semi"))
    elif card == "buyers":
        who = per_buyer.select("member_id")
    else:
        who = per_buyer.filter(pl.col("days") >= 2).select("member_id")
    last = (valid_orders.filter(pl.col("paid_at") < hi).group_by("member_id")
            .agg(pl.col("paid_at").max().dt.date().alias("last_order")))
    return (
        who.join(members.select("member_id", pl.col("joined_at").dt.date().alias("joined")), on="member_id",
                 how="left")
        .join(per_buyer.select("member_id", "orders", "net"), on="member_id", how="left")
        .join(last, on="member_id", how="left")
        .with_columns(pl.col("orders").fill_null(0), pl.col("net").fill_null(0.0))
        .select(list(SCHEMA)).collect().cast(SCHEMA)  # type: ignore[arg-type]
        .sort(["net", "member_id"], descending=[True, False])
    )
