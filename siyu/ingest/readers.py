"""Reading an export into text columns: CSV (UTF-8, UTF-8 BOM, GB18030, UTF-16) and XLSX/XLS.

Every cell is read as text (typed parsing happens per profile, with row errors), so a phone number
never loses its leading zero and an amount never becomes a float. Columns are named c0, c1, ...
and the file's own header texts are kept beside them, because headers repeat and carry spaces and
full-width brackets that must still be shown to the operator exactly as written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from siyu.errors import IngestError
from siyu.ingest.limits import CsvScan
from siyu.ingest.snapshot import open_named_file, snapshot_csv
from siyu.ingest.xlsx_guard import check_xlsx

Source = str | Path | bytes | BinaryIO

_CHUNK = 16 << 20
_FOOTER_WORDS = ("合计", "总计", "小计", "total", "Total", "TOTAL")


@dataclass
class RawTable:
    """One sheet of an export: header texts and all-text columns c0..cN, one row per record."""

    header: list[str]
    frame: pl.DataFrame
    encoding: str | None = None          # None for spreadsheets
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    footer_rows: int = 0                 # trailing 合计/total rows dropped (not counted as rows read)
    blank_rows: int = 0
    # CSV only: rows whose field count differs from the header's (row numbers as in `_row`), and the
    # header's field count; Cells turns them into row errors.
    ragged: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema={"row": pl.Int64, "fields": pl.Int64}))
    header_fields: int = 0
    delimiter: str = ","
    sha256: str | None = None            # of the bytes read, when the reader hashed them while reading

    @property
    def is_table(self) -> bool:
        """Whether the first row reads as a header (two or more short, printable names): only then may a
        message quote it. A key file or a password file read as CSV is one long column, never a table."""
        names = [h for h in self.header if h]
        return len(names) >= 2 and all(len(h) <= 100 and h.isprintable() for h in names)

    @property
    def rows(self) -> int:
        return self.frame.height


def source_bytes_head(source: Source, n: int = 1 << 16) -> bytes:
    if isinstance(source, (str, Path)):
        with open(source, "rb") as fh:
            return fh.read(n)
    if isinstance(source, bytes):
        return source[:n]
    pos = source.tell()
    head = source.read(n)
    source.seek(pos)
    return head


def _open(source: Source) -> BinaryIO:
    if isinstance(source, (str, Path)):
        return open(source, "rb")
    if isinstance(source, bytes):
        return io.BytesIO(source)
    source.seek(0)
    return source  # caller does not close a file-like it was handed


def source_name(source: Source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    return getattr(source, "name", None) or "upload"


def detect_encoding(source: Source) -> str:
    """utf-8-sig / utf-16 from a BOM, utf-8 if the whole file decodes strictly, else gb18030.

    Charset guessers are fooled by short GBK samples, so this only asks "is it valid UTF-8?", which is
    reliable: GBK text of any length almost never is. The UI shows a preview and lets the operator override.
    """
    head = source_bytes_head(source, 4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    decoder = codecs.getincrementaldecoder("utf-8")()
    fh = _open(source)
    try:
        while chunk := fh.read(_CHUNK):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"
    finally:
        if isinstance(source, (str, Path)):
            fh.close()


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: 0 for d in (",", "\t", ";")}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _head_text(fh: BinaryIO, encoding: str) -> str:
    """The first 64 KB decoded (for the empty check and the delimiter), whatever the encoding."""
    fh.seek(0)
    head = fh.read(1 << 16)
    fh.seek(0)
    try:
        return codecs.getincrementaldecoder(encoding)(errors="replace").decode(head).lstrip("\ufeff")
    except UnicodeError:  # UTF-16 without a BOM: snapshot_csv says so, with the encoding's name
        return head.decode("latin-1")


@dataclass
class CsvSnapshot:
    """A CSV snapshotted (hashed, transcoded to UTF-8, scanned against the limits) but not parsed yet:
    `table()` parses it with Polars; siyu.ingest.staged may read it with DuckDB instead. `close()`
    removes the private copy."""

    path: str
    scan: CsvScan
    sha256: str
    encoding: str
    delimiter: str
    header: list[str]              # the first record as Polars reads it, stripped ("" when unreadable)
    private: bool = True           # `path` is a private copy (else the caller's open file, read in place)

    def close(self) -> None:
        if self.private and os.path.exists(self.path):
            os.unlink(self.path)

    def header_table(self) -> RawTable:
        """A RawTable with the header and no rows, for detecting the profile."""
        return RawTable(header=self.header, frame=pl.DataFrame(), encoding=self.encoding, delimiter=self.delimiter,
                        header_fields=self.scan.header_fields, sha256=self.sha256)

    def table(self) -> RawTable:
        try:
            return _parse_snapshot(self)
        finally:
            self.close()


def snapshot_of(source: Source, encoding: str | None = None, *, sha256: str | None = None,
                in_place: bool = False) -> CsvSnapshot:
    """Hash, transcode and scan a CSV into a private UTF-8 copy (memory does not grow with the file).
    `sha256`/`in_place`: see snapshot.snapshot_csv (in place only for a handle the caller keeps open)."""
    encoding = (encoding or detect_encoding(source)).lower().replace("_", "-")
    if encoding in ("gbk", "gb2312", "cp936"):
        encoding = "gb18030"  # a superset: ¥, emoji and rare names that plain GBK cannot decode
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise IngestError(f"未知编码 {encoding!r} / unknown encoding {encoding!r}") from None
    fh = _open(source)
    try:
        head = _head_text(fh, encoding)
        if not head.strip():
            raise IngestError("文件是空的 / the file is empty")
        delimiter = _sniff_delimiter(head.splitlines()[0] if head.splitlines() else head)
        kept_open = not isinstance(source, (str, Path, bytes))
        tmp, scan, digest, private = snapshot_csv(fh, encoding, delimiter, sha256=sha256,
                                                  in_place=in_place and kept_open)
    finally:
        if isinstance(source, (str, Path, bytes)):
            fh.close()
    snap = CsvSnapshot(tmp, scan, digest, encoding, delimiter, [], private)
    try:
        first = pl.read_csv(tmp, has_header=False, infer_schema=False, separator=delimiter, truncate_ragged_lines=True,
                            encoding="utf8", raise_if_empty=False, n_rows=1)
        if first.height:
            snap.header = ["" if v is None else str(v).lstrip("\ufeff").strip() for v in first.row(0)]
    except pl.exceptions.PolarsError:  # table() parses the whole file and says what is wrong with it
        pass
    return snap


def read_csv(source: Source, encoding: str | None = None) -> RawTable:
    return snapshot_of(source, encoding).table()


def _parse_snapshot(snap: CsvSnapshot) -> RawTable:
    encoding, delimiter, scan = snap.encoding, snap.delimiter, snap.scan
    try:
        frame = pl.read_csv(
            snap.path, has_header=False, infer_schema=False, separator=delimiter, truncate_ragged_lines=True,
            encoding="utf8", raise_if_empty=False,
        )
    except pl.exceptions.ComputeError as exc:
        if "utf-8" in str(exc).lower():  # declared (or BOM-marked) UTF-8, but it is not
            raise IngestError(
                f"文件不是有效的 {encoding} 文本；请选择正确的编码（中文 Windows 的 Excel 通常是 GB18030/GBK），"
                f"或在 Excel 中另存为“CSV UTF-8”。 / The file is not valid {encoding}; choose the right encoding "
                "(GB18030/GBK for Excel on Chinese Windows) or save it as CSV UTF-8.") from None
        raise IngestError(
            f"CSV 无法解析：{str(exc).splitlines()[0]}。请检查引号是否成对。 / The CSV cannot be parsed: check quoting.") from None
    if frame.height == 0:
        raise IngestError("文件是空的 / the file is empty")
    if frame.height != scan.records:  # the scan and Polars read the quoting differently: trust neither
        raise IngestError(
            f"CSV 的引号无法可靠解析（读到 {frame.height} 行，逐字节扫描为 {scan.records} 行）；请检查引号是否成对，或重新导出。"
            " / The CSV's quoting is ambiguous: check quoting, or export it again.")
    header = ["" if v is None else str(v).lstrip("\ufeff").strip() for v in frame.row(0)]
    frame = frame.slice(1)
    frame.columns = [f"c{i}" for i in range(frame.width)]
    table = _finish(header, frame, encoding=encoding)
    rows, fields = scan.ragged()
    table.ragged = pl.DataFrame({"row": rows, "fields": fields}, schema={"row": pl.Int64, "fields": pl.Int64})
    table.header_fields, table.delimiter, table.sha256 = scan.header_fields, delimiter, snap.sha256
    return table


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # A sum computed in floating point (12.990000000000002) means the two-decimal amount it is a hair from;
        # anything further from two decimals (a date serial's time of day, a ratio) keeps every digit.
        cents = round(value, 2)
        return repr(cents) if abs(value - cents) < 1e-9 * max(1.0, abs(value)) else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_spreadsheet(source: Source, sheet: str | None = None) -> RawTable:
    from python_calamine import CalamineWorkbook

    fh = _open(source)
    try:
        sha256 = _sha256_of(fh)
        if source_bytes_head(fh, 4).startswith(b"PK"):
            check_xlsx(fh)  # before calamine sees a byte: it allocates the whole range up front
        try:
            wb = CalamineWorkbook.from_filelike(fh)
            names = list(wb.sheet_names)
            chosen = sheet or (names[0] if names else "")
            rows = wb.get_sheet_by_name(chosen).to_python(skip_empty_area=False) if chosen in names else None
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # calamine's own errors, and a Rust panic (a BaseException) on a broken file
            raise IngestError(f"表格文件已损坏，无法打开（{exc}）；请重新导出。 / The spreadsheet is broken: {exc}") from None
        if not names:
            raise IngestError("表格里没有工作表 / the workbook has no sheets")
        if rows is None:
            raise IngestError(f"没有名为 {chosen!r} 的工作表；可选：{names} / no sheet named {chosen!r}")
    finally:
        if isinstance(source, (str, Path)):
            fh.close()
    while rows and all(_cell_text(v) is None for v in rows[0]):
        rows = rows[1:]
    if not rows:
        raise IngestError(f"工作表 {chosen!r} 是空的 / sheet {chosen!r} is empty")
    width = max(len(r) for r in rows)
    columns = [[_cell_text(r[i]) if i < len(r) else None for r in rows[1:]] for i in range(width)]
    if len(rows) == 1:
        raise IngestError("文件只有表头，没有数据行 / the file has a header but no data rows")
    frame = pl.DataFrame({f"c{i}": pl.Series(col, dtype=pl.Utf8) for i, col in enumerate(columns)})
    header = [_cell_text(v) or "" for v in rows[0]] + [""] * (width - len(rows[0]))
    table = _finish([h.strip() for h in header], frame, encoding=None)
    table.sheet, table.sheets, table.sha256 = chosen, names, sha256
    return table


def _sha256_of(fh: BinaryIO) -> str:
    digest = hashlib.sha256()
    fh.seek(0)
    while chunk := fh.read(_CHUNK):
        digest.update(chunk)
    fh.seek(0)
    return digest.hexdigest()


def _finish(header: list[str], frame: pl.DataFrame, encoding: str | None) -> RawTable:
    # Drop unnamed, entirely empty trailing columns (Excel leaves them behind).
    keep = [i for i, h in enumerate(header) if h or frame[f"c{i}"].null_count() < frame.height]
    frame = frame.select([f"c{i}" for i in keep])
    header = [header[i] for i in keep]
    frame.columns = [f"c{i}" for i in range(frame.width)]
    if frame.width == 0 or not any(header):
        raise IngestError("文件没有表头 / the file has no header row")
    # Cheap on big files: a blank row is all nulls/empty strings (whitespace-only cells are rare and
    # then surface as missing required values, with their row number).
    blank = frame.select(pl.all_horizontal(pl.all().is_null() | (pl.all().str.len_bytes() == 0))).to_series()
    blank_rows = int(blank.sum())
    # Row numbers count records from 1 after the header, as the operator sees them in Excel minus one.
    frame = frame.with_columns(pl.int_range(1, frame.height + 1, dtype=pl.Int64).alias("_row"))
    if blank_rows:
        frame = frame.filter(~blank)
    footer = 0
    while frame.height:
        last = [v for v in frame.drop("_row").row(frame.height - 1) if v not in (None, "")]
        if last and str(last[0]).strip().startswith(_FOOTER_WORDS):
            frame = frame.slice(0, frame.height - 1)
            footer += 1
        else:
            break
    if frame.height == 0:
        raise IngestError("文件只有表头，没有数据行 / the file has a header but no data rows")
    return RawTable(header=header, frame=frame, encoding=encoding, footer_rows=footer, blank_rows=blank_rows)


def is_spreadsheet(source: Source) -> bool:
    head = source_bytes_head(source, 8)
    return head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")


def read_named(fh: BinaryIO, name: str, *, encoding: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a file the user named through the handle snapshot.open_named_file gave (streamed from disk,
    never loaded whole); `name` is its file name, for the extension check."""
    got = read_deferred(fh, name, encoding=encoding, sheet=sheet)
    return got.table() if isinstance(got, CsvSnapshot) else got


def read_deferred(source: BinaryIO | bytes, name: str, *, encoding: str | None = None,
                  sheet: str | None = None, sha256: str | None = None, in_place: bool = False) -> RawTable | CsvSnapshot:
    """A spreadsheet read whole (it is bounded by xlsx_guard), or a CSV snapshotted but not parsed yet
    (`sha256`, `in_place`: see snapshot.snapshot_csv)."""
    if is_spreadsheet(source):
        return read_spreadsheet(source, sheet)
    if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise IngestError(
            "扩展名是 xlsx，但内容不是有效的表格文件（已损坏）；请重新导出。 / The .xlsx file is broken; export it again.")
    return snapshot_of(source, encoding, sha256=sha256, in_place=in_place)


def read_table(source: Source, *, encoding: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a CSV or spreadsheet, decided by its content (not its extension).

    A named file is opened once (snapshot.open_named_file: no symlink out of its folder, no device)
    and read through that one handle."""
    if isinstance(source, (str, Path)):
        with open_named_file(source) as fh:
            return read_named(fh, Path(source).name, encoding=encoding, sheet=sheet)
    if not isinstance(source, bytes):  # an upload's file object: read it once, from the start
        source.seek(0)
        source = source.read()
    if is_spreadsheet(source):
        return read_spreadsheet(source, sheet)
    return read_csv(source, encoding)
