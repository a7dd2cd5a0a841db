"""The Import page: history of batches and undo, in both languages (uploads are covered by tests/ingest)."""

from __future__ import annotations

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
    assert at.selectbox[0].value == report.batch_id
    at.button[0].click().run()  # 撤销
    assert not at.exception and not at.error
    history = at.dataframe[0].value
    assert list(history["profile"].iloc[:2]) == ["undo", "generic_orders"]
    assert history["status"].iloc[1] == "undone"
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == "Import" and at.header[0].value == "Import history"
