"""Every Streamlit cache in siyu, and the key that keeps them honest.

Cached loaders take plain values only (the database path as a string, sorted parameter pairs) plus
`DbState.key`, the data version (siyu.db.frame_store.data_version, queries/m_data_version.sql): the same
key as the engine's frames in memory and on disk, so an import, an update of an existing order, an undo,
clearing the demo or a migration that redefines a view refreshes every page and every frame at once. Entries are bounded
(max_entries, ttl). Each loader opens a short-lived read-only connection and closes it before
returning, so no DuckDB connection outlives one page run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from array import array
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl
import streamlit as st

from siyu.auth.runtime_settings import effective
from siyu.config import Settings, load_settings
from siyu.db import frame_store, query, reading
from siyu.db.scope import Scope
from siyu.engine import lookups
from siyu.engine.catalog import run_metric
from siyu.engine.context import ReadContext, data_version
from siyu.engine.scoping import scoped_context

_TTL = dt.timedelta(minutes=30)


@dataclass(frozen=True)
class DbState:
    """What the dashboard must know before drawing a page: is there data, is it the demo."""

    batch_id: int
    batches: int
    demo_batches: int
    real_batches: int
    demo_cleared: bool
    version: tuple = ()
    """The data version (siyu.db.frame_store.data_version)."""

    @property
    def key(self) -> tuple:
        """The key of every cache: the data version, or (batch id, batches) for a database that has none
        (in memory, never cached by the engine)."""
        return self.version or (self.batch_id, self.batches)

    @property
    def is_demo(self) -> bool:
        """Demo rows are in the database (alone or mixed with imported data): the banner says so."""
        return self.demo_batches > 0

    @property
    def wants_demo(self) -> bool:
        """Nothing was ever imported and nobody cleared the demo: autodemo may build it."""
        return self.demo_batches == 0 and self.real_batches == 0 and not self.demo_cleared


def current_settings() -> Settings:
    """Settings from the environment with what admins stored on the 账户与审计 page applied (a SIYU_*
    variable wins; siyu.auth.runtime_settings). Read on every run, so a change applies from the next run
    without a restart (and tests may change the environment)."""
    return effective(load_settings())


_RUN_KEY = "_siyu_run"


def remember_run(settings: Settings, state: DbState) -> None:
    """app.py hands this run's settings and state to the page, so the page does not ask the database again."""
    st.session_state[_RUN_KEY] = (settings, state)


def page_context() -> tuple[Settings, DbState]:
    """The settings and database state of this run (set by app.py just before the page runs)."""
    found = st.session_state.get(_RUN_KEY)
    if found is None:
        settings = current_settings()
        found = (settings, db_state(settings))
    return found


def db_state(settings: Settings) -> DbState:
    """Fresh on every run (never cached): it is the key of everything that is."""
    with reading(settings.db, settings.lock_timeout) as con:
        row = query(con, "latest_batch").row(0, named=True)
        cleared = query(con, "demo_cleared").item(0, 0)
        version = frame_store.data_version(con)
    return DbState(int(row["batch_id"]), int(row["batches"]), int(row["demo_batches"]),
                   int(row["real_batches"]), bool(cleared), version)


class DataChanged(Exception):
    """A write changed the data version between this run's `db_state` and a loader's connection."""


def _state_key(con: duckdb.DuckDBPyConnection) -> tuple:
    """`DbState.key` as the database behind `con` stands now (ask before the global filters apply)."""
    version = frame_store.data_version(con)
    if version:
        return version
    row = query(con, "latest_batch").row(0, named=True)
    return (int(row["batch_id"]), int(row["batches"]))


def _same_state(con: duckdb.DuckDBPyConnection, key: tuple) -> None:
    """Refuse to compute (and so to cache) under `key` what the file no longer holds.

    A page run reads the data state once, then opens one short-lived connection per loader; an import
    can commit in between. Without this check a loader would compute on the new data and cache it under
    the old key, and the page would mix old and new figures. Raised inside the cached function, so nothing
    is cached; `_fresh` reruns the page, which then reads the new state everywhere."""
    if _state_key(con) != tuple(key):
        raise DataChanged


def _fresh(load, *args, **kwargs):
    try:
        return load(*args, **kwargs)
    except DataChanged:
        st.rerun()


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def data_bounds(db: str, key: tuple, timeout: float) -> tuple[dt.date | None, dt.date | None]:
    """First and last day with any member, order or friendship (None, None on an empty database)."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        row = query(con, "data_bounds").row(0, named=True)
    first, last = row["first_at"], row["last_at"]
    return (first.date() if first else None, last.date() if last else None)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def last_order_day(db: str, key: tuple[int, int], timeout: float) -> dt.date | None:
    """The day of the last paid order (None without orders): where the default range ends."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        last = query(con, "data_bounds").row(0, named=True)["last_order_at"]
    return last.date() if last else None


@st.cache_data(max_entries=128, ttl=_TTL, show_spinner=False)
def metric(db: str, name: str, params: tuple[tuple[str, str], ...], key: tuple,
           timeout: float, scope: tuple[tuple[str, str], ...] = ()) -> pl.DataFrame:
    """A registered metric's frame for these parameters (as sorted (name, value) string pairs), on the
    population of the global filters `scope` (siyu.db.scope; empty = everyone)."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)  # before the scope's temp views, which shadow the tables the version counts
        # The version just checked is the run's: not read a second time (siyu.engine.context); the scope
        # is a value the engine applies (siyu.engine.scoping).
        _spec, frame = run_metric(con, name, dict(params), version=key if frame_store.is_version(key) else None,
                                  scope=Scope(**dict(scope)))
    return frame


def load_metric(settings: Settings, state: DbState, name: str, scope: Scope | None = None, **params: str) -> pl.DataFrame:
    """`metric` with the plain-value key built for the caller."""
    return _fresh(metric, str(settings.db), name, tuple(sorted(params.items())), state.key, settings.lock_timeout,
                  scope.key() if scope else ())


def _scoped_context(con: duckdb.DuckDBPyConnection, key: tuple, scope: tuple[tuple[str, str], ...]) -> ReadContext:
    """The engine's read context of a loader's connection, in `scope`, under the data version just checked."""
    return scoped_context(con, key if frame_store.is_version(key) else data_version(con), Scope(**dict(scope)))


def ids_digest(ids: tuple[int, ...]) -> str:
    """A 128-bit digest of a member-id tuple: the cache key that stands for it (~20 ms for a million ids,
    where Streamlit's own hashing of the tuple takes seconds)."""
    return hashlib.blake2b(array("q", ids).tobytes(), digest_size=16).hexdigest()


@st.cache_data(max_entries=64, ttl=_TTL, show_spinner=False)
def contacts(db: str, digest: str, key: tuple, timeout: float, scope: tuple[tuple[str, str], ...],
             _ids: tuple[int, ...]) -> pl.DataFrame:
    """siyu.engine.lookups.member_contacts of `_ids` (not hashed by Streamlit: the leading underscore; its
    `digest` is in the key instead)."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        return lookups.member_contacts(_scoped_context(con, key, scope), _ids)


def load_contacts(settings: Settings, state: DbState, ids: tuple[int, ...], scope: Scope | None = None) -> pl.DataFrame:
    """member_id (string), display_name, phone, last_order of the listed members (lookups.member_ids(frame)
    gives the tuple of a drill-down's frame)."""
    return _fresh(contacts, str(settings.db), ids_digest(ids), state.key, settings.lock_timeout,
                  scope.key() if scope else (), ids)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def snapshot_dates(db: str, key: tuple, timeout: float, scope: tuple[tuple[str, str], ...]) -> tuple[dt.date, ...]:
    """siyu.engine.lookups.snapshot_dates: the member-export snapshot dates in `scope`, newest first."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        return lookups.snapshot_dates(_scoped_context(con, key, scope))


def load_snapshot_dates(settings: Settings, state: DbState, scope: Scope | None = None) -> tuple[dt.date, ...]:
    return _fresh(snapshot_dates, str(settings.db), state.key, settings.lock_timeout, scope.key() if scope else ())


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def scope_options(db: str, key: tuple, timeout: float) -> pl.DataFrame:
    """kind, value, label, n of every value the global filters accept (queries/pg_scope_options.sql)."""
    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        # Slow at 10M orders (~0.3 s, a scan of every order's store) and asked by every page: kept on disk.
        return frame_store.fetch(con, "pg_scope_options", key if frame_store.is_version(key) else ())


def load_scope_options(settings: Settings, state: DbState) -> pl.DataFrame:
    return _fresh(scope_options, str(settings.db), state.key, settings.lock_timeout)


@st.cache_data(max_entries=32, ttl=_TTL, show_spinner=False)
def saved_segments(db: str, key: tuple, timeout: float) -> pl.DataFrame:
    """name, definition, created_by, created_at, updated_at of every saved segment (siyu/segments.py); the
    data version includes them, so a save or delete refreshes this."""
    from siyu.segments import list_segments

    with reading(Path(db), timeout) as con:
        _same_state(con, key)
        return list_segments(con)


def load_saved_segments(settings: Settings, state: DbState) -> pl.DataFrame:
    return _fresh(saved_segments, str(settings.db), state.key, settings.lock_timeout)


_WARMED: dict[str, tuple] = {}  # database -> the data state last warmed
_WARM_LOCK = threading.Lock()


def warm_up(settings: Settings, state: DbState) -> None:
    """Once per server process, database and data state: load the frames every analysis page starts from
    (siyu.engine.frame_cache.warm: from the files next to the database, ~0.3 s at 10M orders, or fetched
    from DuckDB, ~2 s) and import the chart modules, in a background thread, so the first page
    does not wait for all of it. A page that needs a frame before the thread is done waits for that one
    fetch instead of starting another. A new import (from the Import page or the command line) changes the
    state, so its frames are loaded as soon as any page runs."""
    key = str(settings.db)
    if not Path(key).exists() or state.batches == 0:  # nothing to load yet
        return
    with _WARM_LOCK:
        if _WARMED.get(key) == state.key:
            return
        _WARMED[key] = state.key

    def work() -> None:
        import siyu.charts.retention  # noqa: F401 - plotly and the chart builders, imported once
        from siyu.engine import frame_cache

        frame_cache.warm(key, settings.lock_timeout)

    threading.Thread(target=work, name="siyu-warm-up", daemon=True).start()


def load_bounds(settings: Settings, state: DbState) -> tuple[dt.date | None, dt.date | None]:
    return _fresh(data_bounds, str(settings.db), state.key, settings.lock_timeout)


def load_last_order_day(settings: Settings, state: DbState) -> dt.date | None:
    return _fresh(last_order_day, str(settings.db), state.key, settings.lock_timeout)
