"""The admin page's settings: edited, validated, audited, in force from the next run; env variables pin."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.auth.audit import read_audit
from siyu.auth.runtime_settings import stored
from tests.pages.conftest import TEST_PASSWORD, ensure_account, log_in_as, shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def admin_page(db: Path) -> AppTest:
    at = log_in_as(AppTest.from_file(APP, default_timeout=30), db, "admin", "anna").run()
    at.switch_page("app_pages/admin.py").run()
    assert not at.exception and at.title[0].value == "账户与审计"
    return at


def save(at: AppTest) -> AppTest:
    next(b for b in at.get("form_submit_button") if b.label == "保存设置").click()
    return at.run()


def test_an_admin_changes_the_lockout_and_it_applies_on_the_next_login(fixture_db, monkeypatch):
    at = admin_page(fixture_db)
    assert at.text_input(key="setting_max_login_failures").value == "5"
    assert at.text_input(key="setting_session_ttl_minutes").value == "120"
    at.text_input(key="setting_max_login_failures").input("2")
    at.text_input(key="setting_sso_roles").input("*@brand.cn=viewer")
    at = save(at)
    assert not at.exception and not at.error
    assert shown(at.success[0].value) == "已保存：max_login_failures: 5 → 2; sso_roles:  → *@brand.cn=viewer"
    assert at.text_input(key="setting_max_login_failures").value == "2"
    assert "anna 于" in " ".join(c.value for c in at.caption)  # who set it, when
    log = read_audit(fixture_db, action="setting_changed")
    assert log.select("username", "detail").rows() == [
        ("anna", "sso_roles:  -> *@brand.cn=viewer"), ("anna", "max_login_failures: 5 -> 2")]

    # no restart: the next login attempt in another session uses the new threshold. The login form's clock
    # is held still (the second failure starts a 1-second wait: a slow machine must not outlast it).
    now = [dt.datetime(2024, 3, 5, 14, 0, 0)]
    monkeypatch.setattr("siyu.ui.auth.clock", lambda: now[0])
    monkeypatch.setattr("tests.pages.conftest._AUTO_LOGIN", False)
    ensure_account(fixture_db, "olga", "operator")
    anon = AppTest.from_file(APP, default_timeout=30).run()
    for expected in ("用户名或密码不正确。", "失败次数过多，请 1 秒后再试"):
        anon.text_input(key="login_user").input("olga")
        anon.text_input(key="login_password").input("wrong password")
        anon.get("form_submit_button")[0].click()
        anon.run()
        assert anon.error[0].value.startswith(expected)
    anon.text_input(key="login_password").input(TEST_PASSWORD)
    anon.get("form_submit_button")[0].click()
    assert anon.run().error[0].value.startswith("失败次数过多")    # within the wait even the right one waits
    now[0] += dt.timedelta(seconds=1)                                 # the wait is over: the right password opens
    anon.text_input(key="login_user").input("olga")
    anon.text_input(key="login_password").input(TEST_PASSWORD)
    anon.get("form_submit_button")[0].click()
    anon.run()
    assert not anon.exception and not anon.error
    assert "login_user" not in [i.key for i in anon.text_input]       # logged in: the login form is gone


def test_a_bad_value_is_refused_and_nothing_is_stored(fixture_db):
    at = admin_page(fixture_db)
    at.text_input(key="setting_session_ttl_minutes").input("0")
    at.text_input(key="setting_sso_roles").input("boss@brand.cn=root")
    at = save(at)
    assert "session_ttl_minutes" in shown(at.error[0].value)
    assert stored(fixture_db) == {} and read_audit(fixture_db, action="setting_changed").height == 0


def test_an_environment_variable_pins_a_setting(fixture_db, monkeypatch):
    monkeypatch.setenv("SIYU_LOCKOUT_MINUTES", "9")
    at = admin_page(fixture_db)
    field = at.text_input(key="setting_lockout_minutes")
    assert field.value == "9" and field.disabled
    assert "由环境变量 SIYU_LOCKOUT_MINUTES 固定" in [c.value for c in at.caption]
    at.text_input(key="setting_session_ttl_minutes").input("45")
    at = save(at)
    assert not at.error and set(stored(fixture_db)) == {"session_ttl_minutes"}
    table = at.dataframe[-1].value.set_index("setting")
    # 9, not 9.0 (issue #13: no "30.0" in tables)
    assert table.loc["lockout_minutes", "value"] == "9" and table.loc["session_ttl_minutes", "value"] == "45"



def test_the_settings_table_names_each_setting_and_says_what_it_does(fixture_db):
    """Words first, the key and its variable after them: the table once listed only db, lock_timeout, ..."""
    import json

    at = admin_page(fixture_db)
    table = at.dataframe[-1]
    row = table.value.set_index("setting").loc["lock_timeout"]
    assert (row["name"], row["meaning"], row["env"]) == ("数据库锁等待", "另一个进程占用数据库时，最多等待的秒数。",
                                                         "SIYU_LOCK_TIMEOUT")
    assert list(table.value.columns) == ["name", "meaning", "value", "source", "setting", "env"]
    labels = {k: c.get("label") for k, c in json.loads(table.proto.columns).items()}
    assert [labels[c] for c in ("name", "meaning", "setting", "env")] == ["设置", "说明", "键名", "环境变量"]
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    row = at.dataframe[-1].value.set_index("setting").loc["db"]
    assert (row["name"], row["meaning"]) == ("Database file", "Path of the DuckDB database file.")


def test_the_webhook_url_is_a_secret_on_the_page_and_in_the_log(fixture_db):
    at = admin_page(fixture_db)
    at.text_input(key="setting_webhook_url").input("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K-123")
    at = save(at)
    assert shown(at.success[0].value) == "已保存：webhook_url: (not set) → (set)"
    assert at.text_input(key="setting_webhook_url").value == ""  # never drawn back into the page
    assert "K-123" not in str(at.dataframe[-1].value.to_dict())
    at.checkbox(key="setting_webhook_url_clear").check()
    at = save(at)
    assert shown(at.success[0].value) == "已保存：webhook_url: (set) → (not set)"
    assert stored(fixture_db) == {}



def test_the_audit_log_export_is_audited_under_the_admin_and_refused_once_demoted(fixture_db, monkeypatch):
    import streamlit as st

    from siyu.auth import accounts

    produced, real = {}, st.download_button

    def spy(label, data, **kwargs):
        produced[kwargs["file_name"]] = data
        return real(label, b"", **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    admin_page(fixture_db)
    export = produced["siyu_audit_log.csv"]
    body = export().decode("utf-8-sig")  # the click, outside the script run
    assert body.startswith("时间,用户名,角色,操作,详情,行数\n")  # labelled, no internal id (issue #13)
    row = read_audit(fixture_db, action="audit_export").row(0, named=True)
    assert (row["username"], row["role"]) == ("anna", "admin")
    ensure_account(fixture_db, "other-admin", "admin")  # the last admin cannot be demoted
    accounts.set_role(fixture_db, "anna", "viewer", by="other-admin")
    with pytest.raises(PermissionError):
        export()
    assert read_audit(fixture_db, action="audit_export").height == 1


def test_accounts_table_is_labelled_and_reads_yes_no(fixture_db):
    import io
    import json

    import pyarrow as pa

    at = admin_page(fixture_db)
    accounts_table = at.dataframe[0]
    labels = {k: c.get("label") for k, c in json.loads(accounts_table.proto.columns).items()}
    assert labels["must_change"] == "需改密码" and labels["locked_until"] == "锁定至" and labels["disabled"] == "已停用"
    shown = pa.ipc.open_stream(io.BytesIO(accounts_table.proto.arrow_data.styler.display_values)).read_all().to_pylist()
    anna = next(r for r in shown if r["username"] == "anna")
    assert (anna["disabled"], anna["must_change"], anna["locked_until"]) == ("否", "否", "—")
    assert "True" not in str(shown) and "None" not in str(shown) and "False" not in str(shown)
