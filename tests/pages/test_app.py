"""The app shell through AppTest: language switch, navigation, locked-database message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    return at.run()


def test_language_switch_changes_labels_and_the_url(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    assert at.radio(key="lang").value == "zh"
    assert at.query_params["lang"] == "zh"
    assert at.title[0].value == "总览"
    at.radio(key="lang").set_value("en").run()
    assert at.query_params["lang"] == "en"
    assert at.title[0].value == "Overview"
    labels = [m.label for m in at.metric]
    assert labels == ["Members", "Valid private-domain users", "Buyers", "Valid orders",
                      "GMV (net)", "ARPU", "Repurchase rate", "Friends deleted"]
    assert at.metric[4].value == "¥400.00"
    # the chosen range survives the switch
    assert at.query_params["start"] == "2024-01-01"
    at.radio(key="lang").set_value("zh").run()
    assert at.metric[0].label == "会员数"


def test_lang_query_param_and_setting_choose_the_first_language(fixture_db, monkeypatch):
    assert run_app(lang="en").title[0].value == "Overview"
    assert run_app(lang="klingon").title[0].value == "总览"  # unknown: the default
    monkeypatch.setenv("SIYU_LANG", "en")
    assert run_app().title[0].value == "Overview"


def test_bad_setting_is_a_message_not_a_traceback(fixture_db, monkeypatch):
    monkeypatch.setenv("SIYU_LOCK_TIMEOUT", "soon")
    at = run_app()
    assert not at.exception
    assert "SIYU_LOCK_TIMEOUT" in shown(at.error[0].value)


def test_a_locked_database_names_the_process_holding_it(fixture_db, monkeypatch):
    holder = subprocess.Popen(
        [sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
         "print('locked', flush=True); time.sleep(60)", str(fixture_db)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("SIYU_LOCK_TIMEOUT", "0.3")
        at = run_app()
        assert not at.exception
        message = shown(at.error[0].value)
        assert f"PID {holder.pid}" in message and "time.sleep(60)" in message
    finally:
        holder.kill()
        holder.wait()
    # once the other process is gone the page works again
    assert run_app(start="2024-01-01", end="2024-03-31").metric[0].value == "5"


def test_grain_survives_the_language_switch(fixture_db):
    at = run_app(start="2024-01-01", end="2024-03-31")
    at.radio(key="f_grain_zh").set_value("week").run()
    at.radio(key="lang").set_value("en").run()
    assert at.radio(key="f_grain_en").value == "week"
    assert at.query_params["grain"] == "week"
