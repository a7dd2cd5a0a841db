"""A CSV's shape is checked while it streams: rows with more or fewer fields than the header are row
errors, files over the line/cell/column limits are refused, and a named file is opened once and never
followed through a symlink out of its folder."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from siyu.errors import IngestError
from siyu.ingest import ImportReport
from siyu.ingest.cells import COLUMN_WHOLE_ROW
from siyu.ingest.limits import MAX_CELL_BYTES, MAX_COLUMNS, MAX_RECORD_BYTES, CsvScanner
from siyu.ingest.readers import read_table

HEADER = b"order_id,member_id,paid_at,amount,refund_amount,status,store\n"


def _scan(data: bytes, chunk: int) -> tuple[int, int, list[int], list[int]]:
    scanner = CsvScanner(",")
    for i in range(0, len(data), chunk):
        scanner.feed(data[i:i + chunk])
    scan = scanner.finish()
    rows, fields = scan.ragged()
    return scan.header_fields, scan.records, rows.tolist(), fields.tolist()


@pytest.mark.parametrize("chunk", [1, 2, 5, 1 << 20])
def test_field_counts_do_not_depend_on_where_chunks_split(chunk: int) -> None:
    data = b'a,b,c\r\n1,"x\ny,z",3\r\n1,2\r\n\r\n1,"q""r",3,4\n\n5,6,'
    # header 3 fields; row 1 quoted comma and line break (3 fields); row 2 short; row 3 blank; row 4 four
    # fields; row 5 blank; row 6 (no final line break) 3 fields, the last one empty.
    assert _scan(data, chunk) == (3, 7, [2, 4], [2, 4])


def test_an_unquoted_comma_and_a_cut_off_row_are_row_errors(imp: Callable[..., ImportReport]) -> None:
    data = HEADER + "1,M1,2024-03-05 10:00,12.50,,paid,上海,浦东店\n2,M2,2024-03-05 11:00,8.00,,paid,上海\n".encode() \
        + b"BAD83,BM1,2024-03-05 10:00:00,12"
    report = imp(data)
    assert report.refused and report.batch_id is None
    assert [(e["row"], e["column"], e["value"]) for e in report.errors] == [
        (1, COLUMN_WHOLE_ROW, "1,M1,2024-03-05 10:00,12.50,paid,上海"),
        (3, COLUMN_WHOLE_ROW, "BAD83,BM1,2024-03-05 10:00:00,12"),
    ]
    assert "8 fields but the header has 7" in report.errors[0]["message"]
    assert "4 fields but the header has 7" in report.errors[1]["message"]
    skipped = imp(data, on_error="skip")
    assert (skipped.rows_read, skipped.rejected, skipped.inserted) == (3, 2, 1)


def test_a_blank_line_and_a_total_row_are_not_ragged(imp: Callable[..., ImportReport]) -> None:
    data = HEADER + b"1,M1,2024-03-05 10:00,12.50,,paid,A\n\n2,M2,2024-03-05 11:00,8.00,,paid,A\n\xe5\x90\x88\xe8\xae\xa1,20.50\n"
    report = imp(data)
    assert report.ok and (report.inserted, report.footer_rows_ignored) == (2, 1)


def test_a_one_line_file_of_half_a_million_columns_is_refused_by_the_column_limit() -> None:
    with pytest.raises(IngestError, match=f"more than {MAX_COLUMNS:,} columns"):
        read_table(b"a," * 500_000 + b"a")


def test_a_line_over_the_line_limit_is_refused_naming_the_row() -> None:
    cell = b"x" * (MAX_RECORD_BYTES // 3)  # three cells each under the cell limit, together over the line limit
    data = HEADER + b"1,M1,2024-03-05 10:00,12.50,,paid,A\n" + b"2," + b",".join([cell] * 3) + b",1\n"
    with pytest.raises(IngestError, match="Row 2 is longer than the 8.0 MB line limit"):
        read_table(data)


def test_a_quote_that_never_closes_is_refused_at_the_cell_limit_without_reading_on() -> None:
    data = HEADER + b'1,M1,2024-03-05 10:00,"12.50,,paid,A\n' + b"2,M2,2024-03-05 11:00,8.00,,paid,A\n" * 200_000
    assert len(data) > MAX_CELL_BYTES
    with pytest.raises(IngestError, match="A cell in row 1 is longer than the 4.0 MB limit"):
        read_table(data)


def test_a_short_unbalanced_quote_is_refused_naming_the_row() -> None:
    with pytest.raises(IngestError, match="unbalanced quote in row 2"):
        read_table(HEADER + b"1,M1,2024-03-05 10:00,1.00,,paid,A\n" + b'2,M1,2024-03-05 10:00,"1.00,,paid,A\n')


def test_a_symlink_out_of_the_folder_is_refused_without_echoing_the_target(tmp_path: Path,
                                                                           imp: Callable[..., ImportReport]) -> None:
    secret = tmp_path / "elsewhere" / "shadow"
    secret.parent.mkdir()
    secret.write_text("root:$6$secrethash:19000:0:99999:7:::\n")
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "orders.csv").symlink_to(secret)
    with pytest.raises(IngestError, match="symbolic link to a file in another folder"):
        read_table(folder / "orders.csv")
    # A link to a file beside it is an ordinary alias.
    (folder / "real.csv").write_bytes(HEADER + b"1,M1,2024-03-05 10:00,1.00,,paid,A\n")
    (folder / "alias.csv").symlink_to("real.csv")
    assert read_table(folder / "alias.csv").rows == 1


def test_a_file_that_is_not_a_table_is_not_quoted_in_the_refusal(imp: Callable[..., ImportReport]) -> None:
    report = imp(b"root:$6$secrethash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n", name="shadow.csv")
    assert report.refused and "secrethash" not in report.refused and "root" not in report.refused
    report = imp(b"a,b,c\n1,2,3\n", name="abc.csv")
    assert "['a', 'b', 'c']" in report.refused  # a real table's header is quoted, to help map it


def test_a_device_or_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="not a regular file"):
        read_table(tmp_path)
    if os.path.exists("/dev/zero"):
        with pytest.raises(IngestError, match="not a regular file"):
            read_table("/dev/zero")


def test_a_file_still_growing_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The writer appends the rest of a cut-off last row while siyu waits to see whether the file settles."""
    from siyu.ingest import snapshot

    path = tmp_path / "growing.csv"
    path.write_bytes(HEADER + b"1,M1,2024-03-05 10:00,12.50,,paid,A\nBAD83,BM1,2024-03-05 10:00:00,12")

    def writer_finishes_the_row(_: float) -> None:
        with open(path, "ab") as fh:
            fh.write(b".50,,paid,A\n")

    monkeypatch.setattr(snapshot.time, "sleep", writer_finishes_the_row)
    with pytest.raises(IngestError, match="changed while it was being read"):
        read_table(path)
    # Finished now (ends with a line break): it reads, and the row is whole.
    assert read_table(path).frame["c3"].to_list() == ["12.50", "12.50"]


def test_a_50mb_line_is_refused_after_its_first_chunk_not_at_its_end() -> None:
    """The scanner stops the read: of a 50 MB line of `a,a,…` (the shape that exhausted memory) it sees one
    1 MB chunk before refusing, so nothing of the rest is read, copied or parsed."""
    scanner = CsvScanner(",")
    chunk = b"a," * (1 << 19)  # 1 MB
    fed = 0
    with pytest.raises(IngestError, match=f"more than {MAX_COLUMNS:,} columns"):
        for _ in range(50):
            fed += 1
            scanner.feed(chunk)
    assert fed == 1
