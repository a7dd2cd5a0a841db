"""Warming the frames ahead never fails its caller, and never hides why it could not: it logs the reason."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from siyu.db.connection import forget_schema_cache
from siyu.engine import frame_cache


def test_a_file_that_cannot_be_read_is_logged_not_raised(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    forget_schema_cache()
    bad = tmp_path / "not-a-database.duckdb"
    bad.write_bytes(b"this is not a DuckDB file" * 100)
    with caplog.at_level(logging.WARNING, logger="siyu.engine.frame_cache"):
        frame_cache.warm(bad, 1.0)
    assert [r.getMessage().split(":")[0] for r in caplog.records] == [f"frames not loaded ahead for {bad}"]
