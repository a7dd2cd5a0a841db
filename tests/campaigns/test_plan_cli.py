"""`python -m siyu campaign plan|list|send-list`: stored plans, sources, send-list layouts, phones audited."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from siyu.auth.audit import read_audit
from siyu.campaigns import sources
from siyu.campaigns.plan import plan_campaign
from siyu.config import load_settings
from siyu.db import query, reading
from tests.campaigns import campaign_db


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return campaign_db.build(tmp_path / "c.duckdb")


def _list(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_plan_from_a_member_list_is_stored_with_its_time_and_seed(db: Path, tmp_path: Path) -> None:
    listed = _list(tmp_path, "会员编号\n" + "\n".join(f"M{i:03d}" for i in range(1, 41)) + "\nM999\n")
    code, out, _ = campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "春季召回",
                                       "--from", f"file:{listed}", "--holdout", "0.25", "--variants", "A,B",
                                       "--seed", "5")
    assert code == 0
    summary = json.loads(out)
    assert (summary["members"], summary["send"], summary["holdout"]) == (40, 30, 10)
    assert sorted((g["arm"], g["variant"], g["members"]) for g in summary["groups"]) == [
        ("holdout", "", 10), ("send", "A", 15), ("send", "B", 15)]
    with reading(db) as con:
        row = query(con, "cmp_campaign_get", {"campaign": "春季召回"}).row(0, named=True)
        stored = query(con, "cmp_members", {"campaign": "春季召回"})
    assert (row["origin"], row["seed"], row["holdout_share"], row["variants"]) == ("plan", 5, 0.25, "A,B")
    assert row["planned_at"] is not None and row["source"] == f"file:{listed}"
    assert stored.height == 40 and stored["member_id"].to_list() == list(range(1, 41))
    # the same seed on the same members gives the same split (a second name, stored beside it)
    code, _, _ = campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "again", "--from", f"file:{listed}",
                                     "--holdout", "0.25", "--variants", "A,B", "--seed", "5")
    with reading(db) as con:
        again = query(con, "cmp_members", {"campaign": "again"})
    assert again.select("member_id", "arm", "variant").equals(stored.select("member_id", "arm", "variant"))


def test_plan_time_comes_from_the_clock(db: Path) -> None:
    settings = load_settings(db=db)
    at = dt.datetime(2024, 6, 1, 9, 30)
    plan = plan_campaign(settings, name="c1", source="rfm:重要价值客户", holdout=0.5, seed=1, clock=lambda: at)
    with reading(db) as con:
        assert query(con, "cmp_campaign_get", {"campaign": "c1"})["planned_at"].item() == at
    assert plan.summary()["planned_at"] == "2024-06-01 09:30:00"


def test_a_used_name_an_unknown_segment_and_a_bad_holdout_are_clear_errors(db: Path) -> None:
    args = ("campaign", "plan", "--db", str(db), "--name", "x", "--from", "重要价值客户")
    assert campaign_db.run_cli(*args)[0] == 0
    code, _, err = campaign_db.run_cli(*args)
    assert code == 1 and "已有名为 'x' 的活动" in err
    code, _, err = campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "y", "--from", "不存在的分群")
    assert code == 1 and "没有名为 '不存在的分群' 的 RFM 分群" in err and "Traceback" not in err
    code, _, err = campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "z", "--from", "重要价值客户",
                                       "--holdout", "1.5")
    assert code == 1 and "holdout" in err
    code, _, err = campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "z", "--from",
                                       "重要价值客户", "--variants", "A,A")
    assert code == 1 and "--variants" in err


def test_send_lists_mask_phones_unless_asked_and_audit_full_ones(db: Path, tmp_path: Path) -> None:
    listed = _list(tmp_path, "member_id\n" + "\n".join(f"M{i:03d}" for i in range(1, 21)) + "\n")
    assert campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "c", "--from", str(listed),
                               "--holdout", "0.1")[0] == 0
    with reading(db) as con:
        send = query(con, "cmp_members", {"campaign": "c"}).filter(pl.col("arm") == "send")["member_id"].to_list()
    assert len(send) == 18
    code, out, err = campaign_db.run_cli("campaign", "send-list", "--db", str(db), "--name", "c")
    lines = out.lstrip("\ufeff").splitlines()
    assert code == 0 and lines[0] == "手机号,姓名,文案版本"
    with_phone = [i for i in send if i % 8]
    assert len(lines) - 1 == len(with_phone) and "人没有可用的完整手机号" in err
    assert all("****" in line for line in lines[1:])
    assert not read_audit(db).filter(pl.col("action") == "download").height
    out_file = tmp_path / "sms.csv"
    code, out, _ = campaign_db.run_cli("campaign", "send-list", "--db", str(db), "--name", "c", "--full-phones",
                                       "--out", str(out_file))
    text = out_file.read_bytes().decode("utf-8-sig").splitlines()
    assert code == 0 and f"{campaign_db.phone(with_phone[0])},会员{with_phone[0]}," in text
    audit = read_audit(db).filter(pl.col("action") == "download")
    assert audit.height == 1 and "campaign send-list c" in audit["detail"].item()
    code, out, _ = campaign_db.run_cli("campaign", "send-list", "--db", str(db), "--name", "c", "--layout", "wecom")
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0] == "外部联系人ID,客户名称,添加人,添加人账号,文案版本"
    assert len(lines) - 1 == len([i for i in send if i % 5])
    assert f"wm{[i for i in send if i % 5][0]},会员{[i for i in send if i % 5][0]},张导购,zhang," in lines


def test_campaign_list_and_a_plugged_in_source(db: Path) -> None:
    sources.register_source("saved", lambda ctx, name: pl.Series("member_id", [1, 2, 3, 4], dtype=pl.Int64),
                            "saved segment (test)")
    try:
        assert campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "s", "--from", "saved:vip",
                                   "--holdout", "0.25")[0] == 0
    finally:
        sources.SOURCES.pop("saved")
    code, out, _ = campaign_db.run_cli("campaign", "list", "--db", str(db))
    rows = json.loads(out)
    assert code == 0 and [(r["campaign"], r["planned_send"], r["planned_holdout"], r["sent"]) for r in rows] == [
        ("s", 3, 1, 0)]


def test_lift_from_the_command_line_and_comparison_groups(db: Path, tmp_path: Path) -> None:
    sends = _list(tmp_path, "活动,会员编号,发送时间,费用\n" + "".join(
        f"外部,M{i:03d},2024-06-01 10:00,0.10\n" for i in range(1, 11)), "sends.csv")
    assert campaign_db.run_cli("import", "--db", str(db), str(sends))[0] == 0
    code, out, _ = campaign_db.run_cli("metric", "campaign_lift", "--db", str(db), "--format", "csv",
                                       "--param", "windows=7")
    header, row = out.lstrip("\ufeff").splitlines()[:2]
    assert code == 0 and header.startswith(",".join(
        ["campaign", "variant", "window_days", "sent", "holdout", "sent_buyers", "holdout_buyers"]))
    assert row.startswith("外部,,7,10,0,")  # no comparison group yet
    code, _, err = campaign_db.run_cli("campaign", "compare", "--db", str(db), "--name", "外部")
    assert code == 1 and "--members" in err
    named = _list(tmp_path, "member_id\nM001\nM011\nM012\nM013\n", "named.csv")
    code, out, _ = campaign_db.run_cli("campaign", "compare", "--db", str(db), "--name", "外部", "--members", str(named))
    assert code == 0 and json.loads(out)["members"] == 3  # M001 was sent: not in its own comparison group
    code, out, _ = campaign_db.run_cli("metric", "campaign_lift", "--db", str(db), "--param", "windows=7")
    lift = json.loads(out)[0]
    assert (lift["sent"], lift["holdout"], lift["comparison"], lift["cost"]) == (10, 3, "named", 1.0)
    everyone = _list(tmp_path, "member_id\n" + "".join(f"M{i:03d}\n" for i in range(1, 41)), "all.csv")
    code, out, _ = campaign_db.run_cli("campaign", "compare", "--db", str(db), "--name", "外部", "--matched",
                                       "--from", f"file:{everyone}")
    result = json.loads(out)
    assert code == 0 and result["comparison"] == "matched" and 0 < result["members"] <= 10
    code, out, _ = campaign_db.run_cli("metric", "campaign_lift", "--db", str(db), "--param", "windows=7")
    lift = json.loads(out)[0]
    assert lift["comparison"] == "matched" and "非随机" in lift["verdict"]
    with reading(db) as con:
        members = query(con, "cmp_members", {"campaign": "外部"})
    assert not set(members["member_id"].to_list()) & set(range(1, 11))  # nobody sent is in the matched group
