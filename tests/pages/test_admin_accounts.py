"""The admin page's account controls: the 角色 select starts at the picked account's own role, so clicking
修改角色 without touching it changes nothing (it used to start at 查看者 and demote an admin)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from siyu.auth import accounts
from tests.pages.conftest import ensure_account, log_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_the_role_select_shows_the_picked_accounts_role_and_a_click_keeps_it(fixture_db):
    ensure_account(fixture_db, "olga", "operator")
    ensure_account(fixture_db, "vera", "viewer")
    at = log_in_as(AppTest.from_file(APP, default_timeout=30), fixture_db, "admin", "anna").run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    pick = next(s for s in at.selectbox if s.label == "账户")
    roles = {}
    for name in ("anna", "olga", "vera"):
        pick.set_value(name)
        at.run()
        pick = next(s for s in at.selectbox if s.label == "账户")
        roles[name] = at.selectbox(key=f"admin_role_{name}").value
    assert roles == {"anna": "admin", "olga": "operator", "vera": "viewer"}

    pick.set_value("anna")
    at.run()
    next(b for b in at.button if b.label == "修改角色").click()
    at.run()
    assert not at.exception and not at.error
    assert accounts.get_account(fixture_db, "anna")["role"] == "admin"


def test_audit_actions_are_shown_in_words_and_the_filter_too(fixture_db):
    ensure_account(fixture_db, "olga", "operator")  # writes account_created
    at = log_in_as(AppTest.from_file(APP, default_timeout=30), fixture_db, "admin", "anna").run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    audit = next(d for d in at.dataframe if "操作" in list(d.value.columns) or "action" in list(d.value.columns))
    column = "操作" if "操作" in audit.value.columns else "action"
    assert "创建账户" in audit.value[column].tolist() and "account_created" not in audit.value[column].tolist()
    box = next(s for s in at.selectbox if s.label == "操作")
    assert box.format_func("account_created") == "创建账户" and box.format_func(None) == "全部"


def test_roles_in_the_tables_are_words(fixture_db):
    ensure_account(fixture_db, "olga", "operator")
    at = log_in_as(AppTest.from_file(APP, default_timeout=30), fixture_db, "admin", "anna").run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception
    listing = at.dataframe[0].value
    roles = dict(zip(listing["username"], listing["role"], strict=True))
    assert roles["anna"] == "管理员" and roles["olga"] == "运营"
