"""A corpus of broken files, each built here in code, imported through the CLI contract into a database
that already holds data.

What this proves: every broken file gives either a clear refusal (exit code 1, the JSON line's
`refused` naming the problem in Chinese and English, `batch_id` null) or a clear per-row report
(exit code 1, `errors` listing row, column and what is wrong), never a traceback, and a checksum of
every table (tests/reliability/dbstate.py) is unchanged afterwards. tests/ingest covers the
well-formed variants of each format; this file covers the malformed ones.

Known gap (not asserted, see the report): python-calamine reads Excel error cells (#VALUE!, #DIV/0!)
as empty, so an error cell in an optional column (a refund) reads as "no refund"; in a required column
it is reported as an empty required value, which is what the #VALUE! case below checks.
"""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import xlsxwriter

from siyu.cli import main
from siyu.db.connection import forget_schema_cache
from tests.ingest.conftest import xlsx_bytes
from tests.reliability.dbstate import checksums

H = ["order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"]
GOOD = ["9001", "M1", "2024-03-05 10:00", "12.50", "", "paid", "门店甲"]


def _csv(*rows: list[str], encoding: str = "utf-8") -> bytes:
    return "".join(",".join(r) + "\n" for r in [H, *rows]).encode(encoding)


def _with(**cells: str) -> list[str]:
    row = list(GOOD)
    for k, v in cells.items():
        row[H.index(k)] = v
    return row


def _bomb() -> bytes:
    """A zip posing as xlsx whose sheet inflates 1000:1 (20 MB of zeros)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 << 20))
    return buf.getvalue()


def _error_cells() -> bytes:
    """Real Excel error cells (t="e"), as a formula that failed leaves them."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet()
    for c, h in enumerate(H):
        ws.write_string(0, c, h)
    for r, err in ((1, "#VALUE!"), (2, "#DIV/0!")):
        for c, v in enumerate(_with(order_id=f"E{r}")):
            ws.write_string(r, c, v)
        ws.write_formula(r, H.index("amount"), "=1/0", None, err)
    wb.close()
    return buf.getvalue()


REFUSALS: list[tuple[str, str, Callable[[], bytes], list[str], list[str]]] = [
    # (id, file name, content, extra CLI args, substrings the refusal must contain)
    ("empty", "empty.csv", lambda: b"", [], ["文件是空的", "empty"]),
    ("header_only_csv", "h.csv", lambda: _csv(), [], ["没有数据行", "no data rows"]),
    ("header_only_xlsx", "h.xlsx", lambda: xlsx_bytes([H]), [], ["没有数据行", "no data rows"]),
    ("binary_garbage", "garbage.csv", lambda: random.Random(8).randbytes(5000), [], ["gb18030", "encoding"]),
    ("binary_named_xlsx", "garbage.xlsx", lambda: random.Random(8).randbytes(5000), [], ["损坏", "broken"]),
    ("truncated_xlsx", "cut.xlsx", lambda: xlsx_bytes([H, GOOD] * 50)[:1500], [], ["损坏", "broken"]),
    ("decompression_bomb", "bomb.xlsx", _bomb, [], ["压缩炸弹", "decompression bomb"]),
    ("gb18030_declared_utf8", "gb.csv", lambda: _csv(GOOD, encoding="gb18030"), ["--encoding", "utf-8"],
     ["不是有效的 utf-8", "not valid utf-8", "GB18030"]),
    ("utf8_declared_gb18030", "u8.csv", lambda: _csv(GOOD), ["--encoding", "gb18030"],
     ["无法按 gb18030 解码", "not valid gb18030"]),
    ("missing_required_column", "m.csv",
     lambda: b"order_id,member_id,amount\n1,M1,2.00\n", [], ["缺少必需的列", "paid_at"]),
    ("duplicated_header_differing", "dup.csv",
     lambda: b"order_id,member_id,paid_at,amount,amount\n1,M1,2024-03-05 10:00,1.00,9.00\n", [],
     ["'amount' 出现了 2 次", "columns 4、5"]),
    ("unknown_header", "x.csv", lambda: b"a,b,c\n1,2,3\n", [], ["无法识别文件格式", "No profile matches"]),
    ("unbalanced_quote", "q.csv",
     lambda: _csv(_with(amount='"1.00'), _with(order_id="9002")), [], ["引号", "quoting"]),
    ("nul_bytes_only", "zeros.csv", lambda: b"\0" * 3000, [], ["the file"]),
]

ROW_REPORTS: list[tuple[str, str, Callable[[], bytes], list[tuple[int, str, str]]]] = [
    # (id, file name, content, [(row, column, substring of the message)])
    ("million_char_cell", "long.csv", lambda: _csv(GOOD, _with(order_id="9002", store="长" * 1_000_000)),
     [(2, "store", "longer than 10,000 characters")]),
    ("negative_amount", "neg.csv", lambda: _csv(_with(amount="-5.00"), _with(order_id="9002", amount="(3.00)")),
     [(1, "amount", "must not be negative"), (2, "amount", "must not be negative")]),
    ("absurd_amount", "big.csv", lambda: _csv(_with(amount="1000000000000000"), _with(order_id="9002", amount="1e15")),
     [(1, "amount", "over ¥1,000,000,000"), (2, "amount", "unrecognised amount")]),
    ("absurd_amount_xlsx", "big.xlsx", lambda: xlsx_bytes([H, [*GOOD[:3], 1e15, *GOOD[4:]]]),
     [(1, "amount", "over ¥1,000,000,000")]),
    ("future_date", "future.csv", lambda: _csv(_with(paid_at="2099-03-05 10:00"), _with(order_id="9002")),
     [(1, "paid_at", "in the future")]),
    ("excel_error_cells", "err.xlsx", _error_cells,
     [(1, "amount", "required value is empty"), (2, "amount", "required value is empty")]),
    ("nul_byte_in_cell", "nul.csv", lambda: _csv(_with(member_id="M\0" + "1")),
     [(1, "member_id", "NUL")]),
    ("amounts_in_no_export_form", "forms.csv",
     lambda: _csv(_with(amount='"1,2,3"'), _with(order_id="9002", amount='"1.234,56"'),
                  _with(order_id="9003", amount="12.50", refund_amount="184467440737095516.16"),
                  _with(order_id="9004", amount="184467440737095516.16")),
     [(1, "amount", "unrecognised amount: write it like 1299.00"), (2, "amount", "unrecognised amount"),
      (3, "refund_amount", "over ¥1,000,000,000"), (4, "amount", "over ¥1,000,000,000")]),
    ("years_before_the_earliest", "old.csv",
     lambda: _csv(_with(paid_at="1000-03-05 10:00"), _with(order_id="9002", paid_at="1900-01-01"), _with(order_id="9003")),
     [(1, "paid_at", "the date is before 2000"), (2, "paid_at", "the date is before 2000")]),
    ("ansi_escape_in_a_name", "ansi.csv", lambda: _csv(_with(store="\x1b[2J\x1b[31m门店甲")),
     [(1, "store", "control characters")]),
    ("conflicting_duplicate_ids", "dup.csv",
     lambda: _csv(GOOD, _with(order_id="9002"), _with(amount="99.00"), GOOD),
     [(1, "order_id", "appears 3 times with different values (rows 1, 3, 4)"), (3, "order_id", "rows 1, 3, 4"),
      (4, "order_id", "rows 1, 3, 4")]),
    ("unquoted_comma_and_cut_off_row", "ragged.csv",
     lambda: _csv(_with(store="上海,浦东店"), _with(order_id="9002"))[:-1] + b"\nBAD83,BM1,2024-03-05 10:00:00,12",
     [(1, "（整行）/ (whole row)", "8 fields but the header has 7"),
      (3, "（整行）/ (whole row)", "4 fields but the header has 7")]),
    ("unparseable_date_and_amount", "mixed.csv",
     lambda: _csv(GOOD, _with(order_id="9002", paid_at="2024-02-30"), _with(order_id="9003", amount="12.3.4")),
     [(2, "paid_at", "unrecognised date-time"), (3, "amount", "unrecognised amount")]),
]


@pytest.fixture(scope="module")
def base_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with one import in it, so "unchanged" is about real rows."""
    tmp = tmp_path_factory.mktemp("bad")
    forget_schema_cache()
    db = tmp / "base.duckdb"
    first = tmp / "first.csv"
    first.write_bytes(_csv(*[_with(order_id=str(i), member_id=f"M{i % 7}") for i in range(40)]))
    assert main(["import", "--db", str(db), str(first)]) == 0
    return db


@pytest.fixture
def db(base_db: Path, tmp_path: Path) -> Path:
    path = tmp_path / "copy.duckdb"
    shutil.copy(base_db, path)
    forget_schema_cache()
    return path


def _import(db: Path, path: Path, args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict, str]:
    before = checksums(db)
    code = main(["import", "--db", str(db), *args, str(path)])
    out, err = capsys.readouterr()
    assert checksums(db) == before, "a refused file changed the database"
    assert "Traceback" not in err
    lines = out.splitlines()
    assert len(lines) == 1
    return code, json.loads(lines[0]), err


@pytest.mark.parametrize(("name", "content", "args", "needles"), [c[1:] for c in REFUSALS],
                         ids=[c[0] for c in REFUSALS])
def test_broken_file_is_refused_with_a_message_naming_the_problem(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: Callable[[], bytes],
        args: list[str], needles: list[str]) -> None:
    path = tmp_path / name
    path.write_bytes(content())
    code, report, err = _import(db, path, args, capsys)
    assert code == 1
    assert report["batch_id"] is None and report["inserted"] == 0
    for needle in needles:
        assert needle in report["refused"], report["refused"]
    assert report["refused"] in err  # the same reason on stderr, for people reading a terminal


@pytest.mark.parametrize(("name", "content", "expected"), [c[1:] for c in ROW_REPORTS],
                         ids=[c[0] for c in ROW_REPORTS])
def test_bad_rows_are_listed_and_nothing_is_written(
        db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: Callable[[], bytes],
        expected: list[tuple[int, str, str]]) -> None:
    path = tmp_path / name
    path.write_bytes(content())
    code, report, _ = _import(db, path, [], capsys)
    assert code == 1 and report["batch_id"] is None
    assert "nothing was imported" in report["refused"]
    got = [(e["row"], e["column"], e["message"]) for e in report["errors"]]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in expected], got
    for (_, _, message), (_, _, needle) in zip(got, expected, strict=True):
        assert needle in message and "/" in message  # Chinese / English
    # A broken cell can be megabytes: the report shows the start of it, not all of it.
    assert all(len(e["value"] or "") <= 200 for e in report["errors"])


def test_identical_duplicated_columns_are_harmless(db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    """Some exports repeat a column with the same content; only differing twins are refused."""
    path = tmp_path / "twins.csv"
    path.write_bytes(b"order_id,member_id,paid_at,amount,amount\nT1,M1,2024-03-05 10:00,1.00,1.00\n")
    assert main(["import", "--db", str(db), str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["inserted"] == 1


def test_skip_mode_imports_exactly_the_good_rows_of_a_broken_file(db: Path, tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes(_csv(_with(order_id="G1", amount="1.00"), _with(order_id="B1", amount="-1"),
                          _with(order_id="B2", paid_at="2099-01-01"), _with(order_id="G2", amount="2.00"),
                          _with(order_id="B3", store="x" * 20_000)))
    before = checksums(db)["orders"][0]
    assert main(["import", "--db", str(db), "--on-error", "skip", str(path)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_read"], report["rejected"], report["inserted"]) == (5, 3, 2)
    assert checksums(db)["orders"][0] == before + 2
