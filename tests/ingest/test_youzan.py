"""有赞: orders (buyer = 买家手机号, 实付 = amount, refunds, 待付款, 合计) and the customer export (snapshots)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

H = ["订单号", "订单状态", "订单创建时间", "买家付款时间", "订单实付金额（元）", "买家手机号", "收货人手机号/提货人手机号",
     "订单退款状态", "订单已退款金额", "归属店铺", "分销员"]
WEEK1 = [
    H,
    ["E001", "交易成功", "2024/3/5 14:05", "2024/3/5 14:06", "¥1,299.00", "+86 138-0013-8000", "13900000000", "", "0", "旗舰店", "小美"],
    ["E002", "已关闭", "2024-03-06 10:00:00", "", "0.00", "13800138000", "", "", "", "旗舰店", ""],
    ["E003", "待付款", "2024-03-07 10:00", "", "99", "", "", "", "", "旗舰店", ""],
    ["E004", "交易成功", "2024年3月8日", "2024年3月8日", "0", "138****8000", "", "", "", "旗舰店", ""],
    ["E005", "已关闭", "2024-03-09 10:00", "2024-03-09 10:01", "50", "13800138001", "", "退款成功", "50", "旗舰店", ""],
    ["E006", "交易成功", "2024-03-10 09:00", "2024-03-10 09:00", "200.00元", "138 0013 8000", "", "退款中", "80", "旗舰店", ""],
    ["合计", "", "", "", "1648", "", "", "", "130", "", ""],
]
WEEK2 = [
    H,
    ["E001", "交易成功", "2024-03-05 14:05:00", "2024-03-05 14:06:00", "1299", "13800138000", "", "", "0.00", "旗舰店", "小美"],
    ["E005", "已关闭", "2024-03-09 10:00", "2024-03-09 10:01", "50", "13800138001", "", "退款成功", "50", "旗舰店", ""],
    ["E006", "交易成功", "2024-03-10 09:00", "2024-03-10 09:00", "200", "13800138000", "", "退款成功", "200", "旗舰店", ""],
    ["E007", "交易成功", "2024-03-12 09:00", "2024-03-12 09:00", "10", "13800138000", "", "", "", "旗舰店", ""],
]


def _orders(sql: Callable[..., list[tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
    return sql("SELECT order_id, paid_cents, refunded_cents, status FROM orders ORDER BY order_id")


def test_week1_gb18030_export(imp, csvb, sql) -> None:
    r = imp(csvb(WEEK1, "gb18030", "\r\n"), "有赞订单_20240311.csv")
    assert r.ok, r.refused
    assert (r.profile, r.encoding, r.rows_read, r.footer_rows_ignored) == ("youzan_orders", "gb18030", 6, 1)
    assert (r.inserted, r.updated, r.duplicates, r.rejected, r.linked, r.members_created) == (6, 0, 0, 0, 0, 4)
    assert _orders(sql) == [
        ("youzan:E001", 129900, 0, "paid"), ("youzan:E002", 0, 0, "cancelled"), ("youzan:E003", 9900, 0, "unpaid"),
        ("youzan:E004", 0, 0, "paid"), ("youzan:E005", 5000, 5000, "refunded"),
        ("youzan:E006", 20000, 8000, "partially_refunded")]
    # Valid orders: E001, the free sample E004 and the partial refund E006, net of refunds.
    assert sql("SELECT count(*), sum(net_cents) FROM valid_orders") == [(3, 129900 + 0 + 12000)]
    # The buyer is 买家手机号 (not the receiver's 13900000000): E001, E002 and E006 belong to one member.
    assert sql("SELECT count(DISTINCT member_id) FROM orders WHERE order_id IN ('youzan:E001','youzan:E002','youzan:E006')") == [(1,)]
    assert sql("SELECT count(*) FROM member_identities WHERE value = '13900000000'") == [(0,)]
    assert sql("SELECT kind, value FROM member_identities ORDER BY kind, value") == [
        ("phone", "13800138000"), ("phone", "13800138001"), ("phone_masked", "138****8000")]
    assert sql("SELECT paid_at, distributor FROM orders WHERE order_id = 'youzan:E001'")[0][1] == "小美"
    assert sql("SELECT rows_read, rows_inserted, rows_duplicate, profile FROM import_batches") == [
        (6, 6, 0, "youzan_orders")]


def test_reimport_is_all_duplicates(imp, csvb, counts) -> None:
    data = csvb(WEEK1, "gb18030", "\r\n")
    imp(data)
    before = counts()
    r = imp(data)
    assert (r.inserted, r.updated, r.duplicates, r.members_created) == (0, 0, 6, 0)
    assert counts() == before


def test_overlapping_weekly_exports_upsert_and_undo(imp, csvb, sql, counts, db, settings) -> None:
    from siyu.ingest import list_batches, undo_batch

    first = imp(csvb(WEEK1, "gb18030", "\r\n"))
    after_week1 = (counts(), _orders(sql))
    r = imp(csvb(WEEK2, "utf-8-sig"))
    # E001 in another spelling and E005 unchanged are duplicates; E006's refund completed is an update.
    assert (r.rows_read, r.inserted, r.updated, r.duplicates, r.linked, r.members_created) == (4, 1, 1, 2, 1, 0)
    assert ("youzan:E006", 20000, 20000, "refunded") in _orders(sql)
    assert sql("SELECT updated_batch_id FROM orders WHERE order_id = 'youzan:E006'") == [(r.batch_id,)]
    assert sql("SELECT sum(net_cents) FROM valid_orders") == [(129900 + 1000,)]

    undo_id = undo_batch(db, r.batch_id, settings=settings)
    assert undo_id > r.batch_id
    assert (counts(), _orders(sql)) == after_week1
    hist = list_batches(db, settings)
    assert hist.select("batch_id", "profile", "status").rows() == [
        (undo_id, "undo", "committed"), (r.batch_id, "youzan_orders", "undone"), (first.batch_id, "youzan_orders", "committed")]
    # The same file imports again after the undo.
    again = imp(csvb(WEEK2, "utf-8-sig"))
    assert (again.inserted, again.updated, again.duplicates) == (1, 1, 2)


def test_row_errors_refuse_by_default_and_skip_on_request(imp, csvb, sql, counts) -> None:
    rows = [H,
            ["E101", "交易成功", "2024-03-05 10:00", "2024-03-05 10:00", "12", "13800138000", "", "", "", "", ""],
            ["E102", "交易成功", "2024-03-05 10:00", "昨天", "abc", "13800138000", "", "", "", "", ""],
            ["E103", "交易成功", "2024-03-05 10:00", "2024-03-05 10:00", "-5", "13800138000", "", "", "", "", ""],
            ["E104", "待付款", "2024-03-05 10:00", "", "", "", "", "", "", "", ""],
            ["E105", "交易成功", "2024-03-05 10:00", "2024-03-05 10:00", "=1+1", "", "", "", "", "", ""]]
    empty = counts()
    r = imp(csvb(rows))
    assert not r.ok and "3 行有问题" in r.refused and r.batch_id is None
    assert r.rejected == 3
    assert [(e["row"], e["column"], e["value"]) for e in r.errors] == [
        (2, "买家付款时间", "昨天"), (2, "订单实付金额（元）", "abc"), (3, "订单实付金额（元）", "-5"),
        (5, "订单实付金额（元）", "=1+1"), (5, "买家手机号", None)]
    assert "无法识别的金额" in r.errors[1]["message"] and "negative" in r.errors[2]["message"]
    assert counts() == empty and sql("SELECT count(*) FROM import_batches") == [(0,)]
    # The downloadable error list keeps the formula-like value as text, neutralised for spreadsheets.
    assert "'=1+1" in r.errors_csv()
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_filelike(__import__("io").BytesIO(r.errors_xlsx())).get_sheet_by_name("errors").to_python()
    assert sheet[0] == ["row", "column", "value", "message"] and sheet[4][2] == "'=1+1"

    s = imp(csvb(rows), on_error="skip")
    assert s.ok and (s.rows_read, s.inserted, s.rejected) == (5, 2, 3)
    assert sql("SELECT order_id, status FROM orders ORDER BY 1") == [("youzan:E101", "paid"), ("youzan:E104", "unpaid")]
    assert sql("SELECT row_no, column_name, value FROM ingest_rejects ORDER BY row_no, column_name") == [
        (2, "买家付款时间", "昨天"), (2, "订单实付金额（元）", "abc"), (3, "订单实付金额（元）", "-5"),
        (5, "买家手机号", None), (5, "订单实付金额（元）", "=1+1")]
    assert sql("SELECT rows_rejected, on_error FROM import_batches") == [(3, "skip")]



def test_a_negative_amount_on_an_unpaid_order_is_a_row_error_not_a_crash(imp, csvb, sql) -> None:
    """An unpaid order's amount is not checked as a payment, but a negative one used to reach the orders
    table's CHECK (paid_cents >= 0) and fail the whole load with a database error."""
    rows = [H,
            ["E201", "待付款", "2024-03-05 10:00", "", "-5.00", "", "", "", "", "", ""],
            ["E202", "已关闭", "2024-03-05 10:00", "", "3.00", "13800138000", "", "", "-1.00", "", ""],
            ["E203", "待付款", "2024-03-05 10:00", "", "5.00", "", "", "", "", "", ""]]
    r = imp(csvb(rows), on_error="skip")
    assert r.ok, r.refused
    assert [(e["row"], e["column"], e["value"]) for e in r.errors] == [
        (1, "订单实付金额（元）", "-5.00"), (2, "订单已退款金额", "-1.00")]
    assert all("negative" in e["message"] for e in r.errors)
    assert sql("SELECT order_id, paid_cents, status FROM orders") == [("youzan:E203", 500, "unpaid")]

CUSTOMERS_H = ["客户姓名", "客户昵称", "客户手机号", "标签", "成长值", "免费等级", "付费等级", "客户积分", "来源渠道", "成为客户时间"]


def test_customer_export_snapshots_accumulate(imp, csvb, sql, counts) -> None:
    day1 = [CUSTOMERS_H,
            ["张伟", "伟", "13800138000", "高价值,复购", "100", "VIP1", "", "1,200", "公众号", "2024/1/5 10:00"],
            ["", "小红", "186******05", "", "0", "", "", "0", "小程序", "2024/1/6 11:00"],
            ["", "小蓝", "186******05", "", "0", "", "", "0", "小程序", "2024/1/7 11:00"]]
    r1 = imp(csvb(day1, "gb18030"), "有赞客户_20240301.csv")
    assert r1.ok, r1.refused
    assert (r1.profile, r1.inserted, r1.members_created, str(r1.snapshot_date)) == ("youzan_customers", 3, 3, "2024-03-01")
    # Two customers with the same masked phone stay two members.
    assert sql("SELECT count(DISTINCT member_id) FROM member_identities WHERE kind = 'phone_masked'") == [(2,)]
    assert sql("SELECT tier, points FROM member_snapshots ORDER BY member_id") == [("VIP1", 1200), (None, 0), (None, 0)]
    assert sql("SELECT tag FROM member_tags ORDER BY tag") == [("复购",), ("高价值",)]

    same = imp(csvb(day1, "gb18030"), "有赞客户_20240301.csv")
    assert (same.inserted, same.updated, same.duplicates, same.members_created) == (0, 0, 3, 0)
    # The same file under another name (no date) still lands on its first snapshot date: same sha256.
    renamed = imp(csvb(day1, "gb18030"), "customers.csv")
    assert (renamed.duplicates, str(renamed.snapshot_date)) == (3, "2024-03-01")

    day2 = [CUSTOMERS_H, ["张伟", "伟", "138 0013 8000", "", "300", "VIP2", "", "50", "公众号", "2024/1/5 10:00"],
            ["", "小红", "186******05", "", "0", "", "", "0", "小程序", "2024/1/6 11:00"]]
    r2 = imp(csvb(day2), "有赞客户_20240401.csv")
    assert (r2.inserted, r2.members_created, r2.linked) == (2, 0, 2)
    assert sql("SELECT snapshot_date::VARCHAR, tier, points FROM member_snapshots s JOIN member_identities i "
               "USING (member_id) WHERE i.value = '13800138000' ORDER BY 1") == [
        ("2024-03-01", "VIP1", 1200), ("2024-04-01", "VIP2", 50)]
    assert sql("SELECT tier, rank FROM tiers ORDER BY rank") == [("VIP1", 1), ("VIP2", 2)]
    # A changed value on the same snapshot date is an update.
    day2b = [CUSTOMERS_H, ["张伟", "伟", "13800138000", "", "300", "VIP3", "", "60", "公众号", "2024/1/5 10:00"]]
    r3 = imp(csvb(day2b), "有赞客户_20240401_b.csv", snapshot_date=__import__("datetime").date(2024, 4, 1))
    assert (r3.inserted, r3.updated, r3.duplicates) == (0, 1, 0)


@pytest.mark.parametrize("status,paid,refund,expected", [
    ("交易成功", "100", "100", "refunded"), ("交易成功", "100", "30", "partially_refunded"),
    ("已发货", "100", "", "paid"), ("已关闭", "", "", "cancelled"), ("待付款", "", "", "unpaid")])
def test_status_semantics(imp, csvb, sql, status: str, paid: str, refund: str, expected: str) -> None:
    paid_at = "" if status in ("已关闭", "待付款") else "2024-03-05 10:00"
    r = imp(csvb([H, ["X1", status, "2024-03-05 09:00", paid_at, paid, "13800138000", "", "", refund, "", ""]]))
    assert r.ok, r.errors
    assert sql("SELECT status FROM orders") == [(expected,)]
