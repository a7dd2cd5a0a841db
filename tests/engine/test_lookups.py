"""The page lookups as typed functions on tuples of member ids (siyu.engine.lookups) and the page cache's
loaders for them (siyu.ui.cache.load_contacts, load_snapshot_dates)."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

from siyu.db import reading
from siyu.db.scope import Scope, apply_scope
from siyu.engine import frame_cache, lookups
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
from tests.metrics import analytics_db


def test_member_ids_are_a_sorted_distinct_tuple_of_ints() -> None:
    assert lookups.member_ids(pl.DataFrame({"member_id": ["5", "3", "5", "10"]})) == (3, 5, 10)
    assert lookups.member_ids(pl.DataFrame({"root": [7, 2]}), "root") == (2, 7)
    assert lookups.member_ids(pl.DataFrame(schema={"member_id": pl.String})) == ()


def test_lookups_equal_the_catalog_metrics_in_every_scope(tmp_path: Path) -> None:
    """The command line's `member_contacts` / `snapshot_dates` and the pages' typed lookups agree."""
    db = analytics_db.build(tmp_path / "brand.duckdb")
    frame_cache.clear()
    for scope in (Scope(), Scope(channel="裂变海报")):
        with reading(db) as con:
            apply_scope(con, scope)
            ctx = read_context(con)
            direct = lookups.member_contacts(ctx, (1, 2, 3, 4, 99))
            dates = lookups.snapshot_dates(ctx)
            _, by_name = run_metric(con, "member_contacts", {"ids": "99,4,3,2,1"})
            _, dates_by_name = run_metric(con, "snapshot_dates", {})
        assert_frame_equal(direct, by_name)
        assert isinstance(dates, tuple) and all(isinstance(d, dt.date) for d in dates)
        assert list(dates) == dates_by_name["snapshot_date"].to_list()
    with reading(db) as con:
        empty = lookups.member_contacts(read_context(con), ())
    assert empty.height == 0 and empty.schema == lookups.CONTACTS_SCHEMA


def test_the_page_cache_keys_a_member_list_on_its_digest_not_on_the_tuple() -> None:
    """Streamlit hashes a tuple element by element (seconds for a recall list of a million ids): the loader
    takes the tuple unhashed (`_ids`) and a digest of it in the key."""
    from siyu.ui import cache

    params = list(inspect.signature(cache.contacts.__wrapped__).parameters)  # type: ignore[attr-defined]
    assert "digest" in params and "_ids" in params and "ids" not in params
    assert cache.ids_digest((1, 2, 3)) == cache.ids_digest((1, 2, 3))
    assert len({cache.ids_digest(ids) for ids in [(), (1,), (1, 2), (2, 1), (1, 2, 3), (2**40,)]}) == 6
