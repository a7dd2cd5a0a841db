"""The read context of a run (siyu.engine.context): the data version and the scope, read once, with the
scope's identity being the filters themselves (tests/pages/small_db.py: members 3 and 4 joined by 门店)."""

from __future__ import annotations

from pathlib import Path

from siyu.db import reading
from siyu.db.connection import forget_schema_cache
from siyu.db.frame_store import data_version
from siyu.db.scope import Scope, apply_scope
from siyu.engine.context import read_context
from tests.pages.small_db import build_fixture


def test_an_unscoped_and_a_scoped_context(tmp_path: Path) -> None:
    forget_schema_cache()
    db = build_fixture(tmp_path / "fixture.duckdb")
    with reading(db) as con:
        plain = read_context(con)
        assert plain.scope is None and plain.version == data_version(con) and plain.version[0] == str(db)
        assert plain.cache_key == (plain.version, ())
        apply_scope(con, Scope(channel="门店"))
        scoped = read_context(con)
    assert scoped.version == plain.version  # asked beside the scope's temp views, not through them
    assert scoped.scope is not None
    assert scoped.scope.key == (("channel", "门店"),)
    assert scoped.scope.store is None
    assert sorted(scoped.scope.member_ids.to_list()) == [3, 4]
    assert scoped.cache_key == (plain.version, (("channel", "门店"),))


def test_a_given_version_is_not_read_again(tmp_path: Path) -> None:
    forget_schema_cache()
    db = build_fixture(tmp_path / "fixture.duckdb")
    with reading(db) as con:
        assert read_context(con, version=("given",)).version == ("given",)
