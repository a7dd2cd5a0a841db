"""Phones on the command line (issue 16): member-level output masks phones unless --full-phones, and every
full-phone output is in the audit log like a dashboard download, under the OS user."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from siyu.auth.audit import read_audit
from siyu.cli import main
from siyu.db import writing
from siyu.engine import frame_cache
from tests.metrics import analytics_db


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = analytics_db.build(tmp_path / "brand.duckdb")
    with writing(path) as con:
        con.execute("UPDATE members SET display_name = '小林' WHERE member_id = 1")
        con.execute("INSERT INTO member_identities (kind, value, member_id, batch_id) VALUES"
                    " ('phone', '13800138000', 1, 1), ('phone', '13900139001', 2, 1)")
    frame_cache.clear()
    return path


def run(capsys, *argv: str) -> str:
    assert main(list(argv)) == 0
    return capsys.readouterr().out


def test_member_contacts_are_masked_by_default_and_nothing_is_audited(db, capsys):
    rows = json.loads(run(capsys, "metric", "member_contacts", "--db", str(db), "--param", "ids=1,2,3"))
    assert [(r["member_id"], r["phone"]) for r in rows] == [("138****8000", "138****8000"), ("139****9001", "139****9001"), ("siyu:3", None)]  # member_id: own id (#13), here a masked phone
    csv = run(capsys, "metric", "member_contacts", "--db", str(db), "--param", "ids=1", "--format", "csv")
    assert "13800138000" not in csv and "138****8000" in csv
    assert read_audit(db, action="download").height == 0


def test_full_phones_are_printed_and_audited_under_the_os_user(db, capsys):
    rows = json.loads(run(capsys, "metric", "member_contacts", "--db", str(db), "--param", "ids=1,2,3",
                          "--full-phones"))
    assert [r["phone"] for r in rows] == ["13800138000", "13900139001", None]
    log = read_audit(db, action="download")
    assert log.select("username", "detail", "rows").rows() == [
        (getpass.getuser(), "metric member_contacts ids=1,2,3 (json, full phones, cli)", 3)]


def test_a_segment_recall_list_is_masked_too(db, capsys):
    everyone = json.loads(run(capsys, "metric", "rfm_segments", "--db", str(db), "--param", "view=members"))
    segment = everyone[0]["cn_segment"]
    listing = json.loads(run(capsys, "metric", "segment_members", "--db", str(db), "--param", f"segment={segment}"))
    assert listing
    phones = [r["phone"] for r in listing if r["phone"]]
    assert all("****" in p for p in phones)
    run(capsys, "metric", "segment_members", "--db", str(db), "--param", f"segment={segment}", "--full-phones")
    assert read_audit(db, action="download")["rows"].to_list() == [len(listing)]


def test_aggregate_metrics_are_not_audited(db, capsys):
    run(capsys, "metric", "kpis", "--db", str(db), "--full-phones")
    assert read_audit(db, action="download").height == 0
