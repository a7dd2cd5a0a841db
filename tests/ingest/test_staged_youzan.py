"""有赞 order exports take the staged path too (siyu.ingest.staged, ingest_stage_youzan_orders.sql, #15): on a
corpus of messy 有赞 rows, the stored rows, the report and every row error are exactly those of the Polars path
(profile_orders.youzan_orders), and the files do take the staged path (the SQL conversion ran and was used).

Each file is imported twice into fresh databases as in test_staged.py: staged forced (its size threshold 0)
and staged off, and the CLI's report (but its timings) and a checksum of every table are compared. A buyer
with no usable phone (none, or only a masked one) becomes a member without identities, whose id depends on
the order a parallel join hands new members over (two Polars imports differ there too): orders and members
are compared with each member named by its orders instead.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from siyu.ingest import staged
from siyu.ingest.readers import snapshot_of
from tests.ingest.test_staged import _bytes, _import

YZ = ("订单号,销售渠道,归属店铺,订单状态,订单创建时间,买家付款时间,订单实付金额（元）,店铺优惠合计,全部商品名称,买家昵称,"
      "买家手机号,分销员,订单退款状态,订单已退款金额")
FUTURE = (dt.date.today() + dt.timedelta(days=3)).isoformat()


def row(order_id: str, status: str = "交易成功", *, created: str = "2024-03-05 10:00:00", paid: str = "2024/3/5 10:05",
        amount: str = "¥1299.00", discount: str = "", nick: str = "小红", phone: str = "13800138000", dist: str = "",
        refund: str = "0.00", store: str = "山茶集旗舰店", channel: str = "微商城", sep: str = ",") -> str:
    return sep.join([order_id, channel, store, status, created, paid, amount, discount, "山茶花面霜 50g", nick, phone, dist,
                     "退款成功" if refund not in ("", "0.00") else "", refund])


# Rows an 有赞 export writes: every form the SQL conversion reads itself.
PLAIN = [
    row("E001"),
    row("E002", "已发货", paid="2024/3/5 11:02:07", amount="￥12.50", phone="+86 139-0013-9000", dist="小美",
        nick="阿May", refund="", store="山茶集·成都店", channel="小程序"),
    row("E003", "待付款", paid="", amount="¥59.00", phone="", nick="张伟"),
    row("E004", "已关闭", paid="", amount="¥20.00", phone="138****1234", nick="🌸花花"),
    row("E005", created="2024-03-07 12:00:00", paid="2024/3/7 12:01", amount="¥100.00", discount="5.00", refund="100.00"),
    row("E006", paid="2024-03-07 12:01:00", amount="100元", phone="8613800138001", refund="10.00"),
    row("E007", "已关闭", paid="2024/3/8 9:01", amount="30.00", phone="138 0013 8002"),
    row("E008", created="2024-03-08T10:00", paid="2024-03-08 10:01", amount="0", phone="86-138-0013-8003", nick=""),
    row("E009", "待付款", paid="", amount="", phone="", nick="", store=""),
    row("E010", "交易成功", created="2024/3/9", paid="2024-03-09", amount="¥1.5", phone="+8613800138004"),
]
MESSY = [
    row("M01", amount="-3.00"), row("M02", amount="abc"), row("M03", amount=""), row("M04", amount="1000000000.00"),
    row("M05", amount="1.005"), row("M06", refund="1.005"), row("M07", discount="-5.00"), row("M08", discount="x"),
    row("M09", phone="+44 7700 900123"), row("M10", phone="13800138000.0"), row("M11", phone=""),
    row("M12", phone="12345"), row("M13", paid="2024年3月5日 10:00"), row("M14", created=f"{FUTURE} 10:00:00"),
    row("M15", paid="1999-12-31 23:59:59"), row("M16", paid=""), row("M17", paid="2024/2/30 10:00"),
    row("M18", created="2024-3-5 9:05"), row("M19", "等待买家付款", paid="garbage", amount="-1.00"), row(""),
    row("M21", ""), row("M22", nick="\x1b[31m红"), row("M23", store=" 店"), row("M24", nick="小红\u3000"),
    row("M25", nick="长" * 10_001), row("M26", dist="a\u202eb"), row("M27", "交易关闭（超时）", paid=""),
    row("M28", paid="2024/3/5 24:00"), row("M29", created="45356.5"), row("M30", amount="¥1299.001"),
]
# name -> (data rows, keyword arguments for _bytes); every one mixes plain rows with others.
CORPUS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "plain": (PLAIN, {}),
    "messy": ([*PLAIN, *MESSY], {}),
    "footer": ([*PLAIN, ",,,,,,,,,,,,,", "合计,,,,,,¥1517.00,,,,,,,", "总计,,,,,,,,,,,,,"], {}),
    "footer_only_text": ([*PLAIN, "合计：10 笔订单,,,,,,,,,,,,,"], {}),
    "repeats": ([*PLAIN, row("E001"), row("E002", amount="¥13.00"), row("H1", paid="2024/3/5 10:05"),
                 row("H1", paid="2024-03-05 10:05:00")], {}),
    "blank_like_rows": ([*PLAIN[:3], ",,,,,,,,,,,,,", *PLAIN[3:]], {}),
    "gb18030_crlf": ([*PLAIN, *MESSY[:12], "合计,,,,,,,,,,,,,"], {"encoding": "gb18030", "newline": "\r\n"}),
    "bom_lf": ([*PLAIN, *MESSY[12:]], {"encoding": "utf-8-sig"}),
    "utf8_crlf": ([*PLAIN, *MESSY], {"newline": "\r\n"}),
    # Tab-separated, so thousands commas need no quotes: `¥1,299.00` and `1,299.00元` are read in SQL too.
    "tabs": ([row("T1", amount="¥1,299.00", sep="\t"), row("T2", amount="1,234,567.89元", sep="\t"),
              row("T3", amount="1,2,3", sep="\t"), row("T4", amount="12,34.00", sep="\t"),
              *(r.replace(",", "\t") for r in PLAIN)], {"header": YZ.replace(",", "\t")}),
}


MEMBER_KEY = "(SELECT member_id, string_agg(order_id, '|' ORDER BY order_id) AS by_orders FROM orders GROUP BY member_id)"


def _state(tmp: Path, data: bytes, forced: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> tuple[Any, ...]:
    report, tables = _import(tmp, data, forced, monkeypatch, **kw)
    tables.pop("orders")
    tables.pop("members")
    con = duckdb.connect(str(tmp / ("staged" if forced else "polars") / "siyu.duckdb"), read_only=True)
    try:
        orders = con.sql(f"SELECT o.* EXCLUDE (member_id), k.by_orders FROM orders o LEFT JOIN {MEMBER_KEY} k "
                         "USING (member_id) ORDER BY o.order_id").fetchall()
        members = con.sql(f"SELECT m.* EXCLUDE (member_id), k.by_orders FROM members m LEFT JOIN {MEMBER_KEY} k "
                          "USING (member_id) ORDER BY ALL").fetchall()
    finally:
        con.close()
    return report, tables, orders, members


def test_a_file_of_blank_rows_or_only_a_footer_is_refused_as_polars_refuses_it(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    for rows in ([",,,,,,,,,,,,,", ",,,,,,,,,,,,,"], ["合计,,,,,,¥10.00,,,,,,,"]):
        data = _bytes("empty", rows, header=YZ)
        polars_report, _ = _import(tmp_path, data, False, monkeypatch)
        staged_report, _ = _import(tmp_path, data, True, monkeypatch)
        assert staged_report == polars_report
        assert "没有数据行" in staged_report["refused"]


def _staged_spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each staged conversion gave the result (True) or handed the file back to Polars (False)."""
    used: list[bool] = []
    real = staged.convert

    def spy(*args: Any, **kw: Any) -> Any:
        try:
            got = real(*args, **kw)
        except staged.NotStageable:
            used.append(False)
            raise
        used.append(True)
        return got

    monkeypatch.setattr(staged, "convert", spy)
    return used


@pytest.mark.parametrize("on_error", ["reject", "skip"])
@pytest.mark.parametrize("name", list(CORPUS))
def test_youzan_staged_stores_and_reports_exactly_what_polars_does(
        name: str, on_error: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows, kw = CORPUS[name]
    data = _bytes(name, rows, **{"header": YZ, **kw})
    polars_report, *polars_db = _state(tmp_path, data, False, monkeypatch, on_error=on_error)
    used = _staged_spy(monkeypatch)
    staged_report, *staged_db = _state(tmp_path, data, True, monkeypatch, on_error=on_error)
    assert used == [True]  # the SQL conversion ran and its result was used
    assert staged_report["profile"] == "youzan_orders"
    assert staged_report == polars_report
    assert staged_db == polars_db


def test_the_plain_rows_are_converted_in_sql_with_hand_checked_values(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The plain corpus never reaches the Polars profile, and its orders are what the export says."""
    monkeypatch.setattr(staged, "MIN_BYTES", 0)

    def no_polars(*_: Any) -> Any:
        raise AssertionError("a plain row went to the Polars profile")

    monkeypatch.setitem(staged.STAGED, "youzan_orders", replace(staged.STAGED["youzan_orders"], convert=no_polars))
    path = tmp_path / "youzan.csv"
    path.write_bytes(_bytes("plain", [*PLAIN, "合计,,,,,,,,,,,,,"], "gb18030", "\r\n", header=YZ))
    snap = snapshot_of(path.read_bytes())
    try:
        columns = {"order_id": 0, "sales_channel": 1, "store": 2, "status": 3, "created_at": 4, "paid_at": 5,
                   "amount": 6, "discount": 7, "product": 8, "buyer_nickname": 9, "buyer_phone": 10, "distributor": 11,
                   "refund_status": 12, "refund": 13}
        con = duckdb.connect(":memory:")
        conv = staged.convert(con, staged.StagedCsv(snap, "youzan_orders", columns), "Asia/Shanghai", 2000)
        canon = con.sql("SELECT * FROM stg_canon ORDER BY row_no").pl()
        con.close()
    finally:
        snap.close()
    assert conv.footer_rows == 1 and conv.errors.height == 0 and conv.rows == 10
    rows = canon.select("order_id", "phone", "phone_masked", "paid_at", "paid_cents", "refunded_cents",
                             "discount_cents", "status", "store").rows()
    t = dt.datetime
    assert rows == [
        ("youzan:E001", "13800138000", None, t(2024, 3, 5, 10, 5), 129900, 0, 0, "paid", "山茶集旗舰店"),
        ("youzan:E002", "13900139000", None, t(2024, 3, 5, 11, 2, 7), 1250, 0, 0, "paid", "山茶集·成都店"),
        ("youzan:E003", None, None, None, 5900, 0, 0, "unpaid", "山茶集旗舰店"),
        ("youzan:E004", None, "138****1234", None, 2000, 0, 0, "cancelled", "山茶集旗舰店"),
        ("youzan:E005", "13800138000", None, t(2024, 3, 7, 12, 1), 10000, 10000, 500, "refunded", "山茶集旗舰店"),
        ("youzan:E006", "13800138001", None, t(2024, 3, 7, 12, 1), 10000, 1000, 0, "partially_refunded", "山茶集旗舰店"),
        ("youzan:E007", "13800138002", None, t(2024, 3, 8, 9, 1), 3000, 0, 0, "cancelled", "山茶集旗舰店"),
        ("youzan:E008", "13800138003", None, t(2024, 3, 8, 10, 1), 0, 0, 0, "paid", "山茶集旗舰店"),
        ("youzan:E009", None, None, None, 0, 0, 0, "unpaid", None),
        ("youzan:E010", "13800138004", None, t(2024, 3, 9), 150, 0, 0, "paid", "山茶集旗舰店"),
    ]


def test_with_a_pepper_phones_become_join_keys_on_both_paths_alike(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """SIYU_PEPPER set: the staged path replaces each buyer's phone by its HMAC key before identities are
    resolved, as the Polars path does; the database never holds the number."""
    data = _bytes("messy", CORPUS["messy"][0], header=YZ)
    polars_report, *polars_db = _state(tmp_path, data, False, monkeypatch, pepper="胡椒-test", on_error="skip")
    staged_report, *staged_db = _state(tmp_path, data, True, monkeypatch, pepper="胡椒-test", on_error="skip")
    assert staged_report == polars_report and staged_db == polars_db
    con = duckdb.connect(str(tmp_path / "staged" / "siyu.duckdb"), read_only=True)
    try:
        phones = [v for (v,) in con.execute("SELECT value FROM member_identities WHERE kind = 'phone'").fetchall()]
    finally:
        con.close()
    assert phones and "13800138000" not in phones and all(len(v) > 11 for v in phones)
