"""Writing metric frames for other programs: JSON and CSV with full precision.

CSV cells that a spreadsheet would read as a formula (=, +, -, @, tab, CR at the start of a text
cell) are prefixed with a single quote, so an exported member name cannot run code in Excel. Text that
itself starts with a quote gets one more, so the escape can always be undone: `recover_cell` drops one
leading quote (a member id "=1+2" is written '=1+2 and "'x" is written ''x).
Numbers are written with Python's shortest round-trip repr (17 significant digits at most), never rounded.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from typing import Any

import polars as pl

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ESCAPED_START = (*_FORMULA_START, "'")  # a quote already there is escaped too, so the escape is reversible


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def to_json(frame: pl.DataFrame, single_row: bool = False) -> str:
    rows = [{k: _plain(v) for k, v in row.items()} for row in frame.iter_rows(named=True)]
    payload: Any = rows[0] if single_row and len(rows) == 1 else rows
    return json.dumps(payload, ensure_ascii=False, indent=2)


def safe_cell(value: Any) -> str:
    """One CSV cell: full-precision numbers, ISO dates, formula-like text neutralised."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):  # nested results (e.g. model fits) as JSON text
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str) and value.startswith(_ESCAPED_START):
        return "'" + value
    return str(value)


def recover_cell(text: str) -> str:
    """The text `safe_cell` was given, from the text cell it wrote (drops the one quote it may have added)."""
    return text[1:] if text.startswith("'") else text


def to_csv(frame: pl.DataFrame) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    for row in frame.iter_rows():
        writer.writerow([safe_cell(v) for v in row])
    return buffer.getvalue()


XLSX_FORMATS = {"money": "¥#,##0.00", "pct": "0.0%", "float": "#,##0.00", "int": "#,##0", "date": "yyyy-mm-dd"}
"""Number formats of `to_xlsx(formats=...)` by column kind (siyu.ui.export names the kinds)."""


def to_xlsx(frame: pl.DataFrame, sheet: str = "siyu", formats: dict[str, str] | None = None) -> bytes:
    """One worksheet: a header row, then the rows. Text is written as text (never parsed as a formula,
    URL or number, so 13800138000 keeps its digits) and neutralised like CSV cells; numbers as numbers.
    formats: {column: kind} gives a column a number format (XLSX_FORMATS) and writes its dates as dates."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                        "strings_to_numbers": False})
    ws = book.add_worksheet(sheet[:31])
    styles = {kind: book.add_format({"num_format": code}) for kind, code in XLSX_FORMATS.items()}
    header = book.add_format({"bold": True}) if formats else None
    cell_style = [styles.get((formats or {}).get(name, "")) for name in frame.columns]
    for col, name in enumerate(frame.columns):
        ws.write_string(0, col, safe_cell(name), header)
        if formats:
            ws.set_column(col, col, max(10, min(40, 2 * len(name) + 2)))
    for r, row in enumerate(frame.iter_rows(), start=1):
        for col, value in enumerate(row):
            if value is None:
                continue
            style = cell_style[col]
            if isinstance(value, bool):
                ws.write_boolean(r, col, value)
            elif isinstance(value, (int, float)) and math.isfinite(value):
                ws.write_number(r, col, value, style)
            elif style is not None and isinstance(value, dt.date):
                ws.write_datetime(r, col, value if isinstance(value, dt.datetime)
                                  else dt.datetime.combine(value, dt.time()), style)
            else:
                ws.write_string(r, col, safe_cell(value))
    book.close()
    return buffer.getvalue()
