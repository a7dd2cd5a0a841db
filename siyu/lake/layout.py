"""Where each table lives in a lake directory, and the stable member bucket that partitions it.

A lake is a directory holding `manifest.json` and one folder per table. Member-keyed tables are
hive-partitioned by `bucket=K` (K in 0..buckets-1); the small or graph-shaped ones (tiers, referrals) are
one Parquet file each. docs/scale.md shows the layout.
"""

from __future__ import annotations

import polars as pl

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
DEFAULT_BUCKETS = 16

# table -> (the engine query it is exported from, is it partitioned by member bucket)
TABLES: dict[str, tuple[str, bool]] = {
    "members": ("m_members", True),          # member_id, joined_at, channel
    "orders": ("lake_valid_orders", True),   # member_id, paid_at, net_cents: valid orders only
    "friends": ("m_friends", True),          # member_id, added_at, deleted_at, channel, add_way
    "snapshots": ("m_member_snapshots", True),  # member_id, snapshot_date, tier
    "tiers": ("m_tiers", False),             # tier, rank
    "referrals": ("m_referrals", False),     # referee_id, referrer_id, referred_at, campaign
}

_GOLDEN = 2654435761  # Knuth's multiplicative hash constant (2^32 / golden ratio)


def bucket_expr(column: str, buckets: int) -> pl.Expr:
    """The member's bucket: (member_id mod 2^32) x 2654435761 mod 2^32 mod buckets, in unsigned 64-bit
    arithmetic that cannot overflow. Stable across Polars, DuckDB and Spark versions (unlike their own
    hash functions), and it spreads consecutive ids evenly (ids are assigned in import order)."""
    low = pl.col(column).cast(pl.UInt64) % (1 << 32)
    return ((low * _GOLDEN) % (1 << 32) % buckets).cast(pl.Int32).alias("bucket")


def bucket_of(member_id: int, buckets: int) -> int:
    """bucket_expr for one id (docs and tests)."""
    return ((member_id % (1 << 32)) * _GOLDEN) % (1 << 32) % buckets
