"""Checking an xlsx before any cell is read: the zip directory, then every worksheet streamed through a
bounded inflater, looking only at cell references.

python-calamine allocates the sheet's whole used range up front (rows x columns x 32 bytes): one cell
at XFD1048576 in a 1.7 KB file asks for 549 GB and aborts the process, which on the dashboard takes the
server down for every user. So the largest row and column are found first, from the `<dimension>` the
sheet declares and from the `r="…"` references its rows and cells carry, and a sheet whose range is
over the limits is refused with a message saying which cell to delete. Every part is inflated through
Python's zipfile, which stops at the size the directory declares and checks the CRC, so a zip that lies
about a size is refused as broken before calamine (which trusts other headers) sees it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import BinaryIO

import numpy as np

from siyu.errors import IngestError
from siyu.ingest.limits import MAX_COLUMNS

XLSX_MAX_PART = 256 << 20        # any one part inflated (a sheet's XML, the shared strings)
XLSX_MAX_UNCOMPRESSED = 512 << 20  # all parts together
XLSX_MAX_RATIO = 100             # parts over 1 MB that inflate more than this are refused as bombs
XLSX_MAX_CELLS = 10_000_000      # rows x columns of a sheet's range (what calamine allocates)
XLSX_MAX_ROWS = 1_048_576        # Excel's own limit
# A range this much taller than the rows that hold anything is a stray cell far below the data.
XLSX_MAX_BLANK_ROWS = 100_000
_CHUNK = 8 << 20
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,4})?(\d{1,8})?(?::([A-Z]{1,4})(\d{1,8}))?"')
# calamine honours `r = "…"` with spaces and single quotes too; those rare spellings take the regex path.
_REF_LOOSE = re.compile(rb"r(?:[ \t\r\n]+=|=[ \t\r\n])")
_REF_ANY = re.compile(rb"""\sr\s*=\s*["']([A-Z]{0,7})0*(\d{0,11})["']""")
_WINDOW = 11                     # letters and digits of one reference, and its closing quote
_OVERLAP = 64                    # a reference split across two chunks is seen whole in the next one


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.0f} MB"


def column_number(letters: bytes | str) -> int:
    """`A` -> 1, `Z` -> 26, `AA` -> 27, `XFD` -> 16384."""
    n = 0
    for ch in letters.decode() if isinstance(letters, bytes) else letters:
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


@dataclass
class SheetShape:
    part: str
    max_row: int = 0
    max_col: int = 1
    rows: int = 0                 # <row> elements present
    declared_rows: int = 0
    declared_cols: int = 0


def _broken(detail: str) -> IngestError:
    return IngestError(f"xlsx 文件已损坏（{detail}）；请重新导出。 / The xlsx file is broken ({detail}); export it again.")


def _check_directory(zf: zipfile.ZipFile) -> None:
    total = 0
    for info in zf.infolist():
        total += info.file_size
        if info.file_size > XLSX_MAX_PART:
            raise IngestError(
                f"xlsx 内部文件 {info.filename} 解压后 {_mb(info.file_size)}，超过单个部件的上限 {_mb(XLSX_MAX_PART)}；"
                "表格太大，请改用 CSV 导出，或按时间分成几个文件。"
                f" / {info.filename} inflates to {_mb(info.file_size)}, over the {_mb(XLSX_MAX_PART)} limit for one part: "
                "export CSV instead, or split the export by date.")
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > (1 << 20) and ratio > XLSX_MAX_RATIO:
            raise IngestError(
                f"xlsx 内部文件 {info.filename} 压缩比 {ratio:.0f}:1，疑似压缩炸弹，已拒绝。请重新从原系统导出。"
                f" / {info.filename} inflates {ratio:.0f}:1: refused as a possible decompression bomb.")
    if total > XLSX_MAX_UNCOMPRESSED:
        raise IngestError(
            f"xlsx 解压后 {_mb(total)}，超过上限 {_mb(XLSX_MAX_UNCOMPRESSED)}；请改用 CSV 导出。"
            f" / the xlsx inflates to {_mb(total)}, over the {_mb(XLSX_MAX_UNCOMPRESSED)} limit; export CSV instead.")


def _refs(data: bytes) -> tuple[int, int]:
    """(largest row, largest column) among the `r="B12"` / `r='12'` references in `data`, vectorised: a sheet
    holds millions, and a regex match object per reference cost ten times the inflating."""
    a = np.frombuffer(data, np.uint8)
    n = a.size - 4
    if n <= 0:
        return 0, 0
    head, eq, quote = a[:n], a[2:n + 2], a[3:n + 3]
    hit = ((a[1:n + 1] == 0x72) & (eq == 0x3D) & ((quote == 0x22) | (quote == 0x27))
           & ((head == 0x20) | (head == 0x09) | (head == 0x0A) | (head == 0x0D)))
    starts = np.flatnonzero(hit) + 4
    if not starts.size:
        return 0, 0
    # One contiguous row per character position of the references (position-major is 6x faster than
    # reference-major here). Values fit int32: Excel's largest reference, XFD1048576, has 10 characters.
    window = np.concatenate((a, np.zeros(_WINDOW, np.uint8)))[np.arange(_WINDOW)[:, None] + starts[None, :]]
    row = np.zeros(starts.size, np.int32)
    col = np.zeros(starts.size, np.int32)
    in_letters = np.ones(starts.size, bool)
    in_ref = np.ones(starts.size, bool)
    for b in window:
        letter = in_letters & (b >= 65) & (b <= 90)
        wide = b.astype(np.int32)
        np.copyto(col, col * 26 + wide - 64, where=letter)
        in_letters = letter
        digit = in_ref & ~letter & (b >= 48) & (b <= 57)
        np.copyto(row, row * 10 + wide - 48, where=digit)
        in_ref &= letter | digit
    if in_ref.any():  # a reference longer than any Excel writes: count it as beyond every limit
        return 1 << 40, 1 << 20
    return int(row.max()), int(col.max())


def _shape(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> SheetShape:
    shape = SheetShape(info.filename)
    tail = b""
    first = True
    with zf.open(info) as member:  # stops at the declared size and checks the CRC at the end
        while chunk := member.read(_CHUNK):
            data = tail + chunk
            if first and (m := _DIMENSION.search(data[:4096])):
                c1, r1, c2, r2 = m.groups()
                shape.declared_cols = column_number(c2 or c1 or b"A")
                shape.declared_rows = int(r2 or r1 or 1)
            first = False
            max_row, max_col = _refs(data)
            if _REF_LOOSE.search(data):
                for letters, digits in _REF_ANY.findall(data):
                    max_row, max_col = max(max_row, int(digits or 0)), max(max_col, column_number(letters))
            shape.max_row, shape.max_col = max(shape.max_row, max_row), max(shape.max_col, max_col)
            # Count row tags in the new bytes only (the overlap was counted with the previous chunk).
            shape.rows += sum(data.count(t, len(tail)) for t in (b"<row ", b"<row>", b":row ", b":row>"))
            tail = data[-_OVERLAP:]
    return shape


def _refuse_shape(sheet: SheetShape) -> None:
    rows, cols = max(sheet.max_row, sheet.declared_rows), max(sheet.max_col, sheet.declared_cols)
    far = f"{column_letters(cols)}{rows}"
    if cols > MAX_COLUMNS:
        raise IngestError(
            f"工作表的范围一直到 {far}，超过 {MAX_COLUMNS:,} 列（列数上限），已拒绝。通常是远处有一个多余的单元格："
            "请在 Excel 中删除数据右边的所有空列后重新保存，或改用 CSV 导出。"
            f" / The sheet's range reaches {far}, over the {MAX_COLUMNS:,}-column limit: usually a stray cell far to "
            "the right; delete the empty columns right of the data and save again, or export CSV.")
    if rows > XLSX_MAX_ROWS or rows * cols > XLSX_MAX_CELLS:
        raise IngestError(
            f"工作表的范围一直到 {far}（{rows:,} 行 × {cols:,} 列），超过 {XLSX_MAX_CELLS:,} 个单元格的上限；"
            "请改用 CSV 导出，或按时间分成几个文件。"
            f" / The sheet's range reaches {far} ({rows:,} rows x {cols:,} columns), over the {XLSX_MAX_CELLS:,}-cell "
            "limit: export CSV instead, or split the export by date.")
    if rows - sheet.rows > XLSX_MAX_BLANK_ROWS and rows > 2 * sheet.rows:
        raise IngestError(
            f"工作表只有 {sheet.rows:,} 行有内容，范围却一直到第 {rows:,} 行（{far}）：远处有一个多余的单元格。"
            "请在 Excel 中删除数据下方的空行后重新保存。"
            f" / Only {sheet.rows:,} rows hold anything but the sheet's range reaches row {rows:,} ({far}): a stray cell "
            "far below the data; delete the empty rows below the data and save again.")


def check_xlsx(fh: BinaryIO) -> None:
    """Refuse an xlsx that is broken, a bomb, or whose sheets' ranges are over the limits (IngestError)."""
    fh.seek(0)
    try:
        with zipfile.ZipFile(fh) as zf:
            _check_directory(zf)
            for info in zf.infolist():
                if info.is_dir():
                    continue
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _refuse_shape(_shape(zf, info))
                else:  # inflate it anyway: a part that lies about its size fails its CRC here
                    with zf.open(info) as member:
                        while member.read(_CHUNK):
                            pass
    except IngestError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _broken(str(exc) or "zip") from None
    except (NotImplementedError, RuntimeError, ValueError, OSError) as exc:  # encrypted, odd compression, ...
        raise _broken(str(exc) or type(exc).__name__) from None
    finally:
        fh.seek(0)
