"""How an order already stored and a row of it in another export combine (docs/import.md "Merging exports").

The stored order is a function of the SET of rows ever imported for it, never of the order they came in:
- `refunded_cents`: the largest refund seen (refunds never shrink);
- `status`: the furthest along unpaid < paid < partially_refunded < cancelled < refunded (cancellation and
  refund are terminal: no export makes such an order valid again);
- the other fields (`WINNER_FIELDS`) and `snapshot_at`: those of the winning row — a row with a payment
  beats an unpaid one, then the later snapshot wins, then (two rows of one snapshot that disagree) the
  larger value, field by field, so even a tie is decided the same way whatever was imported first.
Each rule is a maximum over a fixed total order, so the merge is commutative, associative and idempotent:
importing exports in any order, or one export twice, gives the same orders.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

RANK = {"unpaid": 0, "paid": 1, "partially_refunded": 2, "cancelled": 3, "refunded": 4}
WINNER_FIELDS = ["paid_cents", "paid_at", "created_at", "discount_cents", "store", "sales_channel", "distributor",
                 "coupon_code"]
VALUE_FIELDS = ["status", "refunded_cents", *WINNER_FIELDS]
MERGED = [*VALUE_FIELDS, "snapshot_at"]


def _rank(col: str) -> pl.Expr:
    return pl.col(col).replace_strict(RANK, default=0, return_dtype=pl.Int8)


def _later(pairs: list[tuple[pl.Expr, pl.Expr]]) -> pl.Expr:
    """Whether the first tuple is greater than the second, lexicographically, a null below any value."""
    out = pl.lit(False)
    for a, b in reversed(pairs):
        greater = (a.is_not_null() & b.is_null()) | (a > b).fill_null(False)
        out = greater | (a.eq_missing(b) & out)
    return out


def merge_orders(incoming: pl.DataFrame, stored: pl.DataFrame) -> pl.DataFrame:
    """One row per incoming order that is already stored: order_id, the merged MERGED columns, and
    `changed` (a value differs from the stored one: an update), `newer` (only snapshot_at moves: the same
    values seen in a later export, written so a later merge compares against it, counted as a duplicate),
    `stale` (the row holds an older state of some value than the one kept).

    incoming: order_id + MERGED columns; stored: order_id + MERGED columns as stored."""
    both = incoming.select("order_id", *MERGED).join(
        stored.select("order_id", *[pl.col(c).alias(f"o_{c}") for c in MERGED]), on="order_id")
    keys = ["snapshot_at", *WINNER_FIELDS]
    wins = _later([(pl.col("status") != "unpaid", pl.col("o_status") != "unpaid"),
                   *[(pl.col(c), pl.col(f"o_{c}")) for c in keys]])
    rank = pl.max_horizontal(_rank("status"), _rank("o_status"))
    merged = both.with_columns(
        *[pl.when(wins).then(pl.col(c)).otherwise(pl.col(f"o_{c}")).alias(f"m_{c}") for c in keys],
        pl.max_horizontal("refunded_cents", "o_refunded_cents").alias("m_refunded_cents"),
        rank.alias("_rank"),
    ).with_columns(
        pl.col("_rank").replace_strict({v: k for k, v in RANK.items()}, return_dtype=pl.Utf8).alias("m_status"))
    differs = [pl.col(f"m_{c}").ne_missing(pl.col(f"o_{c}")) for c in VALUE_FIELDS]
    incoming_differs = [pl.col(c).ne_missing(pl.col(f"o_{c}")) for c in VALUE_FIELDS]
    return merged.select(
        "order_id", *[pl.col(f"m_{c}").alias(c) for c in MERGED],
        pl.any_horizontal(differs).alias("changed"),
        (~pl.any_horizontal(differs) & pl.col("m_snapshot_at").ne_missing(pl.col("o_snapshot_at"))).alias("newer"),
        (~pl.any_horizontal(differs) & pl.any_horizontal(incoming_differs)).alias("stale"),
    )


def export_snapshot(orders: pl.DataFrame, dated: dt.date | None) -> dt.datetime | None:
    """The moment an order export describes, as late as the file proves: the start of the day it was taken
    (`--snapshot-date`, else a date in its file name) or the newest payment/creation time in it, whichever
    is later — an export cannot hold a payment made after it was taken. None when the file has neither."""
    times: list[dt.datetime] = [t for c in ("paid_at", "created_at") if c in orders.columns
                                and isinstance(t := orders[c].max(), dt.datetime)]
    if dated is not None:
        times.append(dt.datetime.combine(dated, dt.time()))
    return max(times) if times else None
