"""`python -m siyu metric ...` names members by their own ids from the imported exports (issue #13).

Everything goes through the command line: import the files, ask for a member-level metric, read the ids.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
from pathlib import Path

import pytest

from siyu import member_refs
from siyu.cli import main
from siyu.db import writing
from siyu.output import recover_cell


def cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    assert code == 0, out.getvalue()
    return out.getvalue()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


ORDERS = """order_id,member_id,paid_at,amount
o1,10002,2024-01-05 10:00,100.00
o2,A-7,2024-01-06 11:00,50.50
o3,=1+2,2024-02-01 09:00,20
o4,10002,2024-03-01 10:00,30
"""


def test_rfm_returns_the_files_own_member_ids(tmp_path: Path) -> None:
    db = str(tmp_path / "siyu.duckdb")
    cli("import", "--db", db, str(write(tmp_path / "orders.csv", ORDERS)))
    rows = json.loads(cli("metric", "rfm", "--db", db, "--format", "json"))
    # 10002 bought on 01-05 and 03-01 (56 days); the data ends 03-01; A-7 and =1+2 bought once.
    # (Which siyu id each new member gets is the importer's business: read it back, do not assume it.)
    sid = {r["member_id"]: r["siyu_id"] for r in rows}
    assert sorted(sid.values()) == [1, 2, 3]
    assert sorted((r["member_id"], r["frequency"], r["recency"], r["T"], r["monetary_value"]) for r in rows) == [
        ("10002", 1, 56.0, 56.0, 30.0), ("=1+2", 0, 0.0, 29.0, 0.0), ("A-7", 0, 0.0, 55.0, 0.0)]
    text = cli("metric", "rfm", "--db", db, "--format", "csv")
    lines = text.splitlines()
    assert lines[0] == "member_id,siyu_id,frequency,recency,T,monetary_value"
    assert sorted(lines[1:]) == sorted([
        f"10002,{sid['10002']},1,56.0,56.0,30.0",
        f"A-7,{sid['A-7']},0,0.0,55.0,0.0",
        f"'=1+2,{sid['=1+2']},0,0.0,29.0,0.0",  # a spreadsheet shows it as text instead of computing 3
    ])
    read = [row["member_id"] for row in csv.DictReader(io.StringIO(text))]
    assert sorted(recover_cell(v) for v in read) == ["10002", "=1+2", "A-7"]
    # Other member-level metrics carry the same ids, with the same siyu_id.
    for name, params in (("super_users", ()), ("clv_members", ()), ("rfm_segments", ()),
                         ("at_risk_super_users", ())):
        got = json.loads(cli("metric", name, "--db", db, *params))
        assert all(sid[r["member_id"]] == r["siyu_id"] for r in got), name
        assert name == "at_risk_super_users" or sorted(r["member_id"] for r in got) == ["10002", "=1+2", "A-7"], name
    cohort = json.loads(cli("metric", "cohort_members", "--db", db, "--param", "cohort_start=2024-01-01"))
    assert sorted((r["member_id"], r["siyu_id"], r["orders"]) for r in cohort) == [
        ("10002", sid["10002"], 1), ("A-7", sid["A-7"], 1)]
    contacts = json.loads(cli("metric", "member_contacts", "--db", db, "--param", f"ids={sid['=1+2']}"))
    assert [(r["member_id"], r["siyu_id"]) for r in contacts] == [("=1+2", sid["=1+2"])]


MEMBERS = """member_id,joined_at,phone
M-100,2024-01-01,13900000001
"""
WECOM = """客户名称,添加人,添加时间,手机,外部联系人id
阿强,李娜,2024-01-02 10:00,13900000001,wmAAA
小美,李娜,2024-01-03 10:00,13900000002,wmBBB
老王,李娜,2024-01-04 10:00,13900000003,
无名,李娜,2024-01-05 10:00,,
"""


@pytest.mark.parametrize("bound", [5000, 0])  # ids bound into the query, or every identifier read and filtered
def test_a_member_with_several_identifiers_is_named_by_the_strongest(tmp_path: Path, monkeypatch, bound) -> None:
    monkeypatch.setattr(member_refs, "BOUND_IDS", bound)
    db = str(tmp_path / "siyu.duckdb")
    cli("import", "--db", db, str(write(tmp_path / "members.csv", MEMBERS)))   # batch 1: M-100 -> siyu 1
    cli("import", "--db", db, str(write(tmp_path / "customers.csv", WECOM)))   # batch 2
    # 阿强 links to M-100 by phone (siyu 1 gains wmAAA); 小美, 老王 and 无名 are new members 2..4.
    # No import profile records a shop buyer id yet: written here as a later batch would.
    with writing(Path(db)) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (3, 'shop.csv', 'test')")
        con.execute("INSERT INTO member_identities (kind, value, member_id, batch_id) "
                    "SELECT 'shop_buyer_id', CASE m.display_name WHEN '阿强' THEN 'yz-0001' ELSE 'yz-0002' END, m.member_id, 3 "
                    "FROM members m "
                    "WHERE m.display_name IN ('阿强', '小美')")
    rows = json.loads(cli("metric", "member_contacts", "--db", db, "--param", "ids=1,2,3,4"))
    assert {r["display_name"]: r["member_id"] for r in rows} == {
        "阿强": "M-100",         # export member id > shop buyer id > WeCom external id > phone
        "小美": "yz-0002",       # shop buyer id > WeCom external id (recorded earlier)
        "老王": "139****0003",   # only a phone: masked, never the number itself
        "无名": f"siyu:{next(r['siyu_id'] for r in rows if r['display_name'] == '无名')}",  # only a nickname
    }
    assert [r["siyu_id"] for r in rows] == [1, 2, 3, 4]
    assert {r["display_name"]: r["phone"] for r in rows} == {  # the contact columns: masked without --full-phones (#16)
        "阿强": "139****0001", "小美": "139****0002", "老王": "139****0003", "无名": None}
