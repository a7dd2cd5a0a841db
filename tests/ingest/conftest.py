"""Fixtures for import tests: a fresh database, a way to import bytes as a named file, and SQL reads.

Files are built in the tests themselves (GB18030 bytes, BOMs, CRLF, xlsx cells) so every expected
count can be checked by reading the test.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from siyu.config import Settings
from siyu.db.connection import ensure_schema, forget_schema_cache
from siyu.ingest import ImportReport, import_file


def csv_bytes(rows: list[list[Any]], encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """Rows -> CSV text, quoting cells that need it, in the given encoding and line ending."""
    out = []
    for row in rows:
        cells = []
        for v in row:
            s = "" if v is None else str(v)
            if any(ch in s for ch in ',"\n\r'):
                s = '"' + s.replace('"', '""') + '"'
            cells.append(s)
        out.append(",".join(cells))
    return (newline.join(out) + newline).encode(encoding)


def xlsx_bytes(rows: list[list[Any]], sheet: str = "Sheet1", extra_sheets: dict[str, list[list[Any]]] | None = None) -> bytes:
    """Rows -> xlsx; datetime values become real Excel date cells, numbers numeric cells."""
    import datetime as dt

    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
    for name, data in [(sheet, rows), *(extra_sheets or {}).items()]:
        ws = wb.add_worksheet(name)
        for r, row in enumerate(data):
            for c, v in enumerate(row):
                if isinstance(v, dt.datetime):
                    ws.write_datetime(r, c, v, date_fmt)
                elif v is None:
                    continue
                elif isinstance(v, (int, float)):
                    ws.write_number(r, c, v)
                else:
                    ws.write_string(r, c, str(v))
    wb.close()
    return buf.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    forget_schema_cache()
    path = tmp_path / "siyu.duckdb"
    ensure_schema(path)
    return path


@pytest.fixture
def settings(db: Path) -> Settings:
    return Settings(db=db, lock_timeout=10.0)


@pytest.fixture
def imp(db: Path, settings: Settings, tmp_path: Path) -> Callable[..., ImportReport]:
    """imp(content_bytes, name='file.csv', **import_file kwargs) -> ImportReport, importing a file on disk."""

    def run(content: bytes, name: str = "export.csv", **kw: Any) -> ImportReport:
        path = tmp_path / name
        path.write_bytes(content)
        return import_file(db, path, settings=kw.pop("settings", settings), **kw)

    return run


@pytest.fixture
def sql(db: Path) -> Callable[..., list[tuple[Any, ...]]]:
    """sql('SELECT ...') -> rows, read from the test database."""

    def run(text: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        con = duckdb.connect(str(db), read_only=True)
        try:
            return con.execute(text, params or []).fetchall()
        finally:
            con.close()

    return run


@pytest.fixture
def counts(sql: Callable[..., list[tuple[Any, ...]]]) -> Callable[[], dict[str, int]]:
    tables = ["members", "member_identities", "staff", "friends", "member_snapshots", "orders", "order_items",
              "referrals", "member_tags", "tiers"]

    def run() -> dict[str, int]:
        return {t: sql(f"SELECT count(*) FROM {t}")[0][0] for t in tables}

    return run


@pytest.fixture
def csvb() -> Callable[..., bytes]:
    return csv_bytes


@pytest.fixture
def xlsxb() -> Callable[..., bytes]:
    return xlsx_bytes
