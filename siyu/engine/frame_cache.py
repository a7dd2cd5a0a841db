"""Order frames kept in memory between metric runs, and the global filters applied to them in memory.

Fetching the narrow valid-order frame (~1.5 s for 10M orders, sorted) would dominate every metric run,
so one unscoped copy per query is kept per process and reused until the data changes: the key is the data
version (siyu.db.frame_store: a new import, an undo, a demo rebuild change it; logins and audit rows do not).
A process that starts fresh reads the frames from the files siyu.db.frame_store keeps next to the database
instead of fetching them (~0.1 s instead of ~1.5 s). One database at a time: a second one replaces the first.

Global filters do not refetch a frame through the scope's temp views (siyu.db.scope): the run's scope
(its member population and store) is a value of the read context (siyu.engine.scoping, or read back from
a connection a caller scoped itself: siyu.engine.context.read_scope), and the unscoped frame, which carries
a `store_code` column (an integer per store, named by queries/m_store_codes.sql: store names would double
the frame), is filtered in memory. docs/architecture.md has the measurements behind that choice.
Those are the rows the views would give (tests/metrics/test_scope_in_memory.py runs every metric the
pages use both ways); the last few scopes' frames are kept too, so the metrics of one page run filter once.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar, cast

import duckdb
import polars as pl

from siyu.db import frame_store, query
from siyu.engine.context import ReadContext, Scope
from siyu.errors import SiyuError

SCOPE_IN_MEMORY = True
"""False: a scoped connection fetches through the scope's views (the tests compare both ways)."""

Key = tuple[object, ...]
"""A cache key: the data version (siyu.db.frame_store.Version), with the scope's key and a name."""

_FRAMES: dict[str, tuple[Key, pl.DataFrame]] = {}  # query name -> (database key, unscoped frame)
_STORE_CODES: dict[Key, dict[str, int]] = {}  # database key -> store -> store_code of the frames
_SCOPED: OrderedDict[Key, pl.DataFrame] = OrderedDict()  # the last few scopes' filtered frames
_SCOPED_ENTRIES = 6
_VALUES: OrderedDict[Key, Any] = OrderedDict()  # small results per database state and scope (memo)
_VALUE_ENTRIES = 64
_LARGE: OrderedDict[Key, Any] = OrderedDict()  # per-buyer frames and model fits (memo, large=True)
_LARGE_ENTRIES = 6
_POPULATIONS: OrderedDict[Key, Any] = OrderedDict()  # member ids of the last few filter sets (memo, population=True)
_POPULATION_ENTRIES = 8  # up to ~8 MB each at 10M orders; apart so they never push a model fit out
_LOCK = threading.Lock()
_log = logging.getLogger(__name__)
_FETCH_LOCK = threading.Lock()  # one fetch at a time: a second caller waits, then finds the entry

T = TypeVar("T")


def database_key(con: duckdb.DuckDBPyConnection) -> Key:
    """The database's data version (siyu.db.frame_store.data_version); () for an in-memory database, which
    nothing vouches for, so it is never cached. Ask on an unscoped connection."""
    return frame_store.data_version(con)


def _scope_key(scope: Scope | None) -> Key:
    return () if scope is None else (scope.key, SCOPE_IN_MEMORY)


def state(ctx: ReadContext) -> Key:
    """The database state and the context's scope, as a cache key for anything computed from the
    cached frames (or from the scoped tables); () when the database cannot be cached."""
    return (ctx.version, _scope_key(ctx.scope)) if ctx.version else ()


def unscoped(ctx: ReadContext, name: str) -> tuple[Key, pl.DataFrame]:
    """(database key, frame) of queries/NAME.sql on the whole database, from the process cache when the
    database is unchanged."""
    key, frame, _codes = _unscoped(ctx.con, ctx.version, name)
    return key, frame


def _unscoped(con: duckdb.DuckDBPyConnection, key: Key, name: str) -> tuple[Key, pl.DataFrame, dict[str, int] | None]:
    """`unscoped` on `con`, whose database's data version is `key`, plus store -> store_code when the frame
    has a `store_code` column."""
    with _LOCK:
        hit = _FRAMES.get(name)
    if key and hit is not None and hit[0] == key:
        return (*hit, _STORE_CODES.get(key))
    with _FETCH_LOCK:  # one fetch at a time; a caller that waited here finds what the other one fetched
        with _LOCK:
            hit = _FRAMES.get(name)
        if key and hit is not None and hit[0] == key:
            return (*hit, _STORE_CODES.get(key))
        plain = con.cursor()
        try:
            # The file is written by a thread: the page waiting for this frame does not wait for the write.
            frame = frame_store.fetch(plain, name, key, background=True) if key else query(plain, name)
            codes = None
            if "store_code" in frame.columns:
                stores = frame_store.fetch(plain, "m_store_codes", key) if key else query(plain, "m_store_codes")
                codes = dict(stores.iter_rows())
        finally:
            plain.close()
        if key:
            with _LOCK:
                if any(k != key for k, _ in _FRAMES.values()):  # another database state: drop everything
                    _FRAMES.clear()
                    _STORE_CODES.clear()
                    _SCOPED.clear()
                    _VALUES.clear()
                    _LARGE.clear()
                    _POPULATIONS.clear()
                _FRAMES[name] = (key, frame)
                if codes is not None:
                    _STORE_CODES[key] = codes
        return key, frame, codes


def scoped(ctx: ReadContext, name: str) -> pl.DataFrame:
    """queries/NAME.sql in the context's scope. Its rows must carry `member_id`; order rows also carry
    `store_code` (dropped from the result) or `store` (the name, kept), which the store filter needs: tables
    without a store (members, friends) are restricted by the member filters only, as siyu.db.scope's views
    restrict them."""
    scope = ctx.scope
    if scope is not None and not SCOPE_IN_MEMORY:
        frame = query(ctx.con, name)
        return frame.drop("store_code") if "store_code" in frame.columns else frame
    base_key, base, codes = _unscoped(ctx.con, ctx.version, name)
    has_store = "store_code" in base.columns
    if scope is None:
        return base.drop("store_code") if has_store else base
    key = (name, base_key, _scope_key(scope)) if base_key else None
    with _LOCK:
        hit = _SCOPED.get(key) if key else None
        if key and hit is not None:
            _SCOPED.move_to_end(key)
            return hit
    store, ids = scope.store, scope.member_ids
    keep = pl.lit(True)
    if ids is not None:
        keep = keep & pl.col("member_id").is_in(ids.implode())
    if store is not None and has_store:
        code = (codes or {}).get(store)
        # A store no order names matches nothing; a NULL store never equals one.
        keep = keep & (pl.col("store_code") == code).fill_null(False) if code is not None else pl.lit(False)
    elif store is not None and "store" in base.columns:
        keep = keep & (pl.col("store") == store).fill_null(False)
    frame = base.filter(keep)
    frame = frame.drop("store_code") if has_store else frame
    if key:
        with _LOCK:
            _SCOPED[key] = frame
            while len(_SCOPED) > _SCOPED_ENTRIES:
                _SCOPED.popitem(last=False)
    return frame


def memo(ctx: ReadContext, name: Hashable, compute: Callable[[], T], *, large: bool = False,
         population: bool = False) -> T:
    """`compute()` once per database state, scope and `name` (hashable). Small values (a day) are kept by
    the dozen; `large` ones (a frame per buyer, a model fit) only the last few, and so are the scopes'
    member populations (`population`, siyu.engine.scoping), in a pool of their own."""
    at = state(ctx)
    if not at:
        return compute()
    store, limit = ((_POPULATIONS, _POPULATION_ENTRIES) if population else (_LARGE, _LARGE_ENTRIES) if large
                    else (_VALUES, _VALUE_ENTRIES))
    key = (name, at)
    with _LOCK:
        if key in store:
            store.move_to_end(key)
            return cast(T, store[key])
    value = compute()
    with _LOCK:
        store[key] = value
        while len(store) > limit:
            store.popitem(last=False)
    return value


WARM = ("m_valid_orders_narrow", "kpi_members", "m_members", "kpi_friends", "m_friends", "m_member_snapshots",
        "m_order_last_paid")
"""The frames the analysis pages start from (siyu.engine.inputs)."""
WARM_STORED = ("pg_scope_options",)
"""Small results every page asks for that are slow to compute (the global filters' options): on disk only."""


def warm(path: str | Path, timeout: float) -> None:
    """Load the frames every page starts from into this process (from the files next to the database, or
    fetched and stored there). The dashboard calls it in a background thread at start and after an import;
    the command line after an import, so the next dashboard start finds them on disk. Errors are left for
    whoever needs the frames to report; they are logged here (a busy or unreadable file, a failed query),
    and a bug (any other exception) is raised."""
    from siyu.db import reading

    try:
        with reading(Path(path), timeout) as con:
            key = database_key(con)
            for name in WARM:
                _unscoped(con, key, name)
            for name in WARM_STORED:
                if key:
                    frame_store.fetch(con, name, key)
        frame_store.wait_saved()  # the command line returns with the files written
    except (SiyuError, duckdb.Error, OSError, pl.exceptions.PolarsError) as exc:
        # Warming never fails anything: the page's (or the next command's) own fetch reports it.
        _log.warning("frames not loaded ahead for %s: %s", path, exc)


def clear() -> None:
    with _LOCK:
        _FRAMES.clear()
        _STORE_CODES.clear()
        _SCOPED.clear()
        _VALUES.clear()
        _LARGE.clear()
        _POPULATIONS.clear()
