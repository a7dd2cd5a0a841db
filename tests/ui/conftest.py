"""Fixtures for the view tests: views run on the hand-built database of tests/pages/small_db.py, reading
through the metric registry on a connection instead of the page's cache (no Streamlit)."""

from __future__ import annotations

import pytest

from siyu.db import reading
from siyu.engine.catalog import run_metric
from tests.pages.small_db import build_fixture


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    return build_fixture(tmp_path_factory.mktemp("view") / "small.duckdb")


def loader(path):
    """load(name, **params) -> frame, as the pages' cache.load_metric, on the database at `path`. Each call
    reads on its own connection: siyu.db lets no write in while a read is open in the process, and the
    module fixtures build their databases by writing."""
    def load(name, **params):
        with reading(path) as con:
            return run_metric(con, name, params)[1]
    return load


@pytest.fixture
def load(small):
    """`loader` on the small database."""
    return loader(small)
