"""Customer groups (社群): the four profiles on realistic exports (tests/fixtures/groups, GB18030 CSV and
xlsx), leaves inferred from successive snapshots, idempotent re-imports, undo, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from siyu.ingest import undo_batch

FIX = Path(__file__).parents[1] / "fixtures" / "groups"


def read(name: str) -> bytes:
    return (FIX / name).read_bytes()


def memberships(sql):
    return sql("SELECT g.group_name, m.nickname, m.joined_at::VARCHAR, m.left_at::VARCHAR, m.left_source, m.join_way, "
               "m.inviter, m.last_seen::VARCHAR FROM group_memberships m JOIN groups g USING (group_id) "
               "ORDER BY g.group_name, m.joined_at")


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_group_list(imp, sql, ext) -> None:
    r = imp(read(f"客户群列表_20240310.{ext}"), f"客户群列表_20240310.{ext}")
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.rows_read, r.inserted) == ("wecom_groups", 3, 3)
    assert sql("SELECT group_id, group_name, owner_id, owner_name, member_count, created_at::VARCHAR, notice FROM groups "
               "ORDER BY 1") == [
        ("wrOgQhDgAAAA1", "宝妈福利大群1群", "lina", "李娜", 5, "2024-01-05 10:00:00", "每周三福利秒杀"),
        ("wrOgQhDgAAAA2", "核心群·妈妈交流", "wangq", "王强", 3, "2024-01-20 09:30:00", None),
        ("wrOgQhDgAAAA3", "超级用户群VIP", "lina", "李娜", 2, "2024-02-01 20:00:00", "新品优先体验")]
    other = "xlsx" if ext == "csv" else "csv"
    again = imp(read(f"客户群列表_20240310.{other}"), f"客户群列表_20240310.{other}")
    assert (again.inserted, again.updated, again.duplicates) == (0, 0, 3)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_group_members_and_a_leave_from_the_next_snapshot(imp, sql, ext) -> None:
    imp(read("客户群列表_20240310.csv"), "客户群列表_20240310.csv")
    first = imp(read(f"客户群成员_20240301.{ext}"), f"客户群成员_20240301.{ext}")
    assert first.ok, (first.refused, first.errors)
    # 9 rows, 2 of them 企业成员 (the owners): 7 memberships of 4 people (张伟 in all three groups).
    assert (first.profile, first.rows_read, first.records, first.inserted, first.members_created) == (
        "wecom_group_members", 9, 7, 7, 4)
    assert first.snapshot_date == dt.date(2024, 3, 1)
    # The file names groups by name only: the group list's 群ID is found by the name.
    assert sql("SELECT DISTINCT group_id FROM group_memberships ORDER BY 1") == [
        ("wrOgQhDgAAAA1",), ("wrOgQhDgAAAA2",), ("wrOgQhDgAAAA3",)]
    assert sql("SELECT count(*) FROM members") == [(4,)]
    assert sql("SELECT value FROM member_identities WHERE kind = 'phone' ORDER BY 1") == [
        ("13800138000",), ("13900139000",)]

    later = imp(read(f"客户群成员_20240310.{ext}"), f"客户群成员_20240310.{ext}")
    # 刘洋 is new; 小红 is missing from the big group: she left, dated by the later snapshot.
    assert (later.inserted, later.updated, later.duplicates, later.members_created) == (1, 1, 6, 1)
    rows = memberships(sql)
    assert rows[:5] == [
        ("宝妈福利大群1群", "张伟", "2024-01-06 12:00:00", None, None, "扫描群二维码", None, "2024-03-10"),
        ("宝妈福利大群1群", "小红", "2024-01-07 08:30:00", "2024-03-10 00:00:00", "snapshot", "由成员邀请", "李娜",
         "2024-03-01"),
        ("宝妈福利大群1群", "阿May", "2024-01-08 21:15:00", None, None, "通过邀请链接", "张伟", "2024-03-10"),
        ("宝妈福利大群1群", "陈静", "2024-02-20 19:00:00", None, None, "扫描群二维码", None, "2024-03-10"),
        ("宝妈福利大群1群", "刘洋", "2024-03-05 10:00:00", None, None, "扫描群二维码", None, "2024-03-10")]
    assert len(rows) == 8

    # The same snapshots again, as the other file type: nothing changes (阿May, name only, is recognised).
    other = "xlsx" if ext == "csv" else "csv"
    for day in ("0301", "0310"):
        r = imp(read(f"客户群成员_2024{day}.{other}"), f"客户群成员_2024{day}.{other}")
        assert (r.inserted, r.updated, r.members_created) == (0, 0, 0), day
    assert memberships(sql) == rows
    assert sql("SELECT count(*) FROM members") == [(5,)]


def test_snapshots_imported_out_of_order_give_the_same_leave(imp, sql) -> None:
    imp(read("客户群成员_20240310.csv"), "客户群成员_20240310.csv")
    r = imp(read("客户群成员_20240301.csv"), "客户群成员_20240301.csv")
    assert (r.inserted, r.updated) == (1, 0)  # 小红's membership, already left by the 03-10 snapshot
    assert sql("SELECT nickname, left_at::VARCHAR, left_source FROM group_memberships WHERE left_at IS NOT NULL") == [
        ("小红", "2024-03-10 00:00:00", "snapshot")]


def test_undo_of_the_later_snapshot_reopens_the_leave(imp, sql, db, settings) -> None:
    imp(read("客户群成员_20240301.csv"), "客户群成员_20240301.csv")
    later = imp(read("客户群成员_20240310.csv"), "客户群成员_20240310.csv")
    undo_batch(db, later.batch_id, settings=settings)
    assert sql("SELECT count(*) FROM group_memberships WHERE left_at IS NOT NULL") == [(0,)]
    assert sql("SELECT count(*), max(last_seen)::VARCHAR FROM group_memberships") == [(7, "2024-03-01")]
    assert sql("SELECT count(*) FROM group_snapshots") == [(3,)]


def test_daily_statistic_drops_the_total_row_and_restates_days(imp, sql, csvb) -> None:
    r = imp(read("客户群统计_20240303.csv"), "客户群统计_20240303.csv")
    assert (r.profile, r.rows_read, r.inserted, r.footer_rows_ignored) == ("wecom_group_daily", 3, 3, 1)
    assert r.encoding in ("gb18030", "GB18030")
    assert sql("SELECT day::VARCHAR, owner, new_members, members_total, active_members, messages FROM group_daily "
               "ORDER BY 1") == [("2024-03-01", "李娜", 1, 7, 4, 36), ("2024-03-02", "李娜", 0, 7, 2, 11),
                                 ("2024-03-03", "李娜", 3, 10, 5, 52)]
    x = imp(read("客户群统计_20240303.xlsx"), "客户群统计_20240303.xlsx")
    assert (x.inserted, x.updated, x.duplicates) == (0, 0, 3)
    fixed = csvb([["日期", "群主", "群总数", "群成员总数", "群消息总数"], ["2024-03-02", "李娜", 2, 8, 12]])
    f = imp(fixed, "统计更正.csv")
    assert (f.inserted, f.updated) == (0, 1)
    assert sql("SELECT members_total, messages, active_members FROM group_daily WHERE day = '2024-03-02'") == [(8, 12, None)]


def test_generic_group_members(imp, sql) -> None:
    r = imp(read("generic_group_members.csv"), "generic_group_members.csv")
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.inserted, r.members_created) == ("generic_group_members", 5, 3)
    assert sql("SELECT group_id, group_name, group_type FROM groups ORDER BY 1") == [
        ("g-core", "妈妈核心群", "core"), ("g-mass", "福利大群", "mass"), ("g-super", "VIP", "super")]
    assert sql("SELECT i.value, m.left_at::VARCHAR, m.left_source FROM group_memberships m JOIN member_identities i "
               "ON i.member_id = m.member_id AND i.kind = 'external_member_id' WHERE m.group_id = 'g-mass' ORDER BY 1") == [
        ("M001", None, None), ("M002", "2024-01-05 09:00:00", "export"), ("M003", None, None)]
    x = imp(read("generic_group_members.xlsx"), "generic_group_members.xlsx")
    assert (x.profile, x.inserted, x.updated, x.duplicates, x.members_created) == ("generic_group_members", 0, 0, 5, 0)


def test_group_members_link_to_orders_by_member_id(imp, sql, csvb) -> None:
    imp(csvb([["order_id", "member_id", "paid_at", "amount"], ["o1", "M001", "2024-01-05 10:00", "99.00"]]), "o.csv")
    r = imp(read("generic_group_members.csv"), "generic_group_members.csv")
    assert (r.members_created, r.linked) == (2, 3)


@pytest.mark.parametrize(("rows", "message"), [
    ([["g1", "M1", "2024-01-02", "2024-01-01", "大群"]], "退群时间早于入群时间"),
    ([["g1", "M1", "2024-01-02", "", "巨型群"]], "group_type 只能是"),
    ([["g1", "M1", "2024-01-02", "", "大群"], ["g1", "M2", "2024-01-02", "", "核心群"]], "不同的 group_type"),
    ([["g1", "M1", "昨天", "", ""]], "无法识别的日期时间"),
])
def test_bad_rows_refuse_the_file_and_write_nothing(imp, sql, csvb, rows, message) -> None:
    r = imp(csvb([["group_id", "member_id", "joined_at", "left_at", "group_type"], *rows]), "bad.csv")
    assert not r.ok and r.refused
    assert any(message in m for m in [e["message"] for e in r.errors]), r.errors
    assert sql("SELECT count(*) FROM group_memberships") == [(0,)]
    assert sql("SELECT count(*) FROM members") == [(0,)]


def test_unknown_member_type_is_a_row_error(imp, csvb) -> None:
    r = imp(csvb([["群名称", "成员名称", "成员类型", "入群时间"], ["a群", "张三", "机器人", "2024-01-01 10:00"]]), "m.csv")
    assert r.refused and "成员类型" in r.errors[0]["message"]


def test_daily_file_without_totals_is_named_as_close(imp, csvb) -> None:
    r = imp(csvb([["日期", "群主", "群总数"], ["2024-03-01", "李娜", 2]]), "d.csv")
    assert r.refused and "wecom_group_daily" in r.refused and "群成员总数" in r.refused


def test_layer_rules_are_checked_and_replace_the_list(db, settings, sql) -> None:
    from siyu.errors import IngestError
    from siyu.ingest.group_layers import clean_rules, layer_rules, save_layer_rules

    assert clean_rules([(" VIP ", "超级用户群"), ("", ""), ("核心", "core")]) == [("VIP", "super"), ("核心", "core")]
    for bad, words in [([("vip", "巨型群")], "只能是"), ([("", "core")], "没有群名关键词"),
                       ([("vip", "super"), ("VIP", "core")], "重复"), ([("a\x1b[31m", "core")], "控制字符")]:
        with pytest.raises(IngestError, match=words):
            clean_rules(bad)
    save_layer_rules(db, [("大群", "mass"), ("核心", "core")], user="ops", settings=settings)
    save_layer_rules(db, [("VIP", "super")], user="ops", settings=settings)
    assert layer_rules(db, settings).rows() == [(1, "VIP", "super")]
    assert sql("SELECT username, action, detail FROM audit_log ORDER BY audit_id") == [
        ("ops", "setting_changed", "group_layer_rules: 2 rules"), ("ops", "setting_changed", "group_layer_rules: 1 rules")]


def test_undo_of_an_earlier_snapshot_waits_for_the_later_one(imp, db, settings) -> None:
    from siyu.errors import IngestError

    first = imp(read("客户群成员_20240301.csv"), "客户群成员_20240301.csv")
    later = imp(read("客户群成员_20240310.csv"), "客户群成员_20240310.csv")
    with pytest.raises(IngestError, match=str(later.batch_id)):
        undo_batch(db, first.batch_id, settings=settings)
    undo_batch(db, later.batch_id, settings=settings)
    undo_batch(db, first.batch_id, settings=settings)


def test_every_group_write_changes_the_data_version(imp, db, settings) -> None:
    from siyu.db import reading
    from siyu.db.frame_store import data_version
    from siyu.ingest.group_layers import save_layer_rules

    def version():
        with reading(db, settings.lock_timeout) as con:
            return data_version(con)

    seen = [version()]
    for name in ("客户群列表_20240310.csv", "客户群成员_20240301.csv", "客户群统计_20240303.csv"):
        imp(read(name), name)
        seen.append(version())
    save_layer_rules(db, [("大群", "mass")], settings=settings)
    seen.append(version())
    save_layer_rules(db, [("大群", "core")], settings=settings)
    seen.append(version())
    assert len(set(seen)) == len(seen)


def test_the_same_bytes_again_are_recognised_and_write_nothing(imp) -> None:
    for name in ("客户群列表_20240310.csv", "客户群成员_20240301.xlsx", "客户群统计_20240303.csv"):
        first = imp(read(name), name)
        again = imp(read(name), name)
        assert again.identical_to == first.batch_id and again.inserted == again.updated == 0, name
        assert again.linked == (first.records if "成员" in name else 0), name
