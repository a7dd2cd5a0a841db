"""Big generic order CSVs read by DuckDB into a staging table and converted in SQL (#15).

Polars' path (readers -> cells -> profile_orders) holds every text column of the file at once: 10M rows
peaked at 5.5 GB. Here DuckDB reads the private UTF-8 copy (readers.CsvSnapshot: already hashed,
transcoded and scanned against the limits) into an all-VARCHAR table of its own — a private DuckDB
held to MEMORY_LIMIT that spills to a temporary folder, not a Python frame — and one SQL statement turns each row whose every cell is
in the plain machine-written form (`2024-03-05 14:05:00`, `1299.00`, a known status, text without
control characters or padding) into its canonical order. Those rows cannot have an error, and their
canonical values are by construction the ones generic_orders computes. Every other row — a typo, a
`¥1,299.00`, a date in another form — is handed to the Polars profile itself with its row number, so its
values and row errors are exactly as before; so is the check for an order id repeated with different values.

The file is read this way only when the two readers cannot disagree about its shape: no quote character,
no blank line, no row with more or fewer fields than the header, no NUL byte, no carriage return that does not end a line, every header named and unique,
no 合计 footer, and DuckDB's record count equal to the scan's. Anything else takes the Polars path unchanged.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import zoneinfo

import duckdb
import polars as pl

from siyu.ingest.canonical import ORDER_SCHEMA, Canonical
from siyu.ingest.cells import ERROR_SCHEMA, MAX_CELL_CHARS, MAX_CENTS, Cells
from siyu.ingest.profile_orders import GENERIC_STATUS, generic_orders
from siyu.ingest.profiles import norm_header
from siyu.ingest.readers import _FOOTER_WORDS, CsvSnapshot, RawTable
from siyu.ingest.snapshot import temp_prefix
from siyu.ingest.sqlrun import _statements
from siyu.ingest.transforms import conflicting_orders

STAGED_PROFILES = ("generic_orders",)
# Files smaller than this are parsed by Polars as before: DuckDB's start-up costs more than it saves.
MIN_BYTES = 8 << 20
MEMORY_LIMIT = "700MB"
BATCH_ROWS = 1 << 20
_FIELDS = ("order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store")


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
    if profile not in STAGED_PROFILES or not set(columns) <= set(_FIELDS):
        return False
    normed = [norm_header(h) for h in snap.header]
    return all(normed.count(normed[i]) == 1 for i in columns.values())


def _connect(workdir: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"SET temp_directory = '{workdir}'")
    return con


def staged_generic_orders(snap: CsvSnapshot, columns: dict[str, int], tz: str, earliest_year: int) -> Canonical | None:
    """The Canonical generic_orders gives for this file, or None when DuckDB's reading of it cannot be
    vouched for (the caller then parses it with Polars)."""
    width = snap.scan.header_fields
    names = {f"{{{f}}}": f"c{columns[f]}" if f in columns else "NULL::VARCHAR" for f in _FIELDS}
    names["{blank}"] = "(" + " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(width)) + ")"
    read_sql, macro_sql, canon_sql = _statements("ingest_stage_generic_orders")
    for marker, name in names.items():  # identifiers c0..cN chosen here, never text from the file
        canon_sql = canon_sql.replace(marker, name)
    tomorrow = dt.datetime.now(zoneinfo.ZoneInfo(tz)).replace(tzinfo=None) + dt.timedelta(days=1)
    with tempfile.TemporaryDirectory(prefix=temp_prefix("stage")) as workdir:
        con = _connect(workdir)
        try:
            try:
                con.execute(read_sql, {"path": snap.path, "cols": {f"c{i}": "VARCHAR" for i in range(width)},
                                       "delim": snap.delimiter})
            except duckdb.Error:  # DuckDB's reader objects to something Polars may accept: let Polars say
                return None
            count, last = con.sql("SELECT count(*), max(rowid) FROM raw").fetchall()[0]
            if count != snap.scan.records or last != count - 1:
                return None
            con.execute(macro_sql)
            result = con.sql(canon_sql, params={
                "earliest": dt.datetime(earliest_year, 1, 1), "tomorrow": tomorrow, "max_chars": MAX_CELL_CHARS,
                "max_cents": MAX_CENTS, "statuses": list(GENERIC_STATUS), "status_to": list(GENERIC_STATUS.values()),
            })
            # Fetched in batches, so DuckDB never holds the whole converted file as one result beside Polars.
            plain_parts, other_rows, last = [], [], None
            for batch in result.to_arrow_reader(BATCH_ROWS):
                part = pl.DataFrame(pl.from_arrow(batch)).filter(~pl.col("blank"))
                if part.height:
                    last = int(part["row_no"][-1])
                    plain_parts.append(part.filter(pl.col("plain")).select([
                        pl.col(c).cast(t) if c in part.columns else pl.lit(None, dtype=t).alias(c)
                        for c, t in ORDER_SCHEMA.items()]))
                    other_rows.append(part.filter(~pl.col("plain"))["row_no"])
            if last is None or _footer(con, width, last):
                return None
            rows = pl.concat(plain_parts, rechunk=False)
            del plain_parts
            bad = pl.concat(other_rows)
            if bad.len():
                con.register("stg_other", pl.DataFrame({"row_no": bad}).to_arrow())
                other = con.sql("SELECT r.*, r.rowid AS _row FROM raw r WHERE r.rowid IN (SELECT row_no FROM stg_other) "
                                "ORDER BY r.rowid").pl()
            else:
                other = pl.DataFrame()
        finally:
            con.close()
    errors = pl.DataFrame(schema=ERROR_SCHEMA)
    if other.height:
        table = RawTable(header=snap.header, frame=other, encoding=snap.encoding, header_fields=width,
                         delimiter=snap.delimiter)
        messy = generic_orders(Cells(table, columns, tz, earliest_year))
        errors = messy.errors
        rows = pl.concat([rows, messy.rows]).sort("row_no")
    del other
    errors = conflicting_orders(rows, errors, rows.select("row_no", pl.col("order_id").alias("value")),
                                snap.header[columns["order_id"]])
    return Canonical("orders", rows, errors)


def _footer(con: duckdb.DuckDBPyConnection, width: int, row_no: int) -> bool:
    """Whether the last row is a 合计/total row (readers._finish drops those; Polars then reads the file)."""
    found = con.sql("SELECT * FROM raw WHERE rowid = $row", params={"row": row_no}).fetchall()
    values = [v for v in (found[0] if found else ())[:width] if v not in (None, "")]
    return bool(values) and str(values[0]).strip().startswith(_FOOTER_WORDS)
