"""Generic formats: the documented way for any other system to feed siyu."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from siyu.config import Settings
from siyu.ingest import import_file, save_mapping, saved_mappings

OH = ["order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"]
MH = ["member_id", "joined_at", "phone", "name", "channel", "staff", "tier", "points", "tags", "deleted_at"]
RH = ["referrer_id", "referee_id", "referred_at", "campaign"]


def test_generic_orders_amounts_statuses_and_exact_ids(imp, csvb, sql) -> None:
    rows = [OH, ["1001", "M1", "2024-03-05 10:00:00", "0", "", "", "门店A"],
            ["1002", "M1", "2024-03-06 10:00:00", "100.5", "100.5", "paid", ""],
            ["1003", "M2", "2024-03-07 10:00:00", "80", "30", "paid", ""],
            ["1004", "M2", "2024-03-08 10:00:00", "80", "", "cancelled", ""],
            ["1005", "M3", "2024-03-08T10:00:00+00:00", "10", "", "refunded", ""]]
    r = imp(csvb(rows))
    assert r.ok, r.errors
    assert (r.inserted, r.members_created) == (5, 3)
    assert sql("SELECT order_id, paid_cents, refunded_cents, status, store, paid_at::VARCHAR FROM orders ORDER BY 1") == [
        ("1001", 0, 0, "paid", "门店A", "2024-03-05 10:00:00"), ("1002", 10050, 10050, "refunded", None, "2024-03-06 10:00:00"),
        ("1003", 8000, 3000, "partially_refunded", None, "2024-03-07 10:00:00"),
        ("1004", 8000, 0, "cancelled", None, "2024-03-08 10:00:00"),
        ("1005", 1000, 0, "refunded", None, "2024-03-08 18:00:00")]
    # The zero-amount free sample is a valid order.
    assert sql("SELECT order_id, net_cents FROM valid_orders ORDER BY 1") == [("1001", 0), ("1003", 5000)]
    assert sql("SELECT kind, value FROM member_identities ORDER BY 2") == [
        ("external_member_id", "M1"), ("external_member_id", "M2"), ("external_member_id", "M3")]


def test_generic_row_errors_name_row_column_value(imp, csvb) -> None:
    rows = [OH, ["1", "M1", "2024-03-05", "-1", "", "", ""], ["2", "", "2024-13-05", "1", "", "shipped", ""],
            ["3", "M1", "2024-03-05", "1", "x", "", ""]]
    r = imp(csvb(rows))
    assert not r.ok and r.rejected == 3
    assert [(e["row"], e["column"], e["value"]) for e in r.errors] == [
        (1, "amount", "-1"), (2, "member_id", None), (2, "status", "shipped"), (2, "paid_at", "2024-13-05"),
        (3, "refund_amount", "x")]


def test_same_order_twice_in_one_file_counts_once(imp, csvb, sql) -> None:
    r = imp(csvb([OH, ["1", "M1", "2024-03-05", "1", "", "", ""], ["1", "M1", "2024-03-05", "1", "", "", ""]]))
    assert (r.rows_read, r.records, r.inserted, r.duplicates) == (2, 2, 1, 1)


def test_xlsx_with_date_cells_and_serials(imp, xlsxb, sql) -> None:
    data = xlsxb([OH, ["A", "M1", dt.datetime(2024, 3, 5, 14, 5), 12.5, None, None, None],
                  ["B", "M1", 45356, 1299, 0, "paid", None]])
    r = imp(data, "orders.xlsx")
    assert r.ok, r.errors
    assert sql("SELECT order_id, paid_at::VARCHAR, paid_cents FROM orders ORDER BY 1") == [
        ("A", "2024-03-05 14:05:00", 1250), ("B", "2024-03-05 00:00:00", 129900)]


def test_generic_members_snapshot_staff_tags_and_link_to_orders(imp, csvb, sql) -> None:
    members = [MH, ["M1", "2024-01-01", "13800138000", "张三", "包裹卡", "顾问A", "金卡", "100", "宝妈,复购", ""],
               ["M2", "2024-01-02", "", "李四", "门店", "顾问A", "银卡", "", "", "2024-02-01 10:00"],
               ["M3", "2024-01-03", "", "王五", "", "", "", "", "", ""]]
    r = imp(csvb(members), "members.csv", snapshot_date=dt.date(2024, 3, 31))
    assert r.ok, r.errors
    assert (r.inserted, r.members_created, str(r.snapshot_date)) == (3, 3, "2024-03-31")
    assert sql("SELECT m.display_name, s.tier, s.points FROM member_snapshots s JOIN members m USING (member_id) ORDER BY 1") == [
        ("张三", "金卡", 100), ("李四", "银卡", None), ("王五", None, None)]
    assert sql("SELECT staff_id, added_at::VARCHAR, deleted_at::VARCHAR FROM friends ORDER BY added_at") == [
        ("顾问A", "2024-01-01 00:00:00", None), ("顾问A", "2024-01-02 00:00:00", "2024-02-01 10:00:00")]
    assert sql("SELECT count(*) FROM member_tags") == [(2,)]
    o = imp(csvb([OH, ["9", "M1", "2024-03-05", "1", "", "", ""]]))
    assert (o.linked, o.members_created) == (1, 0)
    # A member known by phone in another source links too.
    y = imp(csvb([["订单号", "订单状态", "买家付款时间", "订单实付金额", "买家手机号"], ["Y1", "交易成功", "2024-03-05", "5", "13800138000"]]))
    assert (y.linked, y.members_created) == (1, 0)


def test_referrals_first_referrer_wins(imp, csvb, sql) -> None:
    imp(csvb([MH, ["A", "2024-01-01", "", "", "", "", "", "", "", ""]]))
    rows = [RH, ["A", "B", "2024-02-01", "春季裂变"], ["C", "B", "2024-01-15", "老带新"], ["B", "D", "2024-03-01", ""]]
    r = imp(csvb(rows))
    assert r.ok, r.errors
    assert (r.inserted, r.duplicates, r.members_created) == (2, 1, 3)
    ids = dict(sql("SELECT value, member_id FROM member_identities"))
    assert sql("SELECT referee_id, referrer_id, campaign FROM referrals ORDER BY referred_at") == [
        (ids["B"], ids["C"], "老带新"), (ids["D"], ids["B"], None)]
    # An even earlier referrer arriving later replaces the first one (kept for undo).
    r2 = imp(csvb([RH, ["A", "B", "2024-01-10", "更早"]]))
    assert (r2.updated, r2.inserted) == (1, 0)
    assert sql("SELECT referrer_id FROM referrals WHERE referee_id = ?", [ids["B"]]) == [(ids["A"],)]
    bad = imp(csvb([RH, ["X", "X", "2024-01-01", ""]]))
    assert not bad.ok and "same member" in bad.errors[0]["message"]


def test_timezone_setting_moves_offset_times(imp, csvb, sql, db) -> None:
    la = Settings(db=db, lock_timeout=10.0, timezone="America/Los_Angeles")
    imp(csvb([OH, ["1", "M1", "2024-03-05T00:30:00+00:00", "1", "", "", ""], ["2", "M1", "2024-03-05 00:30", "1", "", "", ""]]),
        settings=la)
    assert sql("SELECT order_id, paid_at::VARCHAR FROM orders ORDER BY 1") == [
        ("1", "2024-03-04 16:30:00"), ("2", "2024-03-05 00:30:00")]


def test_unknown_header_then_saved_mapping(imp, csvb, sql, db, settings) -> None:
    rows = [["单号", "会员", "时间", "实收"], ["1", "M1", "2024-03-05", "12"]]
    r = imp(csvb(rows))
    assert not r.ok and "无法识别文件格式" in r.refused
    columns = {"order_id": "单号", "member_id": "会员", "paid_at": "时间", "amount": "实收"}
    forced = imp(csvb(rows), mapping={"profile": "generic_orders", "columns": columns})
    assert forced.ok and forced.inserted == 1
    save_mapping(db, "我的ERP", "generic_orders", columns, settings=settings)
    assert saved_mappings(db, settings)["我的ERP"].columns == columns
    rows2 = [["单号", "会员", "时间", "实收"], ["2", "M1", "2024-03-06", "13"]]
    auto = imp(csvb(rows2))
    assert auto.ok and (auto.profile, auto.inserted, auto.linked) == ("generic_orders", 1, 1)
    by_name = imp(csvb(rows2), mapping="我的ERP")
    assert by_name.duplicates == 1


def test_required_column_missing_names_it(imp, csvb) -> None:
    r = imp(csvb([["order_id", "member_id", "amount"], ["1", "M1", "1"]]), profile="generic_orders")
    assert not r.ok and "paid_at" in r.refused


def test_upload_size_limit_applies_to_uploads(db, csvb) -> None:
    small = Settings(db=db, max_upload_mb=0.0001)
    data = csvb([OH] + [["1", "M1", "2024-03-05", "1", "", "", ""]] * 20)
    r = import_file(db, data, settings=small, file_name="upload.csv")
    assert not r.ok and "SIYU_MAX_UPLOAD_MB" in r.refused


def test_member_ids_continue_past_explicit_ids(imp, csvb, sql, db) -> None:
    # The demo generator writes explicit ids; the sequence may lag behind them.
    con = duckdb.connect(str(db))
    con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (999, 'demo', 'demo')")
    con.execute("INSERT INTO members (member_id, joined_at, source, batch_id) VALUES (1, '2024-01-01', 'demo', 999), "
                "(2, '2024-01-01', 'demo', 999)")
    con.close()
    r = imp(csvb([OH, ["1", "N1", "2024-03-05", "1", "", "", ""], ["2", "N2", "2024-03-05", "1", "", "", ""]]))
    assert r.ok and r.members_created == 2
    assert sql("SELECT member_id FROM members ORDER BY 1") == [(1,), (2,), (3,), (4,)]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+8613800138000", "-5折", "@SUM(A1)"])
def test_formula_like_text_is_stored_as_text(imp, csvb, sql, value: str) -> None:
    r = imp(csvb([MH, ["M1", "2024-01-01", "", value, "", "", "", "", "", ""]]))
    assert r.ok
    assert sql("SELECT display_name FROM members") == [(value,)]


def test_pepper_stores_phone_keys_that_still_link(imp, csvb, sql, db) -> None:
    peppered = Settings(db=db, lock_timeout=10.0, pepper="secret-1")
    imp(csvb([MH, ["M1", "2024-01-01", "+86 138-0013-8000", "", "", "", "", "", "", ""]]), settings=peppered)
    y = imp(csvb([["订单号", "订单状态", "买家付款时间", "订单实付金额", "买家手机号"], ["Y1", "交易成功", "2024-03-05", "5", "13800138000"]]),
            settings=peppered)
    assert (y.linked, y.members_created) == (1, 0)
    values = [v for (v,) in sql("SELECT value FROM member_identities WHERE kind = 'phone'")]
    assert len(values) == 1 and values[0].startswith("h:") and "13800138000" not in values[0]


def test_an_older_export_imported_after_a_newer_one_changes_nothing(imp, csvb, sql) -> None:
    older = [OH, ["1", "M1", "2024-03-05 10:00:00", "100", "", "paid", ""],
             ["2", "M1", "2024-03-06 10:00:00", "80", "20", "paid", ""],
             ["3", "M2", "2024-03-07 10:00:00", "50", "", "paid", ""]]
    newer = [OH, ["1", "M1", "2024-03-05 10:00:00", "100", "100", "paid", ""],   # refunded in full since
             ["2", "M1", "2024-03-06 10:00:00", "80", "30", "paid", ""],     # a second partial refund
             ["3", "M2", "2024-03-07 10:00:00", "50", "", "paid", ""]]       # unchanged
    first = imp(csvb(newer))
    assert first.ok and first.inserted == 3
    late = imp(csvb(older))
    # Orders 1 and 2 are behind the stored state (smaller refunds): kept as stored, counted as stale
    # duplicates; order 3 is a plain duplicate.
    assert (late.inserted, late.updated, late.duplicates, late.stale) == (0, 0, 3, 2)
    assert sql("SELECT order_id, refunded_cents, status FROM orders ORDER BY 1") == [
        ("1", 10000, "refunded"), ("2", 3000, "partially_refunded"), ("3", 0, "paid")]
    # The newer export after the older one still moves the orders forward.
    again = imp(csvb(newer))
    assert (again.updated, again.duplicates, again.stale) == (0, 3, 0)


def test_a_newer_export_moves_orders_forward(imp, csvb, sql) -> None:
    older = [OH, ["1", "M1", "2024-03-05 10:00:00", "100", "", "paid", ""],
             ["2", "M1", "2024-03-06 10:00:00", "80", "20", "paid", ""]]
    newer = [OH, ["1", "M1", "2024-03-05 10:00:00", "100", "100", "paid", ""],
             ["2", "M1", "2024-03-06 10:00:00", "80", "30", "paid", ""]]
    assert imp(csvb(older)).ok
    later = imp(csvb(newer))
    assert (later.inserted, later.updated, later.duplicates, later.stale) == (0, 2, 0, 0)
    assert sql("SELECT order_id, refunded_cents, status FROM orders ORDER BY 1") == [
        ("1", 10000, "refunded"), ("2", 3000, "partially_refunded")]
