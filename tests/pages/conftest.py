"""Fixtures for the page tests: the hand-built database of small_db.py (its docstring explains every number)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.pages.small_db import build_fixture


@pytest.fixture
def fixture_db(tmp_path, monkeypatch) -> Path:
    """The hand-built database, with SIYU_DB pointing at it and autodemo off."""
    path = build_fixture(tmp_path / "fixture.duckdb")
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path
