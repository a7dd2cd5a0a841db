"""Fixtures for the view tests: views run on the hand-built database of tests/pages/small_db.py, reading
through the metric registry on a connection instead of the page's cache (no Streamlit)."""

from __future__ import annotations

import pytest

from siyu.db import reading
from siyu.engine import lookups
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
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


def contacts_of(path):
    """contacts(ids) -> frame, as the pages' cache.load_contacts (typed member ids), on the database at `path`."""
    def contacts(ids):
        with reading(path) as con:
            return lookups.member_contacts(read_context(con), ids)
    return contacts


@pytest.fixture
def contacts(small):
    """`contacts_of` the small database."""
    return contacts_of(small)


@pytest.fixture
def load(small):
    """`loader` on the small database."""
    return loader(small)
