"""Every analysis page opens on the fixture and on an empty database, in both languages, without an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

PAGES = [
    ("app_pages/retention.py", "留存", "Retention"),
    ("app_pages/members.py", "会员与等级", "Members & tiers"),
    ("app_pages/membership.py", "会员权益", "Membership economics"),
    ("app_pages/referrals.py", "裂变", "Referrals"),
    ("app_pages/channels.py", "渠道", "Channels"),
    ("app_pages/segments.py", "分群", "Segments"),
]


@pytest.mark.parametrize(("path", "zh", "en"), PAGES)
def test_page_opens_in_both_languages(fixture_db, path, zh, en):
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(path).run()
    assert not at.exception and not at.error
    assert at.title[0].value == zh
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and not at.error
    assert at.title[0].value == en


@pytest.mark.parametrize(("path", "zh", "en"), PAGES)
def test_empty_database_explains_what_to_import(tmp_path, monkeypatch, path, zh, en):
    monkeypatch.setenv("SIYU_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(path).run()
    assert not at.exception and not at.error
    assert at.subheader[0].value == "还没有数据"
    assert "python -m siyu import" in at.markdown[0].value
