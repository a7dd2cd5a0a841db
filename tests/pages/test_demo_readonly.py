"""The password-free demo looks and never writes (issue 16): an anonymous visitor of a demo-only database
once got an admin session, created the admin `eve` and set the webhook; both outlived the demo.

Also: no forwarding header at all is trusted for the loopback check, and naming a trusted proxy closes
the demo."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.auth import accounts, runtime_settings
from siyu.auth.audit import read_audit
from siyu.auth.client import client_address, is_proxy_header, through_proxy, trusted_set

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    from siyu.demo import write_demo

    path = tmp_path_factory.mktemp("demo") / "template.duckdb"
    write_demo(path, members=300, seed=1)
    return path


@pytest.fixture
def demo_db(demo_template, tmp_path, monkeypatch, anonymous) -> Path:
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_template.read_bytes())
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.setenv("SIYU_ADMIN_PASSWORD", "first-admin-pw")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    monkeypatch.delenv("SIYU_TRUSTED_PROXIES", raising=False)
    runtime_settings.forget()
    return path


def open_demo() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception and at.title[0].value == "总览"
    assert any("演示模式" in c.value for c in at.caption)
    return at


def _attempt_admin_page(at: AppTest) -> bool:
    """What the reporter did on 账户与审计: create the admin `eve`, set webhook_url. False when the page
    does not exist for this session."""
    try:
        at.switch_page("app_pages/admin.py").run()
    except ValueError:
        return False
    labelled = {}
    for widget in [*at.text_input, *at.selectbox]:  # the first of each label: the new-account form's
        labelled.setdefault(widget.label, widget)
    labelled["用户名"].input("eve")
    labelled["密码"].input("eve-password-1")
    labelled["角色"].set_value("admin")
    next(b for b in at.get("form_submit_button") if b.label == "创建").click()
    at.run()
    at.text_input(key="setting_webhook_url").input("http://203.0.113.5/hook")
    next(b for b in at.get("form_submit_button") if b.label == "保存设置").click()
    at.run()
    return True


def test_a_demo_visitor_cannot_create_an_admin_or_set_the_webhook(demo_db):
    at = open_demo()
    reached = _attempt_admin_page(at)
    eve = accounts.get_account(demo_db, "eve")
    webhook = runtime_settings.stored(demo_db).get("webhook_url", {}).get("value")
    assert (reached, eve and eve["role"], webhook) == (False, None, None)  # before the fix: (True, 'admin', 'http://203.0.113.5/hook')
    # the demo session is a viewer: no operator or admin page exists for it
    for page in ("app_pages/import_data.py", "app_pages/segments.py"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
    assert at.session_state["_siyu_auth"]["role"] == "viewer"
    assert "demo_clear" not in [b.key for b in at.button]  # clearing the demo is a write too


def test_the_admin_page_run_directly_refuses_the_demo_session(demo_db):
    session = open_demo().session_state["_siyu_auth"]
    page = AppTest.from_file(str(ROOT / "app_pages/admin.py"), default_timeout=60)
    page.session_state["_siyu_auth"] = session
    page.run()
    assert page.error[0].value == "你的角色（查看者）不能打开这个页面。"
    assert len(page.get("form_submit_button")) == 0


def test_a_demo_session_gets_no_member_file_and_leaves_no_row(demo_db):
    at = open_demo()
    before = read_audit(demo_db).height
    at.switch_page("app_pages/retention.py").run()
    assert not at.exception
    assert not [b for b in at.get("download_button") if str(b.proto.id).find("member_") >= 0]
    assert "会员明细（含手机号）只有运营和管理员可以下载。" in [c.value for c in at.caption]
    for page in ("app_pages/members.py", "app_pages/referrals.py", "app_pages/channels.py"):
        at.switch_page(page).run()
        assert not at.exception
    assert read_audit(demo_db).height == before  # looking writes nothing
    assert [a["username"] for a in accounts.list_accounts(demo_db).iter_rows(named=True)] == ["admin"]


def test_an_old_admin_demo_session_is_brought_down_to_viewer(demo_db):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_siyu_auth"] = {"username": "demo", "role": "admin", "via": "demo",
                                      "last_seen": time.time(), "must_change": False}
    at.run()
    assert at.session_state["_siyu_auth"]["role"] == "viewer"
    with pytest.raises(ValueError):
        at.switch_page("app_pages/admin.py")


def test_naming_a_trusted_proxy_closes_the_demo(demo_db, monkeypatch):
    monkeypatch.setenv("SIYU_TRUSTED_PROXIES", "127.0.0.1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "登录 siyu" and len(at.metric) == 0


@pytest.mark.parametrize("header", [
    "X-Forwarded-For", "X-Real-IP", "Forwarded", "X-Forwarded-Host", "X-Client-IP", "True-Client-IP",
    "CF-Connecting-IP", "X-Forwarded-Proto", "Via", "X-Original-Forwarded-For", "X-Cluster-Client-IP",
    "Fastly-Client-IP", "X-Envoy-External-Address", "X-Forwarded-Port", "x-forwarded-ssl", "X-Azure-ClientIP",
])
def test_every_proxy_header_closes_the_demo(demo_db, monkeypatch, header):
    from streamlit.runtime.context import StreamlitHeaders

    assert is_proxy_header(header)
    headers = StreamlitHeaders([("Host", "127.0.0.1:8501"), (header, "203.0.113.9")])
    assert len(through_proxy(headers)) == 1
    monkeypatch.setattr("siyu.ui.auth.st.context", type("C", (), {"headers": headers, "ip_address": None})())
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert at.title[0].value == "登录 siyu" and len(at.metric) == 0


def test_ordinary_browser_headers_are_not_proxy_headers():
    assert through_proxy(["Host", "User-Agent", "Accept", "Accept-Language", "Cookie", "Origin",
                          "Sec-Websocket-Key", "Upgrade", "Connection", "Cache-Control", "Pragma"]) == []


def test_the_client_address_believes_forwarding_only_from_a_named_proxy():
    xff = {"X-Forwarded-For": "198.51.100.7, 10.0.0.2"}
    # through a proxy nobody named, every visitor would share its address: none is counted
    assert client_address("203.0.113.9", xff, frozenset()) is None
    assert client_address(None, xff, frozenset()) is None
    assert client_address("203.0.113.9", {}, frozenset()) == "203.0.113.9"
    assert client_address(None, {"Host": "127.0.0.1:8501"}, frozenset()) == "127.0.0.1"
    assert client_address(None, xff, trusted_set("127.0.0.1")) == "10.0.0.2"
    assert client_address(None, xff, trusted_set("127.0.0.1, 10.0.0.2")) == "198.51.100.7"
    assert client_address("10.0.0.2", {}, trusted_set("10.0.0.2")) == "10.0.0.2"
