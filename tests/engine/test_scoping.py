"""The global filters as a value of the engine (siyu.engine.scoping): the same frames as the filters applied
to the connection and read back, with the member population asked of DuckDB once per data version and
filter set instead of once per loader."""

from __future__ import annotations

from pathlib import Path

import pytest
from polars.testing import assert_frame_equal

from siyu.db import reading, writing
from siyu.db import scope as db_scope
from siyu.db.scope import Scope, apply_scope
from siyu.demo import write_demo
from siyu.engine import frame_cache
from siyu.engine.catalog import run_metric
from tests.metrics.test_scope_in_memory import PAGE_METRICS, SCOPES


@pytest.fixture(scope="module")
def brand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scoping") / "brand.duckdb"
    write_demo(path, members=1500, seed=3)
    return path


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: "+".join(f"{k}" for k, _ in s.key()))
def test_every_page_metric_is_the_same_with_the_scope_as_a_value(brand: Path, scope: Scope) -> None:
    frame_cache.clear()
    compared = 0
    for name, params in PAGE_METRICS:
        with reading(brand) as con:
            apply_scope(con, scope)
            applied = run_metric(con, name, params)[1]
        with reading(brand) as con:
            value = run_metric(con, name, params, scope=scope)[1]
        assert_frame_equal(value, applied, check_exact=True)
        compared += value.height
    assert compared > 0


def test_the_population_is_queried_once_per_data_version_and_filter_set(brand: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    db = tmp_path / "brand.duckdb"
    shutil.copy(brand, db)
    asked: list[Scope] = []
    real = db_scope.population

    def counted(con, scope, segment_ids=None):  # type: ignore[no-untyped-def]
        asked.append(scope)
        return real(con, scope, segment_ids)

    monkeypatch.setattr(db_scope, "population", counted)
    frame_cache.clear()
    tier = Scope(tier="金卡会员")
    for name in ("kpis", "tiers", "concentration"):  # three loaders of one page run
        with reading(db) as con:
            run_metric(con, name, {}, scope=tier)
    assert asked == [tier]
    with reading(db) as con:
        before = run_metric(con, "kpis", {}, scope=tier)[1]["members"].item()
        run_metric(con, "kpis", {}, scope=Scope(tier="金卡会员", store="上海静安嘉里茶空间"))
    assert len(asked) == 2  # another filter set: its own population
    with writing(db) as con:  # a new member-export snapshot moves one member into the tier
        con.execute("INSERT INTO member_snapshots (member_id, snapshot_date, tier, batch_id) "
                    "SELECT member_id, DATE '2031-01-01', '金卡会员', 1 FROM members WHERE member_id NOT IN "
                    "(SELECT member_id FROM member_snapshots QUALIFY row_number() OVER (PARTITION BY member_id "
                    "ORDER BY snapshot_date DESC) = 1 AND tier = '金卡会员') ORDER BY member_id LIMIT 1")
    with reading(db) as con:
        after = run_metric(con, "kpis", {}, scope=tier)[1]["members"].item()
    assert len(asked) == 3 and after == before + 1  # the new data version asks again


def test_an_empty_scope_is_no_scope(brand: Path) -> None:
    frame_cache.clear()
    with reading(brand) as con:
        everyone = run_metric(con, "kpis", {})[1]
        empty = run_metric(con, "kpis", {}, scope=Scope())[1]
    assert_frame_equal(everyone, empty)
