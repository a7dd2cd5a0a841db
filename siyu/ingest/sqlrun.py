"""Running ingest_*.sql files: several statements per file, each bound to the parameters it names."""

from __future__ import annotations

import re
from typing import Any

import duckdb
import polars as pl

from siyu.db import sql_text
from siyu.errors import QueryError

_PARAM = re.compile(r"\$([a-z_][a-z0-9_]*)")


def _statements(name: str) -> list[str]:
    text = "\n".join(line for line in sql_text(name).splitlines() if not line.lstrip().startswith("--"))
    return [s.strip() for s in text.split(";") if s.strip()]


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pl.DataFrame | None:
    """Execute every statement of queries/NAME.sql; returns the last statement's rows as a frame if it has any."""
    params = params or {}
    statements = _statements(name)
    try:
        for i, stmt in enumerate(statements):
            used = {k: params[k] for k in set(_PARAM.findall(stmt)) if k in params}
            if i < len(statements) - 1:
                con.execute(stmt, used or None)
                continue
            rel = con.sql(stmt, params=used or None)
            if rel is None:  # the last statement returns no rows (an INSERT, a DDL)
                return None
            rows: pl.DataFrame = rel.pl()
            return rows
        return None
    except duckdb.Error as exc:
        raise QueryError(f"语句 {name} 失败 / statement {name} failed: {exc}") from exc


def stage(con: duckdb.DuckDBPyConnection, view: str, frame: pl.DataFrame) -> None:
    """Expose a Polars frame to SQL under a fixed staging name (Arrow, zero-copy)."""
    try:
        con.unregister(view)
    except duckdb.Error:
        pass
    # String views stay views (zero-copy): the default large_string export copies every text column.
    con.register(view, frame.to_arrow(compat_level=pl.CompatLevel.newest()))
