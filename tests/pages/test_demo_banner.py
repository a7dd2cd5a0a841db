"""Autodemo on an empty database: built once, announced on every page, cleared for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import reading

APP = str(Path(__file__).resolve().parents[2] / "app.py")
BANNER = "当前显示的是演示数据 (demo data)"


@pytest.fixture
def empty_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "1")
    monkeypatch.setenv("SIYU_DEMO_MEMBERS", "500")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path


def counts(path: Path) -> tuple[int, int, int]:
    with reading(path) as con:
        return con.execute(
            "SELECT (SELECT count(*) FROM members), "
            "(SELECT count(*) FROM import_batches WHERE profile = 'demo'), "
            "(SELECT count(*) FROM import_batches WHERE profile = 'demo_cleared')").fetchone()


def test_demo_is_built_announced_everywhere_and_cleared_for_good(empty_db):
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and not at.error
    assert counts(empty_db) == (500, 1, 0)
    assert at.warning[0].value.startswith(BANNER)
    assert at.metric[0].label == "会员数" and at.metric[0].value == "500"

    at.switch_page("app_pages/segments.py").run()  # the banner is on every page
    assert at.warning[0].value.startswith(BANNER)
    at.switch_page("app_pages/overview.py").run()

    # a second session on the same database does not build it again
    AppTest.from_file(APP, default_timeout=60).run()
    assert counts(empty_db) == (500, 1, 0)

    at.button(key="demo_clear").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "演示数据已清除；不会再自动生成。"
    assert not [w for w in at.warning if w.value.startswith(BANNER)]
    assert at.subheader[0].value == "还没有数据"  # the empty state, not stale cached demo figures
    assert counts(empty_db) == (0, 0, 1)

    # neither this session nor a new one (autodemo still on) rebuilds it
    at.run()
    fresh = AppTest.from_file(APP, default_timeout=60).run()
    assert counts(empty_db) == (0, 0, 1)
    assert not [w for w in fresh.warning if w.value.startswith(BANNER)]
    assert fresh.subheader[0].value == "还没有数据"


def test_english_banner_and_no_autodemo_when_switched_off(empty_db, monkeypatch):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert at.warning[0].value.startswith("You are looking at demo data")
    assert at.button(key="demo_clear").label == "Clear demo data"

    other = empty_db.with_name("off.duckdb")
    monkeypatch.setenv("SIYU_DB", str(other))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    off = AppTest.from_file(APP, default_timeout=60).run()
    assert off.subheader[0].value == "还没有数据"
    assert counts(other) == (0, 0, 0)
