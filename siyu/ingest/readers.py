"""Reading an export into text columns: CSV (UTF-8, UTF-8 BOM, GB18030, UTF-16) and XLSX/XLS.

Every cell is read as text (typed parsing happens per profile, with row errors), so a phone number
never loses its leading zero and an amount never becomes a float. Columns are named c0, c1, ...
and the file's own header texts are kept beside them, because headers repeat and carry spaces and
full-width brackets that must still be shown to the operator exactly as written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from siyu.errors import IngestError

Source = str | Path | bytes | BinaryIO

_CHUNK = 16 << 20
# An xlsx is a zip: refuse archives that inflate beyond this, or members that compress suspiciously well.
XLSX_MAX_UNCOMPRESSED = 2 << 30
XLSX_MAX_RATIO = 200
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


def _transcode(source: Source, encoding: str) -> str:
    """Stream the file through Python's codec into a temporary UTF-8 file; returns its path."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    fd, tmp = tempfile.mkstemp(suffix=".csv", prefix="siyu-import-")
    fh = _open(source)
    try:
        with os.fdopen(fd, "wb") as out:
            while chunk := fh.read(_CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeError as exc:
        os.unlink(tmp)
        where = f"（第 {exc.start} 字节附近）" if isinstance(exc, UnicodeDecodeError) else ""
        raise IngestError(
            f"文件无法按 {encoding} 解码{where}；请选择正确的编码，或在 Excel 中另存为“CSV UTF-8”。"
            f" / The file is not valid {encoding}; choose the right encoding or save as CSV UTF-8.") from None
    finally:
        if isinstance(source, (str, Path)):
            fh.close()
    return tmp


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


def read_csv(source: Source, encoding: str | None = None) -> RawTable:
    encoding = (encoding or detect_encoding(source)).lower().replace("_", "-")
    if encoding in ("gbk", "gb2312", "cp936"):
        encoding = "gb18030"  # a superset: ¥, emoji and rare names that plain GBK cannot decode
    tmp = None
    if encoding in ("utf-8", "utf8", "utf-8-sig"):
        target: Source = source
    else:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise IngestError(f"未知编码 {encoding!r} / unknown encoding {encoding!r}") from None
        tmp = _transcode(source, encoding)
        target = tmp
    try:
        head = source_bytes_head(target, 1 << 16).decode("utf-8", errors="replace").lstrip("\ufeff")
        if not head.strip():
            raise IngestError("文件是空的 / the file is empty")
        delimiter = _sniff_delimiter(head.splitlines()[0] if head.splitlines() else head)
        data = target if isinstance(target, (str, Path, bytes)) else target.read()
        try:
            frame = pl.read_csv(
                data if not isinstance(data, bytes) else io.BytesIO(data), has_header=False, infer_schema=False,
                separator=delimiter, truncate_ragged_lines=True, encoding="utf8", raise_if_empty=False,
            )
        except pl.exceptions.ComputeError as exc:
            if "utf-8" in str(exc).lower():  # declared (or BOM-marked) UTF-8, but it is not
                raise IngestError(
                    f"文件不是有效的 {encoding} 文本；请选择正确的编码（中文 Windows 的 Excel 通常是 GB18030/GBK），"
                    f"或在 Excel 中另存为“CSV UTF-8”。 / The file is not valid {encoding}; choose the right encoding "
                    "(GB18030/GBK for Excel on Chinese Windows) or save it as CSV UTF-8.") from None
            raise IngestError(
                f"CSV 无法解析：{str(exc).splitlines()[0]}。请检查引号是否成对。 / The CSV cannot be parsed: check quoting.") from None
    finally:
        if tmp:
            os.unlink(tmp)
    if frame.height == 0:
        raise IngestError("文件是空的 / the file is empty")
    header = ["" if v is None else str(v).lstrip("\ufeff").strip() for v in frame.row(0)]
    frame = frame.slice(1)
    frame.columns = [f"c{i}" for i in range(frame.width)]
    return _finish(header, frame, encoding=encoding)


def check_xlsx_bomb(source: Source) -> None:
    """Refuse an xlsx whose parts inflate beyond XLSX_MAX_UNCOMPRESSED or compress more than XLSX_MAX_RATIO:1."""
    fh = _open(source)
    try:
        with zipfile.ZipFile(fh) as zf:
            total = 0
            for info in zf.infolist():
                total += info.file_size
                ratio = info.file_size / max(info.compress_size, 1)
                if info.file_size > (1 << 20) and ratio > XLSX_MAX_RATIO:
                    raise IngestError(
                        f"xlsx 内部文件 {info.filename} 压缩比 {ratio:.0f}:1，疑似压缩炸弹，已拒绝。请重新从原系统导出。"
                        f" / {info.filename} inflates {ratio:.0f}:1: refused as a possible decompression bomb.")
            if total > XLSX_MAX_UNCOMPRESSED:
                raise IngestError(
                    f"xlsx 解压后 {total >> 20} MB，超过上限 {XLSX_MAX_UNCOMPRESSED >> 20} MB；请改用 CSV 导出。"
                    f" / the xlsx inflates to {total >> 20} MB, over the limit; export CSV instead.")
    except zipfile.BadZipFile:
        raise IngestError("xlsx 文件已损坏（不是有效的 zip）；请重新导出。 / The xlsx file is broken (not a valid zip); export it again.") from None
    finally:
        if isinstance(source, (str, Path)):
            fh.close()


def _cell_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read_spreadsheet(source: Source, sheet: str | None = None) -> RawTable:
    from python_calamine import CalamineWorkbook

    head = source_bytes_head(source, 4)
    if head.startswith(b"PK"):
        check_xlsx_bomb(source)
    fh = _open(source)
    try:
        try:
            wb = CalamineWorkbook.from_filelike(fh)  # type: ignore[arg-type]
        except Exception as exc:  # calamine raises its own error types for broken files
            raise IngestError(f"表格文件已损坏，无法打开（{exc}）；请重新导出。 / The spreadsheet is broken: {exc}") from None
        names = list(wb.sheet_names)
        if not names:
            raise IngestError("表格里没有工作表 / the workbook has no sheets")
        chosen = sheet or names[0]
        if chosen not in names:
            raise IngestError(f"没有名为 {chosen!r} 的工作表；可选：{names} / no sheet named {chosen!r}")
        rows = wb.get_sheet_by_name(chosen).to_python(skip_empty_area=False)
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
    table.sheet, table.sheets = chosen, names
    return table


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


def read_table(source: Source, *, encoding: str | None = None, sheet: str | None = None) -> RawTable:
    """Read a CSV or spreadsheet, decided by its content (not its extension)."""
    if isinstance(source, (str, Path)) and not Path(source).is_file():
        raise IngestError(f"找不到文件 {source} / no such file")
    if not isinstance(source, (str, Path, bytes)):  # an upload's file object: read it once, from the start
        source.seek(0)
        source = source.read()
    if is_spreadsheet(source):
        return read_spreadsheet(source, sheet)
    if isinstance(source, (str, Path)) and Path(source).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        raise IngestError("扩展名是 xlsx，但内容不是有效的表格文件（已损坏）；请重新导出。 / The .xlsx file is broken; export it again.")
    return read_csv(source, encoding)
