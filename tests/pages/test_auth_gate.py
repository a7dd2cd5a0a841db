"""The login gate through AppTest: anonymous visitors get the login form only, wrong passwords lock,
roles decide which pages exist, hostile URL values change nothing, sessions expire."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.auth.audit import read_audit
from siyu.db import reading
from tests.pages.conftest import TEST_PASSWORD, ensure_account, log_in_as, shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ADMIN_ONLY = ["app_pages/admin.py"]
OPERATOR_PAGES = ["app_pages/import_data.py", "app_pages/segments.py"]


def app(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params.update(query)
    return at


def shows_only_the_login_form(at: AppTest) -> bool:
    return (not at.exception and at.title[0].value == "登录 siyu" and len(at.metric) == 0
            and len(at.get("plotly_chart")) == 0 and len(at.get("download_button")) == 0
            and len(at.dataframe) == 0)


def log_in(at: AppTest, user: str, password: str) -> AppTest:
    at.text_input(key="login_user").input(user)
    at.text_input(key="login_password").input(password)
    return at.button[0].click().run() if not at.get("form_submit_button") else _submit(at)


def _submit(at: AppTest) -> AppTest:
    at.get("form_submit_button")[0].click()
    return at.run()


@pytest.mark.parametrize("page", [None, "app_pages/import_data.py", "app_pages/admin.py", "app_pages/retention.py"])
def test_anonymous_visitors_reach_only_the_login_form(fixture_db, anonymous, page):
    at = app(start="2024-01-01", end="2024-03-31").run()
    if page:
        at.switch_page(page).run()
    assert shows_only_the_login_form(at)
    # the requested view is kept for after the login, and nothing else was put in the URL
    assert at.query_params["start"] == "2024-01-01"
    assert set(at.query_params) <= {"start", "end", "grain", "lang"}


@pytest.mark.parametrize("hostile", [
    "' OR 1=1; DROP TABLE accounts;--", "<script>alert(document.cookie)</script>", "x" * 20_000,
    "admin", "%00%27", "../../etc/passwd",
])
def test_hostile_query_values_do_not_get_past_the_gate(fixture_db, anonymous, hostile):
    at = app(start=hostile, end=hostile, grain=hostile, lang=hostile, user=hostile, role=hostile,
             session=hostile).run()
    assert shows_only_the_login_form(at)
    with reading(fixture_db) as con:
        assert con.execute("SELECT count(*) FROM orders").fetchone()[0] == 9
        assert con.execute("SELECT count(*) FROM accounts").fetchone()[0] == 1  # tester only
    texts = " ".join(str(e.value) for e in [*at.markdown, *at.caption, *at.error, *at.warning, *at.info])
    assert "<script>" not in texts and "DROP TABLE" not in texts


def test_a_good_login_opens_the_requested_view(fixture_db, anonymous):
    ensure_account(fixture_db, "olga", "operator")
    at = app(start="2024-01-01", end="2024-03-31").run()
    at = log_in(at, "olga", TEST_PASSWORD)
    assert not at.exception and not at.error
    assert at.title[0].value == "总览"
    assert {m.label: m.value for m in at.metric}["GMV（净额）"] == "¥400.00"
    assert at.query_params["start"] == "2024-01-01"
    assert "已登录：**olga**（运营）" in [m.value for m in at.sidebar.markdown]
    # logging out returns to the form
    at.sidebar.button(key="siyu_logout").click().run()
    assert shows_only_the_login_form(at)
    assert read_audit(fixture_db)["action"].to_list()[:2] == ["logout", "login"]


def test_wrong_passwords_lock_the_account(fixture_db, anonymous, monkeypatch):
    monkeypatch.setenv("SIYU_MAX_LOGIN_FAILURES", "3")
    ensure_account(fixture_db, "olga", "operator")
    at = app().run()
    for _ in range(2):
        at = log_in(at, "olga", "wrong password")
        assert at.error[0].value == "用户名或密码不正确。"
    at = log_in(at, "olga", "wrong password")
    assert re.fullmatch(r"失败次数过多，请 \d+ 秒后再试。", at.error[0].value)
    at = log_in(at, "olga", TEST_PASSWORD)  # the right password, during the wait (changed by issue 16: a wait, not a lock)
    assert at.error[0].value.startswith("失败次数过多")
    assert shows_only_the_login_form(at)
    at = log_in(at, "nobody", TEST_PASSWORD)
    assert at.error[0].value == "用户名或密码不正确。"  # unknown names read like a wrong password
    for _ in range(2):
        at = log_in(at, "nobody", "wrong password")
    assert re.fullmatch(r"失败次数过多，请 \d+ 秒后再试。", at.error[0].value)  # and wait like an existing one


@pytest.mark.parametrize("page", [*OPERATOR_PAGES, *ADMIN_ONLY])
def test_a_viewer_cannot_open_operator_pages_by_url(fixture_db, page):
    """The viewer's navigation does not register the page at all, so its URL leads nowhere (the browser
    test types the URL; here AppTest refuses to switch to a page that is not registered)."""
    at = log_in_as(app(), fixture_db, "viewer").run()
    assert at.title[0].value == "总览"
    with pytest.raises(ValueError, match="Could not find a navigation page") as refused:
        at.switch_page(page)
    known = str(refused.value).split("Known pages:")[1]
    assert "retention.py" in known and page.split("/")[1] not in known


def test_a_page_checks_the_role_itself(fixture_db):
    """Even if a page were reachable, its first line stops a lower role."""
    at = log_in_as(AppTest.from_file(str(Path(APP).parent / "app_pages/import_data.py")), fixture_db, "viewer").run()
    assert at.error[0].value == "你的角色（查看者）不能打开这个页面。"
    assert not at.get("file_uploader")


def test_operators_and_admins_see_their_pages(fixture_db):
    at = log_in_as(app(), fixture_db, "operator").run()
    at.switch_page("app_pages/import_data.py").run()
    assert at.title[0].value == "导入" and not at.exception
    with pytest.raises(ValueError):
        at.switch_page("app_pages/admin.py")  # admins only
    admin = log_in_as(app(), fixture_db, "admin").run()
    admin.switch_page("app_pages/admin.py").run()
    assert admin.title[0].value == "账户与审计" and not admin.exception
    assert "test-admin" in admin.dataframe[0].value["username"].to_list()


def test_sessions_expire_after_the_idle_time(fixture_db, monkeypatch):
    at = log_in_as(app(), fixture_db, "viewer")
    at.session_state["_siyu_auth"] = {**at.session_state["_siyu_auth"], "last_seen": time.time() - 3 * 3600}
    at.run()
    assert shows_only_the_login_form(at)
    assert at.info[0].value == "登录已过期，请重新登录。"


def test_a_disabled_account_is_logged_out_on_its_next_run(fixture_db):
    from siyu.auth import accounts

    at = log_in_as(app(), fixture_db, "viewer").run()
    assert at.title[0].value == "总览"
    accounts.set_disabled(fixture_db, "test-viewer", True, by="tester")
    at.run()
    assert shows_only_the_login_form(at)


def test_a_one_time_password_must_be_changed_first(fixture_db, anonymous):
    from siyu.auth import accounts

    accounts.create_account(fixture_db, "newbie", "temporary-pw", "viewer", by="t", must_change=True)
    at = log_in(app().run(), "newbie", "temporary-pw")
    assert at.title[0].value == "修改密码" and len(at.metric) == 0
    at.text_input[0].input("temporary-pw")
    at.text_input[1].input("my-own-password")
    at.text_input[2].input("my-own-password")
    at = _submit(at)
    assert at.title[0].value == "总览"


def test_the_demo_opens_without_a_password_only_on_localhost(tmp_path, monkeypatch, anonymous):
    from siyu.demo import write_demo

    db = tmp_path / "demo.duckdb"
    write_demo(db, members=300, seed=1)
    monkeypatch.setenv("SIYU_DB", str(db))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    at = app().run()
    assert at.title[0].value == "总览" and not at.exception
    assert any("演示模式" in c.value for c in at.caption)
    monkeypatch.setenv("SIYU_DEMO_LOGIN", "0")
    assert shows_only_the_login_form(app().run())
    monkeypatch.delenv("SIYU_DEMO_LOGIN")
    monkeypatch.setattr("siyu.ui.auth.bound_address", lambda: "0.0.0.0")  # --server.address 0.0.0.0
    assert shows_only_the_login_form(app().run())
    monkeypatch.setattr("siyu.ui.auth.bound_address", lambda: "127.0.0.1")
    monkeypatch.setattr("siyu.ui.auth.request_from_elsewhere", lambda: True)  # behind nginx
    assert shows_only_the_login_form(app().run())


def test_the_demo_asks_for_a_login_once_real_data_is_imported(fixture_db, anonymous):
    # the fixture database holds imported (non-demo) data: no open door
    assert shows_only_the_login_form(app().run())


SSO_SECRETS = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32, "client_id": "c",
               "client_secret": "s", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_single_sign_on_button_appears_when_auth_is_configured(fixture_db, anonymous):
    at = app()
    at.secrets["auth"] = SSO_SECRETS
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["使用单点登录 (SSO)", "登录"]  # the password form stays
    assert shows_only_the_login_form(at)
    assert "使用单点登录 (SSO)" not in [b.label for b in app().run().button]  # not configured: no button


def test_single_sign_on_maps_e_mails_to_roles(fixture_db, anonymous, monkeypatch):
    monkeypatch.setenv("SIYU_SSO_ROLES", "boss@brand.cn=admin,*@brand.cn=viewer")
    monkeypatch.setattr("siyu.ui.auth.sso_email", lambda: "Anna@brand.cn")  # as st.user would say after st.login
    at = app()
    at.secrets["auth"] = SSO_SECRETS
    at.run()
    assert at.title[0].value == "总览" and not at.exception
    assert "已登录：**anna@brand.cn**（查看者）" in [shown(m.value) for m in at.sidebar.markdown]
    with pytest.raises(ValueError):
        at.switch_page("app_pages/import_data.py")
    monkeypatch.setattr("siyu.ui.auth.sso_email", lambda: "someone@elsewhere.com")
    refused = app()
    refused.secrets["auth"] = SSO_SECRETS
    refused.run()
    assert shown(refused.error[0].value) == "someone@elsewhere.com 没有访问权限：单点登录的角色规则中没有匹配（请管理员在「账户与审计」页或 SIYU_SSO_ROLES 中添加）。"
    assert len(refused.metric) == 0
    log = read_audit(fixture_db)
    assert log.filter(log["action"] == "sso_refused")["username"].to_list() == ["someone@elsewhere.com"]
    assert log.filter(log["action"] == "sso_login")["username"].to_list() == ["anna@brand.cn"]  # one spelling
    # the rules are read on every run: taking Anna's away ends her session at her next click
    monkeypatch.setattr("siyu.ui.auth.sso_email", lambda: "Anna@brand.cn")
    monkeypatch.setenv("SIYU_SSO_ROLES", "boss@brand.cn=admin")
    at.run()
    assert shows_only_the_login_form(at) and shown(at.error[0].value).startswith("anna@brand.cn 没有访问权限")


def test_a_single_sign_on_older_than_the_idle_limit_must_be_renewed(fixture_db, anonymous, monkeypatch):
    """Streamlit keeps the identity cookie 30 days; siyu opens a session from it only within
    SIYU_SESSION_TTL_MINUTES of the sign-in at the identity provider."""
    monkeypatch.setenv("SIYU_SSO_ROLES", "*@brand.cn=viewer")
    monkeypatch.setattr("siyu.ui.auth.sso_email", lambda: "anna@brand.cn")
    monkeypatch.setattr("siyu.ui.auth.sso_signed_in_at", lambda: time.time() - 121 * 60)
    at = app()
    at.secrets["auth"] = SSO_SECRETS
    at.run()
    assert shows_only_the_login_form(at)
    assert at.info[0].value == "单点登录已超过空闲时限，请再点一次“使用单点登录”。"
    assert not at.error and at.button[0].label == "使用单点登录 (SSO)"  # not "refused": the address is mapped
    assert not read_audit(fixture_db, action="sso_login").height
    monkeypatch.setattr("siyu.ui.auth.sso_signed_in_at", lambda: time.time() - 60)
    fresh = app()
    fresh.secrets["auth"] = SSO_SECRETS
    fresh.run()
    assert fresh.title[0].value == "总览"
    assert read_audit(fixture_db, action="sso_login")["detail"][0].startswith("signed in at the identity provider")


def test_first_start_prints_a_one_time_admin_password_once(tmp_path, monkeypatch, anonymous, capfd):
    from siyu.auth import accounts
    from siyu.config import load_settings

    db = tmp_path / "first.duckdb"
    monkeypatch.setenv("SIYU_DB", str(db))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    assert shows_only_the_login_form(app().run())
    printed = capfd.readouterr().err
    password = re.search(r"one-time password: (\S+)", printed).group(1)
    assert accounts.login(db, "admin", password, load_settings()).must_change
    app().run()
    assert "one-time password" not in capfd.readouterr().err  # once
    at = log_in(app().run(), "admin", password)
    assert at.title[0].value == "修改密码"  # before anything else
