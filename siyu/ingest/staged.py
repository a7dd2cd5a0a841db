"""Big order CSVs read by DuckDB inside the import's own transaction and converted in SQL (#15).

Polars' path (readers -> cells -> profile_orders -> load) holds the file's text columns and then its
canonical orders in Python frames: 10M rows peaked at 4-5.5 GB. Here the import's write connection
reads the private UTF-8 copy (readers.CsvSnapshot: already hashed, transcoded and scanned against the
limits) with `read_csv` and one SQL statement turns each row whose every cell is in the plain
machine-written form (`2024-03-05 14:05:00`, `1299.00`, a known status, text without control characters
or padding) into its canonical order as it is read, into a temporary table of the transaction. DuckDB
holds it under MEMORY_LIMIT and spills to a private folder; no Python frame of all orders exists.
Those rows cannot have an error, and their canonical values are by construction the ones the profile
computes. Every other row — a typo, a `¥1,299.00`, a date in another form, a 合计 line — keeps its cells
and is handed to the Polars profile itself with its row number, so its values and row errors are exactly
as before; so is the check for an order id repeated with different values (on the repeated ids only).
siyu.ingest.load_staged then merges and writes the orders in SQL.

The file is read this way only when the two readers cannot disagree about its shape: no quote character,
no blank line, no row with more or fewer fields than the header, no NUL byte, no carriage return that does
not end a line, every header named and unique, and DuckDB's record count equal to the scan's. Anything
else takes the Polars path unchanged (NotStageable: the transaction is rolled back first).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import zoneinfo
from dataclasses import dataclass
from typing import Any

import duckdb
import polars as pl

from siyu.ingest.canonical import ORDER_SCHEMA, Canonical
from siyu.ingest.cells import ERROR_SCHEMA, MAX_CELL_CHARS, MAX_CENTS, Cells
from siyu.ingest.profiles import norm_header
from siyu.ingest.readers import _FOOTER_WORDS, CsvSnapshot, RawTable
from siyu.ingest.sqlrun import _statements, stage
from siyu.ingest.staged_profiles import STAGED
from siyu.ingest.transforms import conflicting_orders

# Files smaller than this are parsed by Polars as before: DuckDB's start-up costs more than it saves.
MIN_BYTES = 8 << 20
# What the import's DuckDB may hold in memory before it spills the staged rows to its private folder.
MEMORY_LIMIT = "768MB"
# Unicode white space as Python's str.strip() removes it (readers._finish strips a footer's first cell).
_SPACE = r"[\t\n\x0B\f\r \x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x1C-\x1F]"
_DUCK_TYPES = {pl.Utf8: "VARCHAR", pl.Int64: "BIGINT", pl.Datetime("us"): "TIMESTAMP"}
CANON_COLUMNS = [c for c in ORDER_SCHEMA if c != "row_no"]
# The code points a footer's first cell may start with: white space (str.strip()'s, as _SPACE) or a footer word.
_FOOTER_STARTS = {i for i in range(0x3001) if chr(i).isspace()} | {ord(w[0]) for w in _FOOTER_WORDS}
_LOW, _HIGH = 32, 0x1680  # below and above these the test is made; between them only for the few in _FOOTER_STARTS
assert len([c for c in _FOOTER_STARTS if _LOW < c < _HIGH]) <= 4
# What the conversion's plan may hold: a join, an aggregate or a sort would give up the file order the row numbers
# come from (convert checks the plan before it runs).
_ORDER_KEEPING = {"READ_CSV", "PROJECTION", "FILTER"}


class NotStageable(Exception):
    """DuckDB's reading of the file cannot be vouched for: the caller rolls back and parses it with Polars."""


@dataclass
class StagedCsv:
    """A CSV the import's transaction reads with DuckDB: the snapshot and the profile's column indexes."""

    snap: CsvSnapshot
    profile: str
    columns: dict[str, int]


@dataclass
class Converted:
    """What convert() left in the transaction (temp view `stg_canon`: ORDER_SCHEMA rows, non-blank,
    footers dropped) and what the report needs."""

    rows: int                  # data rows read (blank rows and dropped footers not counted)
    footer_rows: int
    errors: pl.DataFrame       # ERROR_SCHEMA, sorted by row
    repeated_ids: int          # rows beyond the first of a repeated order id


def shape_allows(snap: CsvSnapshot) -> bool:
    """Whether the file's shape lets DuckDB read it exactly as Polars would (see the module docstring)."""
    scan = snap.scan
    if scan.quotes or scan.blank_records or scan.ragged_rows or scan.nul or scan.bare_cr or scan.records < 2:
        return False
    if os.path.getsize(snap.path) < MIN_BYTES:
        return False
    return len(snap.header) == scan.header_fields and all(snap.header)


def can_stage(snap: CsvSnapshot, profile: str, columns: dict[str, int]) -> bool:
    """Whether `profile` is converted in SQL and each of its columns' headers appears once."""
    if profile not in STAGED or not set(columns) <= set(STAGED[profile].fields):
        return False
    normed = [norm_header(h) for h in snap.header]
    return all(normed.count(normed[i]) == 1 for i in columns.values())


def prepare(con: duckdb.DuckDBPyConnection, spill_dir: str) -> None:
    """Hold the import's DuckDB to MEMORY_LIMIT, spilling to `spill_dir` (swept if the process dies)."""
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET temp_directory = $dir", {"dir": spill_dir})
    con.execute("SET preserve_insertion_order = true")


def convert(con: duckdb.DuckDBPyConnection, plan: StagedCsv, tz: str, earliest_year: int) -> Converted:
    """Read and convert the file into the transaction's temp view `stg_canon` (raises NotStageable)."""
    snap, columns, spec = plan.snap, plan.columns, STAGED[plan.profile]
    width = snap.scan.header_fields
    cells = [f"c{i}" for i in range(width)]
    read_sql, *macros = _statements("ingest_stage_read")
    *own_macros, canon_sql = _statements(spec.sql)
    names = {f"{{{f}}}": f"c{columns[f]}" if f in columns else "NULL::VARCHAR" for f in spec.fields}
    names["{cells}"] = ", ".join(cells)
    names["{raw}"] = f"({read_sql}) raw"
    for marker, name in names.items():  # identifiers c0..cN and the read chosen here, never text from the file
        canon_sql = canon_sql.replace(marker, name)
    # The cells are kept, as one list, only for rows SQL could not convert: one list slot per row instead of a
    # text slot per column (a NULL text cell still takes 16 bytes a row in DuckDB's temporary table). The
    # footer flag follows readers._finish's rule: a trailing row whose first non-empty cell, stripped, starts
    # with 合计/total.
    keep_cells = f"CASE WHEN plain THEN NULL ELSE [{', '.join(cells)}] END AS cells"
    # A plain row has its order id, so it is not blank: only the others are tested (a test per cell and row).
    blank = "CASE WHEN plain THEN false ELSE (" + " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(width)) + ") END"
    first_cell = "coalesce(" + ", ".join(f"nullif(c{i}, '')" for i in range(width)) + ")"
    footer_test = f"coalesce(regexp_matches({first_cell}, '^{_SPACE}*({'|'.join(_FOOTER_WORDS)})'), false)"
    # Only a row whose first cell is empty or starts with white space or a footer word's first letter can be
    # one: the others (nearly all) skip the test.
    # (Ranges and a short IN list: DuckDB turns a long constant list into a join, which gives up the file order.)
    middle = ", ".join(str(c) for c in sorted(c for c in _FOOTER_STARTS if _LOW < c < _HIGH))
    footer = (f"CASE WHEN c0 <> '' AND unicode(c0) > {_LOW} AND unicode(c0) < {_HIGH} AND unicode(c0) NOT IN ({middle}) "
              f"THEN false ELSE {footer_test} END AS footer")
    tomorrow = dt.datetime.now(zoneinfo.ZoneInfo(tz)).replace(tzinfo=None) + dt.timedelta(days=1)
    for macro in (*macros, *own_macros):
        con.execute(macro)
    # File order is kept (prepare: preserve_insertion_order), so the table's rowid numbers the records; the
    # header (record 0) is converted like any row, harmlessly, and left out by the view.
    select_sql = f"SELECT * EXCLUDE ({', '.join(cells)}), {blank} AS blank, {keep_cells}, {footer} FROM ({canon_sql})"
    params = {"path": snap.path, "cols": {c: "VARCHAR" for c in cells}, "delim": snap.delimiter,
              "earliest": dt.datetime(earliest_year, 1, 1), "tomorrow": tomorrow, "max_chars": MAX_CELL_CHARS,
              "max_cents": MAX_CENTS, **spec.params}
    try:
        operators = _operators(con, select_sql, params)
        if not operators <= _ORDER_KEEPING:
            raise NotStageable(f"the conversion's plan would not keep the file order: {sorted(operators)}")
        con.execute(f"CREATE TEMP TABLE stg_read AS {select_sql}", params)
    except duckdb.Error as exc:  # DuckDB's reader objects to something Polars may accept: let Polars say
        raise NotStageable(str(exc)) from None
    # Inside a transaction the new table's rowids start at an offset (DuckDB's transaction-local row ids),
    # contiguous and in file order: the record number is the distance from the first.
    base = _one(con, "SELECT min(rowid) FROM stg_read")[0]
    con.execute(f"CREATE TEMP VIEW stg_conv AS SELECT rowid - {base} AS row_no, * FROM stg_read WHERE rowid > {base}")
    count, last_row = _one(con, "SELECT count(*), max(row_no) FROM stg_conv")
    if count + 1 != snap.scan.records or last_row != count:
        raise NotStageable("DuckDB's record count differs from the scan's")
    end, footer_rows = _data_end(con)
    data_rows = _one(con, f"SELECT count(*) FROM stg_conv WHERE NOT blank AND row_no <= {end}")[0]
    if data_rows == 0:
        raise NotStageable("no data rows: the Polars reader says so in its words")
    messy = _messy(con, plan, width, end, tz, earliest_year)
    present = _conv_columns(con)
    select = ", ".join(f"{c}::{_DUCK_TYPES[ORDER_SCHEMA[c]]} AS {c}" if c in present
                       else f"NULL::{_DUCK_TYPES[ORDER_SCHEMA[c]]} AS {c}" for c in CANON_COLUMNS)
    stage(con, "stg_messy", messy.rows.select(ORDER_SCHEMA.keys()))
    con.execute(f"CREATE TEMP VIEW stg_canon AS SELECT row_no, {select} FROM stg_conv WHERE plain AND row_no <= {end} "
                f"UNION ALL SELECT * FROM stg_messy")
    errors, repeated = _conflicts(con, messy.errors, snap.header[columns["order_id"]], spec.id_prefix)
    return Converted(rows=data_rows, footer_rows=footer_rows, errors=errors, repeated_ids=repeated)


def _operators(con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> set[str]:
    """The operators of a query's physical plan (EXPLAIN's JSON form)."""
    def walk(node: dict[str, Any]) -> set[str]:
        found = {str(node.get("name", ""))}
        for child in node.get("children", []):
            found |= walk(child)
        return found

    plans = json.loads(con.execute(f"EXPLAIN (FORMAT JSON) {sql}", params).fetchall()[0][1])
    return set().union(*(walk(p) for p in plans))


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[int, ...]:
    row = con.execute(sql).fetchall()[0]
    assert row is not None
    return tuple(int(v or 0) for v in row)


def _conv_columns(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute("DESCRIBE stg_conv").fetchall()}


def _data_end(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """(last data row, trailing 合计/total rows dropped): readers._finish drops footers from the end while
    the last non-blank row is one, so every footer row after the last other non-blank row goes."""
    end, last = _one(con, "SELECT max(row_no) FILTER (WHERE NOT blank AND NOT footer), "
                          "max(row_no) FILTER (WHERE NOT blank) FROM stg_conv")
    if last <= end:
        return end, 0
    return end, _one(con, f"SELECT count(*) FROM stg_conv WHERE NOT blank AND row_no > {end}")[0]


def _messy(con: duckdb.DuckDBPyConnection, plan: StagedCsv, width: int, end: int, tz: str,
           earliest_year: int) -> Canonical:
    """The rows SQL did not convert, through the Polars profile (row numbers, values and errors as before)."""
    listed = con.sql(f"SELECT cells, row_no AS _row FROM stg_conv WHERE NOT plain AND NOT blank AND row_no <= {end} "
                     "ORDER BY row_no").pl()
    other = listed.select(*[pl.col("cells").list.get(i).alias(f"c{i}") for i in range(width)], "_row")
    if other.height == 0:
        return _empty_canonical()
    snap = plan.snap
    table = RawTable(header=snap.header, frame=other, encoding=snap.encoding, header_fields=width,
                     delimiter=snap.delimiter)
    return STAGED[plan.profile].convert(Cells(table, plan.columns, tz, earliest_year))


def _empty_canonical() -> Canonical:
    return Canonical("orders", pl.DataFrame(schema=ORDER_SCHEMA), pl.DataFrame(schema=ERROR_SCHEMA))


def _conflicts(con: duckdb.DuckDBPyConnection, errors: pl.DataFrame, header: str,
               id_prefix: str) -> tuple[pl.DataFrame, int]:
    """(row errors plus one per row of an order id repeated with different values, rows beyond the first
    of each repeated id). transforms.conflicting_orders decides, on the rows of repeated ids only.

    The ids are grouped by their 64-bit hash (a fixed-width key: half the time of grouping the text at 10M
    rows); the rows of every hash seen twice are then compared exactly, so a collision costs nothing but a
    look at two rows."""
    twice = con.execute("SELECT count(*) FROM (SELECT hash(order_id) AS h FROM stg_canon GROUP BY h "
                        "HAVING count(*) > 1)").fetchall()[0][0]
    if not twice:
        return errors, 0
    candidates: pl.DataFrame = con.sql(
        "WITH twice AS (SELECT hash(order_id) AS h FROM stg_canon GROUP BY h HAVING count(*) > 1) "
        "SELECT c.* FROM stg_canon c WHERE hash(c.order_id) IN (SELECT h FROM twice) ORDER BY c.row_no").pl()
    repeated = candidates.filter(pl.col("order_id").is_duplicated())
    if repeated.height == 0:
        return errors, 0
    extra = repeated.height - repeated["order_id"].n_unique()
    # The order id cell's text (the profile's prefix off), as the Polars path names it in the message.
    cell = pl.col("order_id").str.strip_prefix(id_prefix) if id_prefix else pl.col("order_id")
    found = conflicting_orders(repeated.cast(pl.Schema(ORDER_SCHEMA)), errors, repeated.select("row_no", cell.alias("value")),
                               header)
    return found, extra
