"""The read context of one metric run: the connection, the data version of its database and its scope.

Built once per run (`read_context`) and passed explicitly to every input, cache look-up and runner
(siyu.engine.inputs, frame_cache, the catalog's domain modules), instead of being asked of the connection
again and again (each ask is a query, ~20 ms at 10M orders) or kept in a ContextVar. It stays true for the
run because nothing can write the file while a reader holds it open (siyu.db.connection).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

from siyu.db import frame_store, query
from siyu.db.frame_store import Version


@dataclass(frozen=True)
class Scope:
    """The global filters in force on the connection (siyu.db.scope), as read back from it."""

    key: tuple[tuple[str, str], ...]
    """The filters themselves, (name, value) pairs: the scope's identity in every cache key."""
    store: str | None
    member_ids: pl.Series | None
    """The member population (None: everyone)."""


@dataclass(frozen=True)
class ReadContext:
    con: duckdb.DuckDBPyConnection
    """Read-only, with the global filters' temp views when a scope is set (queries not kept in memory run
    through them)."""
    version: Version
    """The data version (siyu.db.frame_store.data_version); () for an in-memory database: nothing is cached."""
    scope: Scope | None
    """None: the whole database."""

    @property
    def cache_key(self) -> tuple[object, ...]:
        """The data version and the scope: the key of anything computed from the frames in this context;
        () when nothing may be cached."""
        return (self.version, self.scope.key if self.scope else ()) if self.version else ()


def data_version(con: duckdb.DuckDBPyConnection) -> Version:
    """The data version of the database behind `con`, asked on a second, unscoped cursor (the scope's
    temp views, which shadow the tables it counts, are not there)."""
    plain = con.cursor()
    try:
        return frame_store.data_version(plain)
    finally:
        plain.close()


def read_scope(con: duckdb.DuckDBPyConnection) -> Scope | None:
    """The global filters applied to `con` (siyu.db.scope.apply_scope); None when there are none."""
    if not query(con, "m_scope_active").item(0, 0):
        return None
    store, names, values, restricted = query(con, "m_scope_store").row(0)
    ids = query(con, "m_scope_member_ids")["member_id"] if restricted else None
    return Scope(tuple(zip(names, values, strict=True)), store, ids)


def read_context(con: duckdb.DuckDBPyConnection, version: Version | None = None) -> ReadContext:
    """The context of a run on `con`; `version` when the caller has just read it on this file."""
    return ReadContext(con, data_version(con) if version is None else version, read_scope(con))
