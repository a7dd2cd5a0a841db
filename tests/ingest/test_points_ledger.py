"""The points-ledger profiles (有赞 积分明细, generic) and paid memberships: a realistic GB18030 export, kinds and
signs, idempotent re-imports, overlapping exports, row errors, undo."""

from __future__ import annotations

import datetime as dt

from siyu.ingest import undo_batch

T = dt.datetime
LEDGER = ("SELECT m.value, p.occurred_at, p.delta, p.kind, p.balance_after, p.order_id, p.reason FROM points_ledger p "
          "JOIN member_identities m ON m.member_id = p.member_id AND m.kind = 'phone' ORDER BY 2, 1")
# Headers and cells as 有赞's 积分明细 export writes them: full-width brackets, unsigned redemptions next to a
# 收支 column, a masked nickname, a 合计 footer.
YOUZAN = [
    ["客户昵称", "手机号", "积分变动", "收支类型", "变动后积分", "变动类型", "变动原因", "关联订单号", "变动时间"],
    ["小王🌸", "13800138000", "+120", "收入", "120", "消费获得", "订单 E2024010112 支付成功", "E2024010112", "2024-01-01 10:00:00"],
    ["小王🌸", "13800138000", "5", "收入", "125", "每日签到", None, None, "2024-01-02 08:00:00"],
    ["小王🌸", "138 0013 8000", "100", "支出", "25", "积分兑换", "兑换 保温杯", None, "2024-01-05 09:30:00"],
    ["李四", "+86 139-0013-9000", "10", "收入", "10", "分享商品", None, None, "2024/1/03 12:00"],
    ["李四", "13900139000", "10", "支出", "0", "积分过期", "年度积分清零", None, "2024-12-31 23:59:59"],
    ["李四", "13900139000", "-3", "支出", "-3", "订单退款扣除积分", None, "E2024010300", "2024-01-04 12:00:00"],
    ["合计", None, "132", None, None, None, None, None, None],
]


def _gb(csvb, rows):
    return csvb(rows, encoding="gb18030", newline="\r\n")


def test_youzan_gb18030_export_kinds_and_signs(imp, csvb, sql) -> None:
    rep = imp(_gb(csvb, YOUZAN), name="积分明细_20250101.csv")
    assert rep.ok, rep.refused
    assert (rep.profile, rep.encoding, rep.rows_read, rep.inserted, rep.duplicates, rep.members_created) == (
        "youzan_points", "gb18030", 6, 6, 0, 2)
    assert sql(LEDGER) == [
        ("13800138000", T(2024, 1, 1, 10), 120, "purchase", 120, "E2024010112", "订单 E2024010112 支付成功"),
        ("13800138000", T(2024, 1, 2, 8), 5, "checkin", 125, None, None),
        ("13900139000", T(2024, 1, 3, 12), 10, "share", 10, None, None),
        ("13900139000", T(2024, 1, 4, 12), -3, "adjust", -3, "E2024010300", None),
        ("13800138000", T(2024, 1, 5, 9, 30), -100, "redeem", 25, None, "兑换 保温杯"),
        ("13900139000", T(2024, 12, 31, 23, 59, 59), -10, "expire", 0, None, "年度积分清零"),
    ]
    assert sorted(sql("SELECT display_name FROM members")) == [("小王🌸",), ("李四",)]


def test_reimport_and_overlapping_export_change_nothing(imp, csvb, sql) -> None:
    assert imp(_gb(csvb, YOUZAN), name="a.csv").ok
    before = sql("SELECT * FROM points_ledger ORDER BY entry_key")
    again = imp(_gb(csvb, YOUZAN), name="a.csv")
    assert again.identical_to is not None and sql("SELECT * FROM points_ledger ORDER BY entry_key") == before
    # A later export that overlaps (two known rows, re-saved as UTF-8 with other spacing) plus one new change.
    overlap = [YOUZAN[0], YOUZAN[1], YOUZAN[2],
               ["小王🌸", "13800138000", "20", "收入", "45", "消费获得", None, "E2024020100", "2024-02-01 10:00:00"]]
    rep = imp(csvb(overlap), name="b.csv")
    assert rep.ok, rep.refused
    assert (rep.inserted, rep.duplicates, rep.members_created, rep.linked) == (1, 2, 0, 3)
    assert sql("SELECT count(*), sum(delta) FROM points_ledger") == [(7, 42)]  # 120 + 5 - 100 + 10 - 10 - 3, then + 20


def test_rows_without_a_member_or_change_are_errors_and_reject_writes_nothing(imp, csvb, sql) -> None:
    bad = [YOUZAN[0], YOUZAN[1],
           ["匿名", "138****8000", "5", "收入", "5", "签到", None, None, "2024-01-02 08:00:00"],
           ["小王🌸", "13800138000", "abc", "收入", "5", "签到", None, None, "2024-01-02 08:00:00"],
           ["小王🌸", "13800138000", "0", "收入", "5", "签到", None, None, "2024-01-02 08:00:00"],
           ["小王🌸", "13800138000", "5", "收入", "5", "签到", None, None, "昨天"]]
    rep = imp(_gb(csvb, bad))
    assert not rep.ok and rep.rejected == 4
    assert sorted(rep.error_frame["row"].to_list()) == [2, 3, 4, 5]
    assert "会员标识" in rep.error_frame.filter(rep.error_frame["row"] == 2)["message"][0]
    assert sql("SELECT count(*) FROM points_ledger") == [(0,)] and sql("SELECT count(*) FROM members") == [(0,)]
    skipped = imp(_gb(csvb, bad), on_error="skip")
    assert skipped.ok and skipped.inserted == 1


def test_generic_ledger_links_by_member_id_and_undo_removes_it(imp, csvb, sql, db) -> None:
    members = imp(csvb([["member_id", "joined_at", "tier"], ["M1", "2023-05-01", "银卡"]]), name="m_20240101.csv")
    assert members.ok, members.refused
    rep = imp(csvb([["member_id", "occurred_at", "points_change", "type", "balance_after"],
                    ["M1", "2024-01-01 10:00", "50", "purchase", "50"],
                    ["M1", "2024-01-03 10:00", "-20", "redeem", "30"],
                    ["M1", "2024-02-03 10:00", "7", "check-in", "37"],
                    ["M2", "2024-02-04 10:00", "3", "whatever", None]]), name="ledger.csv")
    assert rep.ok, rep.refused
    assert (rep.profile, rep.inserted, rep.linked, rep.members_created) == ("points_ledger", 4, 3, 1)
    assert sql("SELECT kind, delta FROM points_ledger ORDER BY occurred_at") == [
        ("purchase", 50), ("redeem", -20), ("checkin", 7), ("other", 3)]
    undo_batch(db, rep.batch_id)
    assert sql("SELECT count(*) FROM points_ledger") == [(0,)]
    assert sql("SELECT count(*) FROM members") == [(1,)]


def test_paid_memberships_replace_a_changed_term_and_undo_restores_it(imp, csvb, sql, db) -> None:
    head = ["客户手机号", "权益卡名称", "开卡时间", "到期时间", "实付金额（元）"]
    rep = imp(_gb(csvb, [head, ["13800138000", "黑金VIP", "2024-01-01 00:00:00", "2024-12-31 23:59:59", "¥199.00"],
                         ["13900139000", "黑金VIP", "2024-03-01", "2024-02-01", "199"]]), on_error="skip")
    assert rep.ok and rep.profile == "paid_members" and rep.rejected == 1
    assert sql("SELECT fee_cents, plan, expires_at FROM paid_memberships") == [(19900, "黑金VIP", T(2024, 12, 31, 23, 59, 59))]
    again = imp(_gb(csvb, [head, ["13800138000", "黑金VIP", "2024-01-01 00:00:00", "2025-01-31 23:59:59", "199"]]),
                name="p2.csv")
    assert (again.inserted, again.updated) == (0, 1)
    undo_batch(db, again.batch_id)
    assert sql("SELECT expires_at FROM paid_memberships") == [(T(2024, 12, 31, 23, 59, 59),)]


def test_kind_words() -> None:
    import polars as pl

    from siyu.ingest.profile_points import kind_of

    text = ["消费获得", "每日签到", "分享商品", "商品评价", "积分兑换", "积分抵现", "积分过期", "年度清零", "订单退款扣除积分",
            "后台调整", "系统赠送", "Purchase", "check-in", "Redemption", "expired", "Expiry", "refund", "other", "抽奖",
            None]
    assert kind_of(pl.Series(text, dtype=pl.String)).to_list() == [
        "purchase", "checkin", "share", "review", "redeem", "redeem", "expire", "expire", "adjust",
        "adjust", "adjust", "purchase", "checkin", "redeem", "expire", "expire", "adjust", None, None, None]
