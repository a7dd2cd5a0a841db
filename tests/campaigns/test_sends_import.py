"""The campaign_sends profile: detected, members matched by id / phone / external id, re-import never doubles,
failed deliveries not stored, unknown members refuse the file (or are skipped and listed), undo removes it."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from siyu.config import load_settings
from siyu.db import reading
from siyu.ingest.history import undo_batch
from siyu.ingest.pipeline import import_file
from tests.campaigns import campaign_db

SENDS = """活动名称,会员编号,手机号,外部联系人ID,发送时间,发送渠道,文案版本,分组,费用,发送状态
外部召回,M001,,,2024-06-01 10:00,短信,A,发送,0.05,成功
外部召回,,13800000002,,2024-06-01 10:00,短信,B,发送,0.05,成功
外部召回,,,wm3,2024-06-01 10:05,企微,A,发送,,成功
外部召回,siyu:4,,,2024-06-01 10:00,短信,A,发送,0.05,失败
外部召回,M005,,,2024-06-01 10:00,,,对照组,,
外部召回,M001,,,2024-06-01 10:00,短信,A,发送,0.05,成功
"""


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return campaign_db.build(tmp_path / "s.duckdb")


def _file(tmp_path: Path, text: str, name: str = "sends.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _sends(db: Path) -> list[tuple]:
    with reading(db) as con:
        return con.execute("SELECT campaign, member_id, sent_at::VARCHAR, channel, variant, arm, cost_cents "
                           "FROM campaign_sends ORDER BY member_id").fetchall()


def test_sends_are_detected_matched_and_stored_once(db: Path, tmp_path: Path) -> None:
    settings = load_settings(db=db)
    report = import_file(db, _file(tmp_path, SENDS), settings=settings)
    assert report.refused is None and report.profile == "campaign_sends"
    assert report.inserted == 4 and report.duplicates == 1  # the repeated M001 row; the failed send is not stored
    assert _sends(db) == [
        ("外部召回", 1, "2024-06-01 10:00:00", "短信", "A", "send", 5),
        ("外部召回", 2, "2024-06-01 10:00:00", "短信", "B", "send", 5),
        ("外部召回", 3, "2024-06-01 10:05:00", "企微", "A", "send", None),
        ("外部召回", 5, "2024-06-01 10:00:00", None, "", "holdout", None),
    ]
    with reading(db) as con:
        assert con.execute("SELECT origin, comparison FROM campaigns").fetchall() == [("import", "holdout")]
    # an overlapping export (one new row, the rest already stored) adds only the new row
    again = import_file(db, _file(tmp_path, SENDS + "外部召回,M006,,,2024-06-02 10:00,短信,A,发送,0.05,成功\n", "b.csv"),
                        settings=settings)
    assert (again.inserted, again.duplicates) == (1, 5)
    assert len(_sends(db)) == 5
    undo_batch(db, again.batch_id, settings=settings)
    undo_batch(db, report.batch_id, settings=settings)
    assert _sends(db) == []
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM campaigns").fetchone() == (0,)


def test_unknown_members_refuse_the_file_or_are_skipped_and_listed(db: Path, tmp_path: Path) -> None:
    settings = load_settings(db=db)
    text = ("活动,手机号,会员编号,发送时间\nx,13800000001,,2024-06-01 10:00\nx,13999999999,,2024-06-01 10:00\n"
            "x,,M404,2024-06-01 10:00\n")
    refused = import_file(db, _file(tmp_path, text), settings=settings)
    assert refused.refused and "2 行对不上会员" in refused.refused and "第 2 行 13999999999" in refused.refused
    assert _sends(db) == []
    skipped = import_file(db, _file(tmp_path, text, "again.csv"), settings=settings, on_error="skip")
    assert skipped.refused is None and skipped.inserted == 1 and skipped.rejected == 2
    assert sorted(skipped.error_frame["row"].to_list()) == [2, 3]


@pytest.mark.parametrize(("text", "needle"), [
    ("活动,发送时间\nx,2024-06-01\n", "需要一列会员"),
    ("活动,会员编号,发送时间,发送渠道\nx,M001,2024-06-01,抖音\n", "无法识别的渠道"),
    ("活动,会员编号,发送时间,分组\nx,M001,2024-06-01,随便\n", "无法识别的分组"),
    ("活动,会员编号,发送时间\nx,M001,昨天\n", "1 行有问题"),
    ("活动,手机号,发送时间\nx,138****0008,2024-06-01\n", "打码的手机号"),
])
def test_bad_send_files_are_refused_with_a_reason_and_write_nothing(db: Path, tmp_path: Path, text: str,
                                                                    needle: str) -> None:
    report = import_file(db, _file(tmp_path, text), settings=load_settings(db=db), profile="campaign_sends")
    reasons = report.refused or ""
    reasons += " ".join(report.error_frame["message"].to_list()) if report.error_frame.height else ""
    assert report.batch_id is None and needle in reasons
    assert _sends(db) == []
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM campaigns").fetchone() == (0,)


def test_sends_to_a_siyu_plan_attach_to_it(db: Path, tmp_path: Path) -> None:
    assert campaign_db.run_cli("campaign", "plan", "--db", str(db), "--name", "p", "--from", "重要价值客户")[0] == 0
    report = import_file(db, _file(tmp_path, "活动,会员编号,发送时间\np,M001,2024-06-01 10:00\n"),
                         settings=load_settings(db=db))
    assert report.inserted == 1
    with reading(db) as con:
        assert con.execute("SELECT origin, comparison FROM campaigns").fetchall() == [("plan", "holdout")]
    assert pl.DataFrame(_sends(db), orient="row").height == 1
