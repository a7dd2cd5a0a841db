"""Narrow frames fetched from DuckDB for the metrics (integer keys, timestamps, cents), nothing wider.

Metrics themselves never touch the database: they take these frames, so tests can feed literal ones.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path

import duckdb
import polars as pl

from siyu.db import query


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


_ORDERS_CACHE: dict[tuple, pl.DataFrame] = {}   # the unscoped frame (one database at a time)
_SCOPED_CACHE: OrderedDict[tuple, pl.DataFrame] = OrderedDict()  # the last few scopes' filtered frames
_SCOPED_ENTRIES = 4
_ORDERS_LOCK = threading.Lock()
_FETCH_LOCK = threading.Lock()  # one fetch at a time: a second caller waits and then finds the entry
SCOPE_IN_MEMORY = True
"""False: a scoped connection fetches its frame through the scope's views (tests compare both ways)."""


def _cache_key(con: duckdb.DuckDBPyConnection) -> tuple:
    state = query(con, "m_cache_state").row(0)
    path = state[0]
    try:
        stat = os.stat(path)
        return (*state, stat.st_mtime_ns, stat.st_size)
    except (OSError, TypeError):  # in-memory database: no file to vouch for it, never cache
        return ()


def _scope_of(con: duckdb.DuckDBPyConnection) -> tuple[int, str | None, pl.Series | None] | None:
    """(marker, store, member ids or None) of the global filters applied to `con`; None when unscoped."""
    if not query(con, "m_scope_active").item(0, 0):
        return None
    store, marker, restricted = query(con, "m_scope_store").row(0)
    ids = query(con, "m_scope_member_ids")["member_id"] if restricted else None
    return int(marker), store, ids


def _unscoped_frame(con: duckdb.DuckDBPyConnection) -> tuple[tuple, pl.DataFrame]:
    """The cache key and member_id, paid_at, net_cents, store (Categorical) of every valid order of the whole database,
    sorted by member then time; from the process cache when the database is unchanged."""
    with _FETCH_LOCK:
        # A cursor is a second connection to the same database: the scope's temp views are not there.
        plain = con.cursor()
        try:
            key = _cache_key(plain)
            with _ORDERS_LOCK:
                hit = _ORDERS_CACHE.get(key) if key else None
            if hit is not None:
                return key, hit
            frame = query(plain, "m_valid_orders_narrow").with_columns(pl.col("store").cast(pl.Categorical))
        finally:
            plain.close()
        if key:
            with _ORDERS_LOCK:
                _ORDERS_CACHE.clear()
                _SCOPED_CACHE.clear()
                _ORDERS_CACHE[key] = frame
        return key, frame


def valid_orders_cached(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of every valid order in the scope of `con`, sorted by member then
    time, kept in memory while the database is unchanged.

    The cohort metrics and the KPIs all start from this one narrow frame; fetching and sorting it
    (~1.5 s and ~330 MB for 10M orders) would dominate every metric run, so one unscoped copy is kept per
    process and reused until the file or its import state changes (a new import, an undo, a demo rebuild:
    the key holds the file's mtime and size and the import batches' state).

    A scoped connection (siyu.db.scope: global filters) does not refetch through its views: the scope's
    member ids (a small query) and store are read back from its temp tables and the cached frame is
    filtered in memory: the same rows the views would give (tests/metrics/test_scope_in_memory.py
    checks every metric the pages use). The last few scopes' frames are kept too.
    """
    scope = _scope_of(con)
    if scope is not None and not SCOPE_IN_MEMORY:
        return query(con, "m_valid_orders_narrow").drop("store").lazy()
    base_key, base = _unscoped_frame(con)
    if scope is None:
        return base.drop("store").lazy()
    marker, store, ids = scope
    key = (base_key, marker, store, None if ids is None else ids.len()) if base_key else None
    with _ORDERS_LOCK:
        hit = _SCOPED_CACHE.get(key) if key else None
        if hit is not None:
            _SCOPED_CACHE.move_to_end(key)
    if hit is None:
        keep = pl.lit(True)
        if ids is not None:
            keep = keep & pl.col("member_id").is_in(ids.implode())
        if store is not None:
            keep = keep & (pl.col("store") == store).fill_null(False)
        hit = base.filter(keep).drop("store")
        if key:
            with _ORDERS_LOCK:
                _SCOPED_CACHE[key] = hit
                while len(_SCOPED_CACHE) > _SCOPED_ENTRIES:
                    _SCOPED_CACHE.popitem(last=False)
    return hit.lazy()


def orders_state(con: duckdb.DuckDBPyConnection) -> tuple:
    """What `valid_orders_cached(con)` depends on (the database's state and the connection's scope), as a
    cache key for results computed from it; () when the database cannot be cached (in memory)."""
    plain = con.cursor()
    try:
        key = _cache_key(plain)
    finally:
        plain.close()
    scope = _scope_of(con) if key else None
    if scope is None:
        return key
    marker, store, ids = scope
    return (key, marker, store, None if ids is None else ids.len(), SCOPE_IN_MEMORY)


def valid_order_days_cached(con: duckdb.DuckDBPyConnection) -> pl.LazyFrame:
    """member_id, day, net_cents, orders: `valid_order_days` computed from the cached order frame (in the
    scope of `con`), sorted by member then day."""
    return (valid_orders_cached(con)
            .group_by("member_id", pl.col("paid_at").cast(pl.Date).alias("day"), maintain_order=True)
            .agg(pl.col("net_cents").sum().cast(pl.Int64), pl.len().cast(pl.Int64).alias("orders")))


def warm_orders(path: str, timeout: float) -> None:
    """Fetch the unscoped order frame into the process cache (the dashboard calls this in a background
    thread when the server starts; errors are left for the page that needs the frame to report)."""
    from siyu.db import reading

    try:
        with reading(Path(path), timeout) as con:
            _unscoped_frame(con)
    except Exception:  # noqa: BLE001 - a warm-up never fails a page; the page's own fetch reports it
        pass


def clear_orders_cache() -> None:
    with _ORDERS_LOCK:
        _ORDERS_CACHE.clear()
        _SCOPED_CACHE.clear()


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
