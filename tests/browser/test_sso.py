"""Single sign-on end to end: st.login against a real (local) OpenID Connect provider, in Chromium.

The app runs with an `[auth]` section in a secrets file of its own (`--secrets.files`, the repository's
.streamlit/ is left alone) pointing at tests/browser/oidc_provider.py on 127.0.0.1; the provider checks
client credentials, redirect URI, nonce and PKCE like a real one and signs RS256 id_tokens.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from siyu.auth.audit import read_audit
from tests.browser.conftest import _free_port, start_app, stop_app
from tests.browser.helpers import outside
from tests.pages.small_db import build_fixture

pytestmark = pytest.mark.browser
USERS = {"boss@brand.cn": "老板", "Victor@Brand.cn": "Victor", "ops@brand.cn": "运营小王",
         "stranger@elsewhere.com": "Stranger"}
ROLES = "boss@brand.cn=admin,ops@brand.cn=operator,*@brand.cn=viewer"


@pytest.fixture(scope="module")
def sso_app(tmp_path_factory):
    from tests.browser.oidc_provider import OIDCProvider

    work = tmp_path_factory.mktemp("sso")
    db = build_fixture(work / "small.duckdb")
    port = _free_port()
    redirect = f"http://127.0.0.1:{port}/oauth2callback"
    with OIDCProvider("siyu-test", "test-client-secret", [redirect], USERS) as idp:
        secrets_file = work / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f"redirect_uri = {json.dumps(redirect)}\n"
            f"cookie_secret = {json.dumps('c' * 48)}\n"
            f'client_id = "siyu-test"\nclient_secret = "test-client-secret"\n'
            f"server_metadata_url = {json.dumps(idp.metadata_url)}\n", encoding="utf-8")
        server, url, log = start_app(db, work, port=port, args=("--secrets.files", str(secrets_file)),
                                     env={"SIYU_SSO_ROLES": ROLES, "SIYU_DEMO_LOGIN": "0"})
        try:
            yield url, idp, db, log
        finally:
            stop_app(server, log)


def sso_sign_in(page, url: str, email: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="使用单点登录 (SSO)").click(timeout=30_000)
    page.get_by_text("Test IdP: choose an account").wait_for(timeout=30_000)  # left the app for the IdP
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(f"{url}/**", timeout=30_000)


def test_a_mapped_e_mail_signs_in_with_its_role_and_logs_out(sso_app, page):
    url, idp, db, log = sso_app
    sso_sign_in(page, url, "Victor@Brand.cn")
    nav = page.get_by_test_id("stSidebarNav")
    nav.wait_for(timeout=30_000)
    page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)
    sidebar = page.get_by_test_id("stSidebar").inner_text().replace("\u2060", "")  # literal() breaks autolinks with a word joiner
    assert "victor@brand.cn" in sidebar and "（查看者）" in sidebar
    assert "总览" in nav.inner_text() and "导入" not in nav.inner_text() and "账户与审计" not in nav.inner_text()
    # the provider saw a PKCE code exchange for this user
    assert ("token", "Victor@Brand.cn pkce") in idp.events
    # (what a viewer may open and download is the same code as for password logins, tested in
    # test_auth_report.py and tests/pages; other roles' mapping in test_auth_gate.py)

    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="使用单点登录 (SSO)").wait_for(timeout=30_000)
    assert page.get_by_test_id("stSidebarNav").count() == 0 and page.get_by_test_id("stMetric").count() == 0
    deadline = time.monotonic() + 15
    while ("logout", "siyu-test") not in idp.events and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert ("logout", "siyu-test") in idp.events  # RP-initiated logout reached the provider
    page.get_by_role("button", name="使用单点登录 (SSO)").wait_for(timeout=30_000)  # and came back
    page.reload()  # the identity cookie is gone: a reload stays logged out
    page.get_by_role("button", name="使用单点登录 (SSO)").wait_for(timeout=30_000)
    assert page.get_by_test_id("stSidebarNav").count() == 0

    audit = read_audit(db)
    mine = audit.filter(audit["username"] == "victor@brand.cn")  # one spelling, whatever the IdP's case
    assert mine["action"].to_list()[:2] == ["logout", "sso_login"]
    logins = mine.filter(mine["action"] == "sso_login")
    # each browser session opened from the identity cookie is a login, all of the same sign-in at the
    # provider, whose time st.user carries from the id_token
    assert logins["role"].to_list() == ["viewer"]
    assert logins["detail"].n_unique() == 1
    assert logins["detail"][0].startswith("signed in at the identity provider 20")
    assert outside(page.requests) == []


REFUSED = re.compile("stranger\u2060?@elsewhere.com 没有访问权限")  # literal() puts a word joiner before the @


def test_an_unmapped_e_mail_is_refused_and_sees_no_data(sso_app, page):
    url, idp, db, log = sso_app
    sso_sign_in(page, url, "stranger@elsewhere.com")
    page.get_by_text(REFUSED).wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert page.get_by_test_id("stMetric").count() == 0 and page.get_by_test_id("stDataFrame").count() == 0
    page.reload()  # still refused, and audited once per browser session, not once per rerun
    page.get_by_text(REFUSED).wait_for(timeout=30_000)
    refused = read_audit(db, action="sso_refused")
    assert refused["username"].to_list() == ["stranger@elsewhere.com"] * refused.height and refused.height >= 1
    # the refused person can leave and sign in as somebody else
    page.get_by_role("button", name="退出登录").click()
    page.get_by_role("button", name="使用单点登录 (SSO)").wait_for(timeout=30_000)
    assert page.get_by_text("没有访问权限").count() == 0
