"""Narrow frames fetched from DuckDB for the metrics (integer keys, timestamps, cents), nothing wider.

Metrics themselves never touch the database: they take these frames, so tests can feed literal ones.
"""

from __future__ import annotations

import os
import threading

import duckdb
import polars as pl

from siyu.db import query
from siyu.metrics.order_runs import sorted_by_member_day


def members(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, joined_at."""
    return query(con, "kpi_members").lazy()


def valid_orders(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of valid orders."""
    return query(con, "kpi_valid_orders").lazy()


def friends(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, added_at, deleted_at of every friendship."""
    return query(con, "kpi_friends").lazy()


# --- analytics inputs (retention, rfm, concentration, tiers, referrals, channels) ---


def valid_order_days(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, day, net_cents, orders: valid orders summed per member per calendar day."""
    return query(con, "m_valid_order_days").lazy()


_ORDERS_CACHE: dict[tuple, pl.DataFrame] = {}
_ORDERS_LOCK = threading.Lock()


def _cache_key(con: duckdb.DuckDBPyConnection) -> tuple:
    state = query(con, "m_cache_state").row(0)
    path = state[0]
    try:
        stat = os.stat(path)
        return (*state, stat.st_mtime_ns, stat.st_size)
    except (OSError, TypeError):  # in-memory database: no file to vouch for it, never cache
        return ()


def valid_orders_cached(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of every valid order, sorted by member then day, kept in memory
    while the database is unchanged.

    The cohort metrics all start from this one narrow frame; fetching it (~0.5 s and ~240 MB for 10M
    orders) dominates a metric's run, so one copy is kept per process and reused until the file or
    its import state changes (a new import, an undo, a demo rebuild: the key holds the file's mtime
    and size and the import batches' state). One entry only: a second database replaces the first.
    """
    key = _cache_key(con)
    with _ORDERS_LOCK:
        hit = _ORDERS_CACHE.get(key) if key else None
    if hit is None:
        hit = sorted_by_member_day(query(con, "m_valid_orders_narrow"))
        if key:
            with _ORDERS_LOCK:
                _ORDERS_CACHE.clear()
                _ORDERS_CACHE[key] = hit
    return hit.lazy()


def clear_orders_cache() -> None:
    with _ORDERS_LOCK:
        _ORDERS_CACHE.clear()


def members_channel(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, joined_at, channel."""
    return query(con, "m_members").lazy()


def data_last_day(con: duckdb.DuckDBPyConnection):
    """The last day with any data (None on an empty database)."""
    return query(con, "m_data_last_day").item(0, 0)


def tiers(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """tier, rank of the brand's ladder."""
    return query(con, "m_tiers").lazy()


def member_snapshots(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, snapshot_date, tier."""
    return query(con, "m_member_snapshots").lazy()


def snapshot_dates(con: duckdb.DuckDBPyConnection) -> list:
    """Distinct snapshot dates, newest first."""
    return query(con, "m_snapshot_dates")["snapshot_date"].to_list()


def referrals(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """referee_id, referrer_id, referred_at, campaign."""
    return query(con, "m_referrals").lazy()


def valid_orders_flags(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, paid_at, net_cents, paid_cents, discount_cents, has_coupon of valid orders."""
    return query(con, "m_valid_orders_flags").lazy()


def friends_channel(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, added_at, deleted_at, channel, add_way of every friendship."""
    return query(con, "m_friends").lazy()


def order_lines(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, day, product of every line of a valid order (empty when exports have no lines)."""
    return query(con, "m_order_lines").lazy()


def token_order_candidates(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """Valid orders that may be token orders (paid 0, a discount or a coupon), with their flag columns."""
    return query(con, "m_token_order_candidates").lazy()
