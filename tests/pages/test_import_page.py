"""The Import page: history of batches and undo, in both languages (uploads are covered by tests/ingest)."""

from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from siyu.config import load_settings
from siyu.ingest import import_file

APP = str(Path(__file__).resolve().parents[2] / "app.py")
CSV = b"order_id,member_id,paid_at,amount\nP1,M1,2024-03-05 10:00,12\nP2,M2,2024-03-06 10:00,0\n"


def test_history_lists_batches_and_undo_removes_one(fixture_db: Path) -> None:
    report = import_file(fixture_db, CSV, file_name="orders.csv", settings=load_settings(db=fixture_db))
    assert report.ok and report.inserted == 2
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/import_data.py").run()
    assert not at.exception and not at.error
    assert at.title[0].value == "导入"
    history = at.dataframe[0].value
    assert history["file_name"].iloc[0] == "orders.csv" and history["rows_inserted"].iloc[0] == 2
    assert "sha256" not in history.columns  # no 64-character hashes on screen
    labels = {k: c.get("label") for k, c in json.loads(at.dataframe[0].proto.columns).items()}
    assert labels["batch_id"] == "批次" and labels["rows_inserted"] == "新增"
    assert at.selectbox[0].value == report.batch_id
    at.button[0].click().run()  # 撤销: asks first (issue #13), nothing undone yet
    assert not at.exception and not at.error
    assert any(x.value.startswith(f"确认撤销批次 {report.batch_id}？") for x in at.warning)
    assert at.dataframe[0].value["status"].iloc[0] == "已导入"
    next(b for b in at.button if b.label == "取消").click().run()
    assert not at.warning and at.dataframe[0].value["status"].iloc[0] == "已导入"
    at.button[0].click().run()
    next(b for b in at.button if b.label == "确认撤销").click().run()
    assert not at.exception and not at.error
    history = at.dataframe[0].value
    assert list(history["profile"].iloc[:2]) == ["撤销", "通用订单"]    # the format by name, not undo/generic_orders
    assert history["status"].iloc[1] == "已撤销"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Import" and at.header[0].value == "Import history"
    assert list(at.dataframe[0].value["profile"].iloc[:2]) == ["Undo", "Generic orders"]
    from siyu.auth.audit import read_audit

    row = read_audit(fixture_db, action="undo").row(0, named=True)
    assert (row["username"], row["role"], row["detail"]) == ("tester", "admin", f"batch {report.batch_id}")


def test_an_import_shows_progress_and_an_identical_file_is_named(fixture_db: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/import_data.py").run()
    at.file_uploader[0].set_value(("orders.csv", CSV, "text/csv")).run()
    next(b for b in at.button if b.label == "导入").click().run()
    done = next(s.value for s in at.success if s.value.startswith("已导入批次"))
    bar = at.get("progress")[0]
    assert bar.value == 100 and bar.proto.text.startswith("完成 · 2 行，每秒 ")
    next(b for b in at.button if b.label == "导入").click().run()
    assert [x.value for x in at.info][:1] == [f"与第 {done.removeprefix('已导入批次 ')} 批完全相同，未写入。"]
    assert not any(s.value.startswith("已导入批次") for s in at.success)


# a shifted row: the phone landed in the date column; a formula in the name
BAD_ROWS = ("member_id,joined_at,phone,name\nM1,2024-03-01,13800138000,张三\n"
            "M2,13912345678,2024-03-02,=HYPERLINK(\"http://x\")\n").encode()


def test_rejected_rows_are_masked_on_screen_and_downloaded_through_the_audited_member_download(fixture_db, monkeypatch):
    import streamlit as st

    from siyu.auth.audit import read_audit

    produced, real = {}, st.download_button

    def spy(label, data, **kwargs):
        produced[label] = (kwargs["file_name"], data)
        return real(label, b"", **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/import_data.py").run()
    at.file_uploader[0].set_value(("会员.csv", BAD_ROWS, "text/csv")).run()
    preview = at.dataframe[0].value  # the file as read, phones masked like everywhere on screen
    assert preview["phone"].tolist() == ["138****8000", "********02"] and preview["joined_at"][1] == "139****5678"
    at.checkbox[0].check().run()  # skip bad rows
    next(b for b in at.button if b.label == "导入").click().run()
    assert not at.exception and any(s.value.startswith("已导入批次") for s in at.success)
    on_screen = next(d.value for d in at.dataframe if "message" in d.value.columns)
    assert on_screen["column"].tolist() == ["joined_at"] and on_screen["value"].tolist() == ["139****5678"]
    assert "13912345678" not in on_screen.to_string()
    assert set(produced) >= {"下载错误行 CSV", "下载错误行 Excel"}
    name, produce = produced["下载错误行 CSV"]
    assert name == "siyu_会员_errors.csv"
    assert not read_audit(fixture_db, action="download").height  # nothing until a click
    body = produce().decode("utf-8-sig")  # the click: operators and admins get the cell as written
    assert body.splitlines()[0] == "行号,列,单元格内容,问题与改法"  # headers in the reader's language (issue #13)
    assert body.splitlines()[1].startswith("2,joined_at,13912345678,")
    errors = next(d for d in at.dataframe if "message" in d.value.columns)
    assert {c.get("label") for c in json.loads(errors.proto.columns).values()} - {None} == {"行号", "列", "单元格内容", "问题与改法"}
    row = read_audit(fixture_db, action="download").row(0, named=True)
    assert (row["username"], row["rows"]) == ("tester", 1)
    assert row["detail"].startswith("rejected rows of 会员.csv (batch ") and row["detail"].endswith("siyu_会员_errors.csv")


def test_the_uploader_states_and_enforces_siyus_limit(fixture_db: Path, monkeypatch) -> None:
    """Streamlit's widget said "1GB per file" (its server ceiling) while siyu refused over 200 MB: the widget now
    takes Settings.max_upload_mb, and siyu says the limit in its own words, in both languages."""
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/import_data.py").run()
    assert not at.exception
    assert at.file_uploader[0].proto.max_upload_size_mb == 200
    assert "单个文件不超过 200 MB（管理员可用 `SIYU_MAX_UPLOAD_MB` 调整）" in at.caption[0].value
    monkeypatch.setenv("SIYU_MAX_UPLOAD_MB", "50")
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page("app_pages/import_data.py").run()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert at.file_uploader[0].proto.max_upload_size_mb == 50
    assert at.caption[0].value.startswith("Up to 50 MB per file (an administrator sets this with `SIYU_MAX_UPLOAD_MB`)")


def test_the_limit_is_whole_megabytes_under_the_servers_ceiling() -> None:
    from siyu.ui.widgets import upload_limit_mb

    assert [upload_limit_mb(mb) for mb in (200.0, 0.0001, 12.5, 5000.0)] == [200, 1, 13, 1024]  # ceiling: config.toml
