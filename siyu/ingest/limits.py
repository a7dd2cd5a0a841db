"""Limits that keep a hostile or broken file from taking the process down, checked while it streams past.

A CSV is scanned chunk by chunk (numpy over the bytes, quote-aware) before Polars parses it: the scan
refuses a record, cell or column count over the limits below as soon as it sees one, so a 50 MB line of
`a,a,a,…` costs one chunk of memory, not a frame of 25 million columns. The same scan counts the
fields of every record, which is how a row with more or fewer fields than the header becomes a row error
(Polars would silently drop the extra field or pad the missing ones).

The limits are far above what any real export needs (a 有赞 order export has ~40 columns and rows of a
few hundred bytes); a file over them is broken or hostile, and the message says how to split or fix it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from siyu.errors import IngestError

MAX_COLUMNS = 1_000
MAX_RECORD_BYTES = 8 << 20   # one row, all its cells
MAX_CELL_BYTES = 4 << 20     # one cell; cells over 10,000 characters but under this are row errors (cells.py)
_QUOTE, _NL, _CR = 0x22, 0x0A, 0x0D


_NONE = np.zeros(0, np.int64)


def _has_quote(chunk: bytes | memoryview) -> bool:
    return (chunk.find(b'"') if isinstance(chunk, bytes) else bytes(chunk).find(b'"')) >= 0


def _mb(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB"


@dataclass
class CsvScan:
    """What the scan learnt: field counts per record and where they differ from the header's."""

    header_fields: int = 0
    records: int = 0                 # records seen, the header included (blank lines are records too)
    ends_with_newline: bool = True
    # What decides whether DuckDB may read the file in Polars' place (siyu.ingest.staged): any quote,
    # blank line, NUL byte or carriage return that does not end a line makes the two readers' rules differ.
    quotes: int = 0
    blank_records: int = 0
    nul: bool = False
    bare_cr: bool = False
    ragged_rows: list[np.ndarray] = field(default_factory=list)     # record numbers (1 = first data row)
    ragged_fields: list[np.ndarray] = field(default_factory=list)

    def ragged(self) -> tuple[np.ndarray, np.ndarray]:
        if not self.ragged_rows:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(self.ragged_rows), np.concatenate(self.ragged_fields)


class CsvScanner:
    """Feed UTF-8 bytes in chunks; raises IngestError the moment a limit is passed.

    A quote toggles "inside a quoted cell" (a doubled quote toggles twice, so it cancels); a newline or
    delimiter counts only outside quotes. That is the RFC 4180 reading Polars uses too; files that break
    it (a stray quote inside an unquoted cell) are refused by Polars afterwards.
    """

    def __init__(self, delimiter: str) -> None:
        self.delim = ord(delimiter)
        self.scan = CsvScan()
        self.pos = 0                 # absolute offset of the next byte
        self.quoted = 0              # 1 while inside a quoted cell
        self.record_start = 0        # offset of the current record's first byte
        self.cell_start = 0          # offset of the current cell's first byte
        self.delims = 0              # delimiters seen so far in the current record
        self.last_byte = -1

    def _where(self) -> str:
        n = self.scan.records
        return "表头" if n == 0 else f"第 {n} 行"

    def _where_en(self) -> str:
        n = self.scan.records
        return "the header" if n == 0 else f"row {n}"

    def _check_open(self, end: int) -> None:
        """Limits on the record and cell still being read (they may never end: an unbalanced quote)."""
        if end - self.cell_start > MAX_CELL_BYTES:
            raise IngestError(
                f"{self._where()}有一个单元格超过 {_mb(MAX_CELL_BYTES)}（上限），文件已拒绝。常见原因：引号不成对，"
                "后面的行都被并进了这一格；请检查该行的引号，或重新导出。"
                f" / A cell in {self._where_en()} is longer than the {_mb(MAX_CELL_BYTES)} limit: usually an "
                "unbalanced quote swallowed the following lines; check the quoting of that row or export again.")
        if end - self.record_start > MAX_RECORD_BYTES:
            raise IngestError(
                f"{self._where()}长度超过 {_mb(MAX_RECORD_BYTES)}（一行的上限），文件已拒绝。这不是正常的导出；"
                "请检查该行（引号是否成对、换行是否丢失），或把文件拆成较小的几份重新导出。"
                f" / {self._where_en().capitalize()} is longer than the {_mb(MAX_RECORD_BYTES)} line limit: check "
                "that row (unbalanced quote, missing line breaks) or split the export into smaller files.")
        if self.delims + 1 > MAX_COLUMNS:
            raise IngestError(
                f"{self._where()}有超过 {MAX_COLUMNS:,} 列（列数上限），文件已拒绝。请只导出需要的列，"
                "或检查分隔符是否选对。"
                f" / {self._where_en().capitalize()} has more than {MAX_COLUMNS:,} columns (the column limit): "
                "export only the columns you need, or check the delimiter.")

    def feed(self, chunk: bytes) -> None:
        if not chunk:
            return
        a = np.frombuffer(chunk, np.uint8)
        base = self.pos
        newlines = np.flatnonzero(a == _NL)
        delims = np.flatnonzero(a == self.delim)
        # Machine-written files rarely quote anything: skip the third pass over the bytes when there is no quote.
        quotes = np.flatnonzero(a == _QUOTE) if _has_quote(chunk) else _NONE
        self.scan.quotes += int(quotes.size)
        self._odd_bytes(chunk, a)
        if quotes.size:
            # Outside quotes when the quotes before it, plus the state carried in, are even.
            newlines = newlines[((np.searchsorted(quotes, newlines) + self.quoted) & 1) == 0]
            delims = delims[((np.searchsorted(quotes, delims) + self.quoted) & 1) == 0]
        elif self.quoted:
            newlines, delims = newlines[:0], delims[:0]
        if newlines.size:
            before = np.searchsorted(delims, newlines)  # delimiters in this chunk before each record end
            fields = np.diff(before, prepend=0) + 1
            fields[0] += self.delims
            end_pos = newlines + base
            rec_starts = np.concatenate(([self.record_start], end_pos[:-1] + 1))
            lengths = end_pos - rec_starts
            first = self.scan.records
            if int(lengths.max()) > MAX_CELL_BYTES:  # rare: only then look at the cells of the long records
                self._check_long_records(first, np.flatnonzero(lengths > MAX_CELL_BYTES), before, delims, end_pos,
                                         rec_starts, base)
            over = (lengths > MAX_RECORD_BYTES) | (fields > MAX_COLUMNS)
            if over.any():
                k = int(np.argmax(over))
                self.scan.records, self.record_start = first + k, int(rec_starts[k])
                self.delims, self.cell_start = int(fields[k]) - 1, int(end_pos[k])
                self._check_open(int(end_pos[k]))
            # A blank line (nothing, or a lone \r) is a blank row, not a short one.
            prev_at = end_pos - 1 - base
            prev = np.where(prev_at >= 0, a[np.clip(prev_at, 0, None)], self.last_byte)
            blank = (lengths == 0) | ((lengths == 1) & (prev == _CR))
            self._record(first, fields, blank)
            self.delims = int(delims.size - before[-1])
            self.record_start = int(end_pos[-1]) + 1
        else:
            self.delims += int(delims.size)
        last = max(int(newlines[-1]) if newlines.size else -1, int(delims[-1]) if delims.size else -1)
        if last >= 0:
            self.cell_start = last + base + 1
        self.quoted = (self.quoted + int(quotes.size)) & 1
        self.last_byte = int(a[-1])
        self.pos += len(chunk)
        self._check_open(self.pos)

    def _odd_bytes(self, chunk: bytes, a: np.ndarray) -> None:
        """Note a NUL byte, and a carriage return not followed by a line feed (across chunks too)."""
        if self.last_byte == _CR and a[0] != _NL:
            self.scan.bare_cr = True
        if not self.scan.nul and chunk.find(b"\x00") >= 0:
            self.scan.nul = True
        if not self.scan.bare_cr and chunk.find(b"\r") >= 0:
            cr = np.flatnonzero(a[:-1] == _CR)
            if cr.size and bool((a[cr + 1] != _NL).any()):
                self.scan.bare_cr = True

    def _check_long_records(self, first: int, long: np.ndarray, before: np.ndarray, delims: np.ndarray,
                            end_pos: np.ndarray, rec_starts: np.ndarray, base: int) -> None:
        """The cell limit for records longer than it: their cells' lengths, from their delimiters."""
        for k in long.tolist():
            lo = int(before[k - 1]) if k else 0
            start = max(int(rec_starts[k]), self.cell_start) if k == 0 else int(rec_starts[k])
            edges = np.concatenate(([start - 1], delims[lo:int(before[k])] + base, [int(end_pos[k])]))
            gaps = np.diff(edges) - 1
            if int(gaps.max()) > MAX_CELL_BYTES:
                j = int(np.argmax(gaps > MAX_CELL_BYTES))
                self.scan.records, self.cell_start, self.record_start = first + k, int(edges[j]) + 1, int(rec_starts[k])
                self._check_open(self.cell_start + MAX_CELL_BYTES + 1)

    def _record(self, first: int, fields: np.ndarray, blank: np.ndarray) -> None:
        rows = np.arange(first, first + fields.size, dtype=np.int64)
        if first == 0:
            self.scan.header_fields = int(fields[0])
        bad = (fields != self.scan.header_fields) & ~blank & (rows > 0)
        self.scan.blank_records += int(blank.sum())
        if bad.any():
            self.scan.ragged_rows.append(rows[bad])
            self.scan.ragged_fields.append(fields[bad].astype(np.int64))
        self.scan.records = first + fields.size

    def finish(self) -> CsvScan:
        if self.quoted:
            raise IngestError(
                f"{self._where()}有一个引号没有配对，一直到文件末尾都没有结束；请检查该行的引号（值里的引号要写成两个 \"\"），"
                f"或重新导出。 / An unbalanced quote in {self._where_en()} runs to the end of the file: check the "
                "quoting of that row (a quote inside a value is written twice) or export again.")
        if self.last_byte == _CR:
            self.scan.bare_cr = True
        if self.pos > self.record_start:  # a last line without a line break is a record too
            length = self.pos - self.record_start
            blank = length == 0 or (length == 1 and self.last_byte == _CR)
            self._record(self.scan.records, np.array([self.delims + 1]), np.array([blank]))
            self.scan.ends_with_newline = False
        return self.scan
