"""Values are read strictly (#15): what is not in a form exports use is a row error, never another number;
the earliest accepted year is a setting; a repeated order id must repeat the same order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from siyu.config import Settings
from siyu.ingest import ImportReport
from siyu.ingest.readers import _cell_text

H = ["order_id", "member_id", "paid_at", "amount", "refund_amount"]


def test_the_earliest_year_is_a_setting(imp: Callable[..., ImportReport], csvb: Callable[..., bytes],
                                        settings: Settings) -> None:
    data = csvb([H, ["A1", "M1", "1995-06-01 10:00", "10.00", ""], ["A2", "M1", "2024-03-05 10:00", "20.00", ""]])
    refused = imp(data)
    assert [(e["row"], e["column"], e["value"]) for e in refused.errors] == [(1, "paid_at", "1995-06-01 10:00")]
    assert "before 2000" in refused.errors[0]["message"]
    older = Settings(db=settings.db, lock_timeout=10.0, earliest_year=1990)
    ok = imp(data, settings=older)
    assert ok.ok and ok.inserted == 2


def test_conflicting_repeats_are_skipped_whole_and_identical_repeats_are_duplicates(
        imp: Callable[..., ImportReport], csvb: Callable[..., bytes], sql: Callable[..., list[Any]]) -> None:
    data = csvb([H, ["A1", "M1", "2024-03-05 10:00", "10.00", ""],
                 ["A2", "M1", "2024-03-05 11:00", "20.00", ""],
                 ["A1", "M1", "2024-03-05 10:00", "10.00", "4.00"],    # A1 again, now with a refund: which is right?
                 ["A2", "M1", "2024-03-05 11:00", "20.00", ""]])       # A2 again, the same: harmless
    report = imp(data, on_error="skip")
    assert report.ok and (report.rows_read, report.rejected, report.inserted, report.duplicates) == (4, 2, 1, 1)
    assert {e["row"] for e in report.errors} == {1, 3}
    assert all(e["value"] == "A1" and "rows 1, 3" in e["message"] for e in report.errors)
    assert sql("SELECT order_id, paid_cents FROM orders") == [("A2", 2000)]


def test_control_characters_in_a_wecom_tag_column_are_row_errors(imp: Callable[..., ImportReport],
                                                                 csvb: Callable[..., bytes]) -> None:
    head = ["客户名称", "添加人", "添加人账号", "添加时间", "来源", "客户等级"]
    report = imp(csvb([head, ["张伟", "李娜", "lina", "2024-01-01 10:00", "扫描二维码", "高意向\x1b[8m"],
                       ["小红", "李娜", "lina", "2024-01-02 10:00", "群聊", "低"]]))
    assert report.profile == "wecom_customers"
    assert [(e["row"], e["column"], e["value"]) for e in report.errors] == [(1, "客户等级", "高意向\ufffd[8m")]


def test_an_xlsx_float_a_hair_from_two_decimals_reads_as_the_amount() -> None:
    assert [_cell_text(v) for v in (12.990000000000002, 0.1 + 0.2, 1299.0, 45356.5854, 12.5)] == [
        "12.99", "0.3", "1299", "45356.5854", "12.5"]
