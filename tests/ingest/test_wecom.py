"""WeCom: one member per customer, one friendship per staff row, weak names, lost customers, merging with buyers."""

from __future__ import annotations

import pytest

from siyu.errors import IngestError
from siyu.ingest import undo_batch

H = ["客户名称", "描述", "添加人", "添加人账号", "添加人所属部门", "添加时间", "来源", "手机", "企业", "邮箱", "地址", "职务", "电话",
     "客户等级"]


def row(name, staff, account, added, way, phone="", tag=""):
    return [name, "", staff, account, "门店部", added, way, phone, "", "", "", "", "", tag]


EXPORT = [H,
          row("张伟", "李娜", "lina", "2024-01-01 10:00", "扫描二维码", "13800138000", "高意向"),
          row("张伟", "王强", "wangq", "2024-01-02 10:00", "搜索手机号"),
          row("小红", "李娜", "lina", "2024-01-03 10:00", "群聊"),
          row("小红", "王强", "wangq", "2024-01-04 10:00", "群聊"),
          row("阿May", "李娜", "lina", "2024-01-05 10:00", "名片分享", "138****1234")]
YZ_H = ["订单号", "订单状态", "买家付款时间", "订单实付金额", "买家手机号"]


def test_customers_friends_and_weak_names(imp, csvb, sql) -> None:
    r = imp(csvb(EXPORT, "gb18030", "\r\n"), "客户列表.xlsx.csv")
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.rows_read, r.inserted, r.members_created, r.linked) == ("wecom_customers", 5, 5, 3, 0)
    assert sql("SELECT staff_id, name, department FROM staff ORDER BY 1") == [("lina", "李娜", "门店部"), ("wangq", "王强", "门店部")]
    assert sql("SELECT m.display_name, count(*), min(f.add_way_code), max(f.add_way_code) FROM friends f "
               "JOIN members m USING (member_id) GROUP BY 1 ORDER BY 1") == [
        ("小红", 2, 4, 4), ("张伟", 2, 1, 2), ("阿May", 1, 3, 3)]
    assert sql("SELECT kind, value, is_weak FROM member_identities ORDER BY 1, 2") == [
        ("phone", "13800138000", False), ("phone_masked", "138****1234", False), ("wecom_name", "小红", True),
        ("wecom_name", "张伟", True), ("wecom_name", "阿May", True)]
    assert sql("SELECT joined_at::VARCHAR, channel FROM members WHERE display_name = '张伟'") == [
        ("2024-01-01 10:00:00", "扫描二维码")]
    assert sql("SELECT tag_group, tag FROM member_tags") == [("客户等级", "高意向")]  # the column header is the tag group

    again = imp(csvb(EXPORT, "gb18030", "\r\n"))
    assert (again.inserted, again.duplicates, again.members_created, again.linked) == (0, 5, 0, 5)
    assert sql("SELECT count(*) FROM members") == [(3,)]


def test_weak_names_merge_only_through_the_same_staff_row(imp, csvb, sql) -> None:
    imp(csvb(EXPORT))
    later = [H, row("小红", "李娜", "lina", "2024-01-03 10:00", "群聊"), row("小红", "赵六", "zhao", "2024-02-01 10:00", "群聊")]
    r = imp(csvb(later))
    # Row 1 is the same customer row as before; row 2 joins it because they share one export.
    assert (r.inserted, r.duplicates, r.members_created) == (1, 1, 0)
    other = [H, row("小红", "赵六", "zhao", "2024-03-01 10:00", "群聊")]
    r2 = imp(csvb(other))
    # Same nickname, different staff row, nothing else in common: a different person.
    assert (r2.inserted, r2.members_created, r2.linked) == (1, 1, 0)
    assert sql("SELECT count(DISTINCT member_id) FROM member_identities WHERE value = '小红'") == [(2,)]


def test_wecom_customer_merges_with_buyer_by_phone(imp, csvb, sql) -> None:
    imp(csvb([YZ_H, ["E1", "交易成功", "2024-03-01 10:00", "100", "+86 13800138000"]]))
    r = imp(csvb(EXPORT))
    assert (r.members_created, r.linked) == (2, 2)
    assert sql("SELECT count(*) FROM members") == [(3,)]
    # The order-only member now has the earlier add time as join time and the WeCom name.
    assert sql("SELECT m.joined_at::VARCHAR, m.display_name, m.source FROM members m JOIN orders o USING (member_id)") == [
        ("2024-01-01 10:00:00", "张伟", "youzan_orders")]
    # A masked phone never merges: another masked customer with the same digits is another member.
    r2 = imp(csvb([H, row("May", "王强", "wangq", "2024-01-09 10:00", "群聊", "138****1234")]))
    assert r2.members_created == 1


LOST_H = ["客户名称", "添加人", "添加人账号", "添加时间", "删除时间", "删除方式"]


def test_lost_customers_close_friendships_and_undo_order(imp, csvb, sql, db, settings) -> None:
    customers = imp(csvb(EXPORT))
    lost = [LOST_H, ["小红", "李娜", "lina", "2024/1/3 10:00", "2024/2/10 12:00", "客户删除员工"],
            ["老周", "王强", "wangq", "2023/12/1 09:00", "2024/1/1 09:00", "员工删除客户"]]
    r = imp(csvb(lost, "gb18030"))
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.inserted, r.updated, r.members_created, r.linked) == ("wecom_lost", 1, 1, 1, 1)
    assert sql("SELECT m.display_name, f.deleted_at::VARCHAR, f.deleted_by FROM friends f JOIN members m USING (member_id) "
               "WHERE f.deleted_at IS NOT NULL ORDER BY 1") == [
        ("小红", "2024-02-10 12:00:00", "customer"), ("老周", "2024-01-01 09:00:00", "staff")]
    assert imp(csvb(lost)).duplicates == 2
    with pytest.raises(IngestError, match=str(r.batch_id)):
        undo_batch(db, customers.batch_id, settings=settings)
    undo_batch(db, r.batch_id, settings=settings)
    assert sql("SELECT count(*) FROM friends WHERE deleted_at IS NOT NULL") == [(0,)]
    undo_batch(db, customers.batch_id, settings=settings)
    assert sql("SELECT (SELECT count(*) FROM members) + (SELECT count(*) FROM friends) + (SELECT count(*) FROM staff)") == [(0,)]


def test_lost_export_with_staff_names_only_finds_the_friendship(imp, csvb, sql) -> None:
    imp(csvb(EXPORT))
    lost = [["客户名称", "添加人", "添加时间", "删除时间"], ["小红", "李娜", "2024-01-03 10:00", "2024-02-10 12:00"]]
    r = imp(csvb(lost))
    assert (r.inserted, r.updated, r.members_created, r.linked) == (0, 1, 0, 1)
    assert sql("SELECT staff_id, deleted_at::VARCHAR FROM friends WHERE deleted_at IS NOT NULL") == [
        ("lina", "2024-02-10 12:00:00")]


def test_wecom_xlsx_with_date_cells(imp, xlsxb, sql) -> None:
    import datetime as dt

    rows = [["客户名称", "添加人", "添加人账号", "添加时间", "来源", "手机"],
            ["张伟", "李娜", "lina", dt.datetime(2024, 1, 1, 10, 0), "扫描二维码", 13800138000],
            ["小红", "李娜", "lina", 45293.5, "群聊", None]]
    r = imp(xlsxb(rows, sheet="客户列表"), "客户列表.xlsx")
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.sheet, r.inserted, r.members_created) == ("wecom_customers", "客户列表", 2, 2)
    assert sql("SELECT m.display_name, f.added_at::VARCHAR FROM friends f JOIN members m USING (member_id) ORDER BY 2") == [
        ("张伟", "2024-01-01 10:00:00"), ("小红", "2024-01-02 12:00:00")]
    assert sql("SELECT value FROM member_identities WHERE kind = 'phone'") == [("13800138000",)]


def test_two_phones_in_one_cell_both_link(imp, csvb, sql) -> None:
    r = imp(csvb([H, row("张伟", "李娜", "lina", "2024-01-01 10:00", "扫描二维码", "13800138000 / 139-0013-9000")]))
    assert r.members_created == 1
    assert sql("SELECT value FROM member_identities WHERE kind = 'phone' ORDER BY 1") == [("13800138000",), ("13900139000",)]
    y = imp(csvb([YZ_H, ["E9", "交易成功", "2024-03-01 10:00", "100", "13900139000"]]))
    assert (y.linked, y.members_created) == (1, 0)
