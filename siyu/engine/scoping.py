"""The global filters (channel, tier, store, staff, tag, saved segment) as a value of the engine: the read context of a scoped run.

The page's filters arrive as a siyu.db.scope.Scope value. `scoped_context` turns it into the run's
siyu.engine.context.Scope: its key, its store and its member population, the population asked of DuckDB
once per data version and filter set (queries/pg_scope_members.sql, kept by siyu.engine.frame_cache.memo),
not once per cached loader. The frames kept in memory (orders, members, friends, snapshots: what nearly
every metric reads) are then filtered in memory with that value (frame_cache.scoped), once per scope.

The few queries that are not kept in memory (referral edges, order lines, coupon flags, member names, the
data bounds) still read through the connection's temp views (siyu.db.scope.apply_scope), which are filled
from the same population rather than by querying it again.

Why in memory and not through the views: measured on the 1M-order bench data set (bench/bench_scope.py;
docs/architecture.md has the table), 16 page metrics after a filter change took 5.3–16.1 s through the
views and 1.8–5.3 s on the frames in memory; and the population query, ~0.25 s for a tier filter, ran
in every loader of a page run (16 times) before it was kept here.
"""

from __future__ import annotations

import duckdb

from siyu.db import scope as db_scope
from siyu.db.frame_store import Version
from siyu.engine import frame_cache
from siyu.engine.context import ReadContext, Scope
from siyu.engine.population import segment_ids


def scoped_context(con: duckdb.DuckDBPyConnection, version: Version, scope: db_scope.Scope) -> ReadContext:
    """The read context of a run on `con` (unscoped so far; its data version `version`) in `scope`."""
    if scope.empty:
        return ReadContext(con, version, None)
    plain = ReadContext(con, version, None)
    ids = frame_cache.memo(plain, ("scope_members", scope.key()),
                           lambda: db_scope.population(con, scope, segment_ids(con, scope)), population=True)
    db_scope.apply_scope(con, scope, ids)  # the views the queries not kept in memory read through
    return ReadContext(con, version, Scope(scope.key(), scope.store, ids))
