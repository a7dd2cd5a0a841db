"""Storage: `reading`/`writing` open the DuckDB file; `query` is the one choke point for SQL.

Every query lives in `siyu/db/queries/NAME.sql` and takes its values as bound `$name` parameters,
never by string formatting.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import duckdb
import polars as pl

from siyu.db.connection import ensure_schema, reading, writing
from siyu.errors import QueryError


@cache
def sql_text(name: str) -> str:
    """The text of queries/NAME.sql. Names are identifiers, never user input."""
    if not name.replace("_", "").isalnum():
        raise QueryError(f"bad query name {name!r}")
    try:
        return resources.files("siyu.db").joinpath("queries", f"{name}.sql").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise QueryError(f"no query named {name!r} (siyu/db/queries/{name}.sql)") from exc


def query(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> pl.DataFrame:
    """Run queries/NAME.sql with bound parameters and return a Polars frame."""
    try:
        relation = con.sql(sql_text(name), params=params or None)
        if relation is None:
            return pl.DataFrame()
        frame: pl.DataFrame = relation.pl()
        return frame
    except duckdb.Error as exc:
        raise QueryError(f"查询 {name} 失败 / query {name} failed: {exc}") from exc


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> None:
    """Run a statement file (INSERT/UPDATE/DELETE, possibly several statements) with bound parameters."""
    try:
        con.execute(sql_text(name), params or None)
    except duckdb.Error as exc:
        raise QueryError(f"语句 {name} 失败 / statement {name} failed: {exc}") from exc


def scalar(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> Any:
    """First column of the first row of queries/NAME.sql."""
    frame = query(con, name, params)
    return frame.item(0, 0) if frame.height else None


__all__ = ["ensure_schema", "execute", "query", "reading", "scalar", "sql_text", "writing"]
