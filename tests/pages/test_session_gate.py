"""The login session through AppTest (no browser, so no cookie): a login creates one server-side session,
every run checks it, logout revokes it and forgets the tab's per-login state (issue #13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
from streamlit.testing.v1 import AppTest

from siyu.auth import sessions
from siyu.db.connection import release_kept
from tests.pages.conftest import TEST_PASSWORD, ensure_account

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def rows(db: Path) -> list[tuple]:
    release_kept()
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT username, via, revoked_why FROM login_sessions ORDER BY created_at").fetchall()


def log_in(db: Path, user: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at.get("form_submit_button")[0].click()
    return at.run()


def test_logout_revokes_the_session_and_forgets_the_tabs_state(fixture_db, anonymous):
    ensure_account(fixture_db, "olga", "operator")
    at = log_in(fixture_db, "olga")
    assert at.title[0].value == "总览"
    assert rows(fixture_db) == [("olga", "password", None)]
    hashed = at.session_state["_siyu_session_hash"]
    at.session_state["_import_flash"] = "an upload preview of the last user"
    generation = at.session_state["_siyu_login_generation"] if "_siyu_login_generation" in at.session_state else 0
    at.sidebar.button(key="siyu_logout").click().run()
    assert at.title[0].value == "登录 siyu" and not at.info  # a logout is not an "ended" notice
    assert rows(fixture_db) == [("olga", "password", "logout")]
    assert "_import_flash" not in at.session_state and "_siyu_session_hash" not in at.session_state
    assert at.session_state["_siyu_login_generation"] == generation + 1  # a fresh uploader for the next login
    found = sessions.check(fixture_db, hashed, ttl=dt.timedelta(hours=2), now=dt.datetime.now())
    assert found.reason == "revoked"


def test_a_session_revoked_elsewhere_ends_this_tab(fixture_db, anonymous):
    ensure_account(fixture_db, "olga", "operator")
    at = log_in(fixture_db, "olga")
    sessions.revoke_user(fixture_db, "olga", why="password_changed", now=dt.datetime.now())
    at.run()
    assert at.title[0].value == "登录 siyu"
    assert at.info[0].value == "登录已结束（已退出或账户已停用），请重新登录。"


def test_after_an_expiry_in_the_tab_a_new_login_stands(fixture_db, anonymous):
    import time

    ensure_account(fixture_db, "olga", "operator")
    at = log_in(fixture_db, "olga")
    at.session_state["_siyu_auth"] = {**at.session_state["_siyu_auth"], "last_seen": time.time() - 3 * 3600}
    at.run()
    assert at.title[0].value == "登录 siyu" and "_siyu_session_hash" not in at.session_state
    at.text_input(key="login_user").input("olga")
    at.text_input(key="login_password").input(TEST_PASSWORD)
    at.get("form_submit_button")[0].click()
    at.run()
    assert at.title[0].value == "总览"
    assert [r[0] for r in rows(fixture_db)] == ["olga", "olga"]  # a second session, the first left to expire
