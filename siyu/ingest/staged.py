"""Big order CSVs (generic, 有赞) read by DuckDB into a staging table and converted in SQL (#15).

Polars' path (readers -> cells -> profile_orders) holds every text column of the file at once: 10M rows
peaked at 5.5 GB. Here DuckDB reads the private UTF-8 copy (readers.CsvSnapshot: already hashed,
transcoded and scanned against the limits) into an all-VARCHAR table of its own — a private DuckDB
held to MEMORY_LIMIT that spills to a temporary folder, not a Python frame — and one SQL statement turns each row whose every cell is
in the plain machine-written form (`2024-03-05 14:05:00`, `1299.00`, a known status, text without
control characters or padding) into its canonical order. Those rows cannot have an error, and their
canonical values are by construction the ones the profile computes (siyu.ingest.staged_profiles: which
profiles, their statements and parameters). Every other row — a typo, a
`¥1,299.00`, a date in another form — is handed to the Polars profile itself with its row number, so its
values and row errors are exactly as before; so is the check for an order id repeated with different values.

The file is read this way only when the two readers cannot disagree about its shape: no quote character,
no blank line, no row with more or fewer fields than the header, no NUL byte, no carriage return that does not end a line, every header named and unique,
and DuckDB's record count equal to the scan's. Anything else takes the Polars path unchanged. Trailing
合计/总计 rows are dropped and counted as readers._finish does.
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
from siyu.ingest.profiles import norm_header
from siyu.ingest.readers import _FOOTER_WORDS, CsvSnapshot, RawTable
from siyu.ingest.snapshot import temp_prefix
from siyu.ingest.sqlrun import _statements
from siyu.ingest.staged_profiles import STAGED
from siyu.ingest.transforms import conflicting_orders

# Files smaller than this are parsed by Polars as before: DuckDB's start-up costs more than it saves.
MIN_BYTES = 8 << 20
MEMORY_LIMIT = "700MB"
BATCH_ROWS = 1 << 20


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


def _connect(workdir: str) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
    con.execute("SET preserve_insertion_order = true")
    con.execute(f"SET temp_directory = '{workdir}'")
    return con


def staged_orders(snap: CsvSnapshot, profile: str, columns: dict[str, int], tz: str,
                  earliest_year: int) -> tuple[Canonical, int] | None:
    """(the Canonical `profile` gives for this file, the 合计 rows dropped), or None when DuckDB's reading of
    it cannot be vouched for (the caller then parses it with Polars)."""
    spec = STAGED[profile]
    width = snap.scan.header_fields
    names = {f"{{{f}}}": f"c{columns[f]}" if f in columns else "NULL::VARCHAR" for f in spec.fields}
    blank = names["{blank}"] = "(" + " AND ".join(f"coalesce(c{i}, '') = ''" for i in range(width)) + ")"
    read_sql, *macros = _statements("ingest_stage_read")
    *own_macros, canon_sql = _statements(spec.sql)
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
            for macro in (*macros, *own_macros):
                con.execute(macro)
            result = con.sql(canon_sql, params={
                "earliest": dt.datetime(earliest_year, 1, 1), "tomorrow": tomorrow, "max_chars": MAX_CELL_CHARS,
                "max_cents": MAX_CENTS, **spec.params,
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
            if last is None:  # no row but blank ones: Polars says so
                return None
            footers = _footers(con, width, blank, last)
            rows = pl.concat(plain_parts, rechunk=False)
            del plain_parts
            bad = pl.concat(other_rows)
            if footers:
                rows, bad = rows.filter(~pl.col("row_no").is_in(footers)), bad.filter(~bad.is_in(footers))
            if not rows.height + bad.len():  # only a header (and 合计): Polars says so
                return None
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
        messy = spec.convert(Cells(table, columns, tz, earliest_year))
        errors = messy.errors
        rows = pl.concat([rows, messy.rows]).sort("row_no")
    del other
    # The order id cell's text (the profile's prefix off), as the Polars path names it in the message.
    cell = pl.col("order_id").str.strip_prefix(spec.id_prefix) if spec.id_prefix else pl.col("order_id")
    errors = conflicting_orders(rows, errors, rows.select("row_no", cell.alias("value")),
                                snap.header[columns["order_id"]])
    return Canonical("orders", rows, errors), len(footers)


def _footers(con: duckdb.DuckDBPyConnection, width: int, blank: str, last: int) -> list[int]:
    """The trailing 合计/total rows readers._finish drops: from the last non-blank row `last` back, each whose
    first non-empty cell starts with a footer word (blank rows between them were dropped already)."""
    found: list[int] = []
    look = 4
    while True:
        tail = con.sql(f"SELECT rowid, * FROM raw WHERE rowid > 0 AND rowid <= $last AND NOT {blank} "
                       "ORDER BY rowid DESC LIMIT $n", params={"last": last, "n": look}).fetchall()
        for row in tail:
            values = [v for v in row[1:width + 1] if v not in (None, "")]
            if not (values and str(values[0]).strip().startswith(_FOOTER_WORDS)):
                return found
            found.append(int(row[0]))
            last = int(row[0]) - 1
        if len(tail) < look:
            return found
        look *= 4
