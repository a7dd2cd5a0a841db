"""Reading files exactly as tools write them: encodings, line endings, quoting, totals, xlsx cells, bombs."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable

import pytest

from siyu.errors import IngestError
from siyu.ingest import preview
from siyu.ingest.readers import detect_encoding, read_table

ROWS = [["订单号", "金额（元）", "备注"], ["A1", "¥1,299.00", "多行\n备注, 带逗号"], ["A2", "😀", "x"]]


@pytest.mark.parametrize("encoding,newline,expected", [
    ("utf-8", "\n", "utf-8"), ("utf-8-sig", "\r\n", "utf-8-sig"), ("gb18030", "\r\n", "gb18030"),
    ("utf-16", "\r\n", "utf-16")])
def test_encodings_line_endings_and_quoting(csvb: Callable[..., bytes], encoding: str, newline: str,
                                            expected: str) -> None:
    data = csvb(ROWS, encoding, newline)
    table = read_table(data)
    assert table.encoding == expected
    assert table.header == ["订单号", "金额（元）", "备注"]
    assert table.frame.drop("_row").rows() == [("A1", "¥1,299.00", "多行\n备注, 带逗号"), ("A2", "😀", "x")]
    assert table.frame["_row"].to_list() == [1, 2]


def test_short_gbk_sample_is_gb18030_and_can_be_overridden(csvb: Callable[..., bytes]) -> None:
    data = csvb([["客户名称"], ["张伟"]], "gbk")
    assert detect_encoding(data) == "gb18030"
    assert read_table(data).frame["c0"].to_list() == ["张伟"]
    assert read_table(data, encoding="GBK").frame["c0"].to_list() == ["张伟"]
    with pytest.raises(IngestError, match="utf-16"):
        read_table(data, encoding="utf-16")


def test_total_rows_and_blank_rows_are_not_data(csvb: Callable[..., bytes]) -> None:
    data = csvb([["订单号", "金额"], ["A1", "1"], [None, None], ["A2", "2"], ["合计", "3"]])
    table = read_table(data)
    assert table.rows == 2 and table.footer_rows == 1 and table.blank_rows == 1
    assert table.frame["_row"].to_list() == [1, 3]  # row numbers as counted in the file


@pytest.mark.parametrize("data,message", [
    (b"", "empty"), (b"\xef\xbb\xbf", "empty"), (b"order_id,amount\r\n", "no data rows"),
    (b"\n\n", "empty")])
def test_empty_and_header_only_files_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        read_table(data)


def test_xlsx_date_cells_numbers_and_sheet_choice(xlsxb: Callable[..., bytes]) -> None:
    data = xlsxb([["paid_at", "phone", "amount", "serial"], [dt.datetime(2024, 3, 5, 14, 5), 13800138000, 12.5, 45356]],
                 extra_sheets={"第二页": [["a"], ["b"]]})
    table = read_table(data)
    assert table.sheets == ["Sheet1", "第二页"] and table.sheet == "Sheet1" and table.encoding is None
    assert table.frame.drop("_row").rows() == [("2024-03-05 14:05:00", "13800138000", "12.5", "45356")]
    assert read_table(data, sheet="第二页").frame["c0"].to_list() == ["b"]
    with pytest.raises(IngestError, match="没有名为"):
        read_table(data, sheet="nope")


def test_broken_xlsx_is_refused(tmp_path) -> None:
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not a zip")
    with pytest.raises(IngestError, match="broken"):
        read_table(path)
    path.write_bytes(b"\x00\x01 not even close")
    with pytest.raises(IngestError, match="broken"):
        read_table(path)


def test_xlsx_decompression_bomb_is_refused_before_parsing() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"0" * (64 << 20))  # 64 MB of zeros, ~64 KB compressed
    with pytest.raises(IngestError, match="bomb"):
        read_table(buf.getvalue())


def test_preview_shows_encoding_profile_and_sample(csvb: Callable[..., bytes]) -> None:
    data = csvb([["order_id", "member_id", "paid_at", "amount"], ["o1", "m1", "2024-03-05", "1"], ["合计", "", "", "1"]],
                "gb18030")
    p = preview(data)
    assert (p.encoding, p.profile, p.rows) == ("gb18030", "generic_orders", 1)
    assert p.sample.columns == ["order_id", "member_id", "paid_at", "amount"]
    assert p.notes and "合计" in p.notes[0]


def test_utf16_tab_separated_unicode_text(csvb: Callable[..., bytes]) -> None:
    # Excel's "Unicode text" export: UTF-16 with a BOM, tab separated.
    text = "客户名称\t添加人\t添加时间\r\n张伟\t李娜\t2024/1/1 10:00\r\n"
    table = read_table(text.encode("utf-16"))
    assert table.encoding == "utf-16" and table.header == ["客户名称", "添加人", "添加时间"]
    assert table.frame.drop("_row").rows() == [("张伟", "李娜", "2024/1/1 10:00")]


def test_file_objects_read_from_the_start(csvb: Callable[..., bytes]) -> None:
    fh = io.BytesIO(csvb(ROWS, "gb18030"))
    fh.read(5)
    assert read_table(fh).rows == 2
