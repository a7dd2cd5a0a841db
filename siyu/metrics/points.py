"""One row per period x kind of points change: period, kind, issued, redeemed, expired, deducted, changes, members.

Definitions (docs/metrics/points.md):
- The input is the points ledger (积分明细): member_id, occurred_at, delta (signed), kind, balance_after.
- issued = the sum of positive changes; redeemed = minus the sum of negative `redeem` changes; expired = minus
  the sum of negative `expire` changes; deducted = minus the sum of the other negative changes (refund
  clawbacks, manual corrections). A period is the calendar day / ISO week (Monday) / month of the change.
- `points_balances` (one row per member) and `points_summary` (one row) price what is outstanding: a
  member's balance on `as_of` is the `balance_after` of their latest change on or before it when the export
  carries it (a ledger that starts mid-history still gives the true balance), else the running sum of their
  changes; negative balances count as 0 outstanding. liability = outstanding points x the brand's stored
  value of a point (yuan_per_point), in yuan, rounded half up to the fen once on the total.
- breakage_rate = expired / (redeemed + expired): of the points that reached an end (spent or lapsed) by
  `as_of`, the share that lapsed. Null when none did.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

GRAINS = {"day": "1d", "week": "1w", "month": "1mo"}
FLOW_SCHEMA = pl.Schema({"period": pl.Date, "kind": pl.String, "issued": pl.Int64, "redeemed": pl.Int64,
                         "expired": pl.Int64, "deducted": pl.Int64, "changes": pl.Int64, "members": pl.Int64})
BALANCE_SCHEMA = pl.Schema([("member_id", pl.Int64), ("balance", pl.Int64), ("outstanding", pl.Int64),
                            ("issued", pl.Int64), ("redeemed", pl.Int64), ("expired", pl.Int64),
                            ("last_change", pl.Datetime("us"))])


def _neg(kind: str | None) -> pl.Expr:
    """Minus the sum of the negative changes of `kind` (None: of every kind but redeem and expire)."""
    which = pl.col("kind") == kind if kind else ~pl.col("kind").is_in(["redeem", "expire"])
    return (-pl.when(which & (pl.col("delta") < 0)).then(pl.col("delta")).otherwise(0)).sum().cast(pl.Int64)


def points_flow(ledger: pl.LazyFrame, *, grain: str = "month", start: dt.date | None = None,
                end: dt.date | None = None) -> pl.DataFrame:
    """ledger: member_id, occurred_at, delta, kind. Changes on days [start, end] (both inclusive)."""
    rows = ledger.with_columns(pl.col("occurred_at").cast(pl.Date).alias("day"))
    if start:
        rows = rows.filter(pl.col("day") >= start)
    if end:
        rows = rows.filter(pl.col("day") <= end)
    return (rows.with_columns(pl.col("day").dt.truncate(GRAINS[grain]).alias("period"))
            .group_by("period", "kind")
            .agg(pl.when(pl.col("delta") > 0).then(pl.col("delta")).otherwise(0).sum().cast(pl.Int64).alias("issued"),
                 _neg("redeem").alias("redeemed"), _neg("expire").alias("expired"), _neg(None).alias("deducted"),
                 pl.len().cast(pl.Int64).alias("changes"), pl.col("member_id").n_unique().cast(pl.Int64).alias("members"))
            .sort("period", "kind").collect().select(list(FLOW_SCHEMA)).cast(FLOW_SCHEMA))


def points_balances(ledger: pl.LazyFrame, *, as_of: dt.date | None = None) -> pl.DataFrame:
    """One row per member with a change on or before `as_of`: member_id, balance, outstanding, issued,
    redeemed, expired, last_change. Sorted by outstanding, largest first."""
    rows = ledger
    if as_of:
        rows = rows.filter(pl.col("occurred_at") < dt.datetime.combine(as_of + dt.timedelta(days=1), dt.time()))
    # Several changes at a member's last instant (an order paid with points earns and redeems in one
    # second) come in no known order: the lowest balance after them is taken, the same whatever the file order.
    last = pl.col("occurred_at") == pl.col("occurred_at").max()
    per = (rows.group_by("member_id")
           .agg(pl.col("delta").sum().alias("running"),
                pl.col("balance_after").filter(last).min().alias("last_bal"),
                pl.when(pl.col("delta") > 0).then(pl.col("delta")).otherwise(0).sum().alias("issued"),
                _neg("redeem").alias("redeemed"), _neg("expire").alias("expired"),
                pl.col("occurred_at").max().alias("last_change")))
    bal = pl.coalesce("last_bal", "running")
    return (per.with_columns(bal.cast(pl.Int64).alias("balance"))
            .with_columns(pl.col("balance").clip(lower_bound=0).alias("outstanding"))
            .select(list(BALANCE_SCHEMA)).cast(BALANCE_SCHEMA).collect()
            .sort(["outstanding", "member_id"], descending=[True, False]))


def liability_cents(outstanding: int, yuan_per_point: Decimal | float | str) -> int:
    """Outstanding points x the value of a point, in cents, rounded half up (exact decimal arithmetic)."""
    cents = Decimal(outstanding) * Decimal(str(yuan_per_point)) * 100
    return int(cents.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def points_summary(ledger: pl.LazyFrame, *, as_of: dt.date | None = None,
                   yuan_per_point: Decimal | float | str = "0.01") -> pl.DataFrame:
    """One row: members, issued, redeemed, expired, outstanding, yuan_per_point, liability (yuan), breakage_rate."""
    bal = points_balances(ledger, as_of=as_of)
    issued, redeemed, expired = (int(bal[c].sum()) for c in ("issued", "redeemed", "expired"))
    outstanding = int(bal["outstanding"].sum())
    ended = redeemed + expired
    return pl.DataFrame({
        "members": [bal.filter(pl.col("outstanding") > 0).height], "issued": [issued], "redeemed": [redeemed],
        "expired": [expired], "outstanding": [outstanding], "yuan_per_point": [float(Decimal(str(yuan_per_point)))],
        "liability": [liability_cents(outstanding, yuan_per_point) / 100],
        "breakage_rate": [expired / ended if ended else None]},
        schema={"members": pl.Int64, "issued": pl.Int64, "redeemed": pl.Int64, "expired": pl.Int64,
                "outstanding": pl.Int64, "yuan_per_point": pl.Float64, "liability": pl.Float64,
                "breakage_rate": pl.Float64})
