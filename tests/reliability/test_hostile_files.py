"""Hostile files, each built here (small on disk), imported by `python -m siyu import` in a child process
held to 4 GB of address space (RLIMIT_AS) and 60 s of CPU (RLIMIT_CPU).

Before the limits (siyu/ingest/limits.py, xlsx_guard.py, snapshot.py) these shapes took 26 s and 5.7 GB
(a 1 MB line of `a,a,…`), exhausted memory (5 MB and 50 MB lines), aborted the process asking for 549 GB
(one xlsx cell at XFD1048576), read a million empty rows (one cell at A1048576), printed a Python
traceback (a zip lying about a size) or echoed the first line of a file a symlink pointed at. Each must
now end in a plain refusal: exit code 1, one JSON line whose `refused` names the limit (Chinese and
English), no traceback, and a database unchanged in every table (tests/reliability/dbstate.py).
"""

from __future__ import annotations

import io
import json
import resource
import shutil
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from siyu.db.connection import forget_schema_cache
from tests.ingest.conftest import xlsx_bytes
from tests.reliability.dbstate import checksums

ROOT = Path(__file__).resolve().parents[2]
MEMORY = 4 << 30     # 4 GB of address space: a normal small import reserves ~2.7 GB (thread arenas), uses ~200 MB
CPU_SECONDS = 60
H = ["order_id", "member_id", "paid_at", "amount"]
GOOD = ["1", "M1", "2024-03-05 10:00", "1.00"]


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def _far_cell(row: int, col: int, header: bool = True) -> bytes:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    if header:
        for c, (h, v) in enumerate(zip(H, GOOD, strict=True)):
            ws.write_string(0, c, h)
            ws.write_string(1, c, v)
    ws.write_string(row, col, "x")
    wb.close()
    return buf.getvalue()


def _huge_sheet_xml() -> bytes:
    """300 MB of sheet XML in a ~1 MB zip (over the 256 MB cap for one part, whatever the ratio)."""
    buf = io.BytesIO()
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>x</t></is></c></row>'
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>order_id</t></is></c></row>')
            block = row * ((8 << 20) // len(row))
            for _ in range(300 // 8 + 1):
                member.write(block)
            member.write(b"</sheetData></worksheet>")
    return buf.getvalue()


def _lying_zip() -> bytes:
    """A real xlsx whose directory says the sheet inflates to 10 bytes."""
    data = bytearray(xlsx_bytes([H] + [[str(i), "M1", "2024-03-05 10:00", "1.00"] for i in range(200)]))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 10)            # local header
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:                  # central directory
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46:pos + 46 + n] == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 10)
        pos += 4
    return bytes(data)


def _far_cell_spelled(cell: bytes) -> bytes:
    """A real xlsx plus one cell at XFD1048576 whose reference is spelled in a legal but unusual way (calamine
    honours single quotes and spaces around `=` as well), under a `<dimension>` that claims A1 only."""
    src = zipfile.ZipFile(io.BytesIO(xlsx_bytes([H, GOOD])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</row></sheetData>", b'</row><row r="1048576">' + cell + b"</row></sheetData>")
                data = data.replace(b'<dimension ref="A1:D2"/>', b'<dimension ref="A1"/>')
            zf.writestr(info.filename, data)
    return out.getvalue()


CSV_HEADER = b"order_id,member_id,paid_at,amount\n"
SHAPES: list[tuple[str, str, Callable[[], bytes], list[str]]] = [
    # (id, file name, content, substrings the refusal must contain)
    ("line_1mb_of_columns", "wide.csv", lambda: b"a," * 500_000 + b"a\n", ["1,000 列", "more than 1,000 columns"]),
    ("line_5mb_of_columns", "wide5.csv", lambda: b"a," * 2_500_000 + b"a\n", ["1,000 列", "more than 1,000 columns"]),
    ("row_9mb_long", "long.csv", lambda: CSV_HEADER + b"1,M1,2024-03-05 10:00,1.00\n2,M1," + b"y" * (3 << 20)
     + b"," + b"z" * (3 << 20) + b"," + b"w" * (3 << 20) + b"\n", ["第 2 行长度超过 8.0 MB", "Row 2 is longer than the 8.0 MB"]),
    ("quote_swallows_5mb", "quote.csv", lambda: CSV_HEADER + b'1,M1,2024-03-05 10:00,"1.00\n'
     + b"2,M2,2024-03-05 11:00,8.00\n" * 200_000, ["第 1 行有一个单元格超过 4.0 MB", "A cell in row 1", "quote"]),
    ("xlsx_cell_at_XFD1048576", "xfd.xlsx", lambda: _far_cell(1_048_575, 16_383), ["XFD1048576", "1,000-column limit"]),
    ("xlsx_only_A1048576", "a1m.xlsx", lambda: _far_cell(1_048_575, 0, header=False),
     ["第 1,048,576 行", "stray cell far below the data"]),
    ("xlsx_stray_cell_below_data", "below.xlsx", lambda: _far_cell(1_048_575, 2), ["D1048576", "far below the data"]),
    ("xlsx_single_quoted_ref", "sq.xlsx",
     lambda: _far_cell_spelled(b"<c r='XFD1048576' t=\"inlineStr\"><is><t>x</t></is></c>"), ["XFD1048576"]),
    ("xlsx_spaced_ref", "sp.xlsx",
     lambda: _far_cell_spelled(b'<c\tr = "XFD1048576" t="inlineStr"><is><t>x</t></is></c>'), ["XFD1048576"]),
    ("xlsx_300mb_sheet_xml", "big.xlsx", _huge_sheet_xml, ["超过单个部件的上限 256 MB", "over the 256 MB limit"]),
    ("xlsx_lying_size", "lie.xlsx", _lying_zip, ["已损坏", "Bad CRC-32"]),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("hostile")
    forget_schema_cache()
    db, first = tmp / "base.duckdb", tmp / "first.csv"
    first.write_bytes(CSV_HEADER + b"".join(f"{i},M{i % 3},2024-03-05 10:00,{i}.00\n".encode() for i in range(1, 30)))
    _run(db, first)
    return db


def _run(db: Path, path: Path) -> tuple[int, dict, str]:
    proc = subprocess.run([sys.executable, "-m", "siyu", "import", "--db", str(db), str(path)], cwd=ROOT,
                          preexec_fn=_limits, capture_output=True, text=True, timeout=300)
    lines = proc.stdout.splitlines()
    assert len(lines) == 1, (proc.returncode, proc.stdout[-500:], proc.stderr[-2000:])
    return proc.returncode, json.loads(lines[0]), proc.stderr


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copy(base_db, path)
    forget_schema_cache()
    return path


@pytest.mark.parametrize(("name", "content", "needles"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_hostile_shape_is_refused_within_memory_and_time(db: Path, tmp_path: Path, name: str,
                                                         content: Callable[[], bytes], needles: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content())
    assert path.stat().st_size < 12 << 20  # small on disk
    before = checksums(db)
    code, report, err = _run(db, path)
    assert code == 1 and report["batch_id"] is None and report["inserted"] == 0
    assert "Traceback" not in err and "memory allocation" not in err
    for needle in needles:
        assert needle in report["refused"], report["refused"]
    assert checksums(db) == before


def test_symlink_to_a_secret_is_refused_without_echoing_it(db: Path, tmp_path: Path) -> None:
    secret = tmp_path / "etc" / "shadow"
    secret.parent.mkdir()
    secret.write_text("root:$6$c2VjcmV0aGFzaA:19000:0:99999:7:::\n")
    (tmp_path / "exports").mkdir()
    link = tmp_path / "exports" / "orders.csv"
    link.symlink_to(secret)
    before = checksums(db)
    code, report, err = _run(db, link)
    assert code == 1 and "symbolic link" in report["refused"]
    assert "c2VjcmV0aGFzaA" not in report["refused"] + err and "root" not in report["refused"] + err
    assert checksums(db) == before
