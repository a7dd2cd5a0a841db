"""Sessions and the one filter state in a real browser (issue #13), on exports imported with
`python -m siyu import` (no demo data), served by `python -m siyu serve` as README starts it.

- F5 and a new tab keep the login (the HttpOnly siyu_session cookie), and write no login audit row;
  logout ends it in every tab (a reload there asks for the password again).
- A channel filter chosen on the overview survives clicking through every page in the sidebar: each URL
  and each share link carry it, and the page's scope caption names it.
- /overview opens the overview (no "Page not found"); a typed date before 1990 gets our own notice, never
  Streamlit's English "Date set outside allowed range".
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from siyu.auth import accounts, audit
from siyu.cli import main
from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login, outside

pytestmark = pytest.mark.browser

MEMBERS = """member_id,joined_at,phone,name,channel,tier
M001,2024-01-03,13800000001,赵一,门店,金卡
M002,2024-01-10,13800000002,钱二,门店,普通
M003,2024-02-01,13800000003,孙三,直播,普通
M004,2024-02-15,13800000004,李四,直播,金卡
M005,2024-03-01,13800000005,周五,门店,普通
"""
ORDERS = """order_id,member_id,paid_at,amount,store
A1,M001,2024-01-05 10:00,100,上海店
A2,M001,2024-02-06 11:00,80,上海店
A3,M002,2024-01-20 12:00,60,北京店
A4,M003,2024-02-03 13:00,200,上海店
A5,M004,2024-03-02 14:00,50,北京店
A6,M005,2024-03-20 15:00,120,上海店
"""
REFERRALS = """referrer_id,referee_id,referred_at
M001,M002,2024-01-10
M001,M005,2024-03-01
M003,M004,2024-02-15
"""
SIDEBAR = ["留存", "会员与等级", "裂变", "渠道", "分群", "导购", "标签与分群", "导入", "账户与审计", "总览"]
NO_SHARE_LINK = {"导入", "账户与审计"}  # operational pages: nothing to share


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("imported")
    db = folder / "brand.duckdb"
    for name, text, profile in (("members.csv", MEMBERS, "generic_members"), ("orders.csv", ORDERS, "generic_orders"),
                                ("referrals.csv", REFERRALS, "generic_referrals")):
        (folder / name).write_text(text, encoding="utf-8")
        assert main(["import", "--db", str(db), "--profile", profile, str(folder / name)]) == 0
    accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("log"))
    yield url, db
    stop_app(server, log)


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1400, "height": 1800}, locale="zh-CN")
    ctx.requests = []
    ctx.on("request", lambda request: ctx.requests.append(request.url))
    yield ctx
    ctx.close()


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(300)


def logins(db) -> int:
    return audit.read_audit(db, action="login").height


def test_reload_and_a_new_tab_keep_the_login_until_logout(imported, context):
    url, db = imported
    before = logins(db)
    page = context.new_page()
    page.goto(f"{url}/retention")
    login(page)
    settle(page)
    assert logins(db) == before + 1
    cookie = next(c for c in context.cookies() if c["name"] == "siyu_session")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict" and cookie["value"] not in page.content()
    assert "siyu_session" not in page.url and cookie["value"] not in page.url

    page.reload()  # F5
    page.get_by_test_id("stSidebarNav").wait_for(timeout=30_000)
    page.get_by_role("heading", name="留存").first.wait_for(timeout=30_000)
    other = context.new_page()  # a new tab
    other.goto(f"{url}/members")
    other.get_by_test_id("stSidebarNav").wait_for(timeout=30_000)
    other.get_by_role("heading", name="会员与等级").first.wait_for(timeout=30_000)
    settle(other)
    assert logins(db) == before + 1  # neither the reload nor the tab is a new login

    page.get_by_test_id("stSidebar").get_by_role("button", name="退出登录").click()
    page.get_by_test_id("stTextInput").first.wait_for(timeout=30_000)
    assert not any(c["name"] == "siyu_session" for c in context.cookies())
    other.reload()  # the other tab's session ended with the logout
    other.get_by_test_id("stTextInput").first.wait_for(timeout=30_000)
    assert other.get_by_test_id("stSidebarNav").count() == 0
    assert audit.read_audit(db, action="logout").height >= 1
    assert outside(context.requests) == []


def test_a_channel_filter_follows_every_page_and_share_link(imported, context):
    url, _db = imported
    page = context.new_page()
    page.goto(f"{url}/overview?channel=门店")  # /overview: the overview, not a "Page not found" box
    login(page)
    page.get_by_role("heading", name="总览").first.wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("当前范围：渠道：门店").count() == 1
    for name in SIDEBAR:
        page.get_by_test_id("stSidebarNav").get_by_text(name, exact=True).click()
        page.get_by_role("heading", name=name).first.wait_for(timeout=30_000)
        settle(page)
        assert parse_qs(urlparse(page.url).query).get("channel") == ["门店"], (name, page.url)
        assert page.get_by_test_id("stException").count() == 0, name
        if name in NO_SHARE_LINK:
            continue
        link = page.get_by_test_id("stCode").last.inner_text()
        assert parse_qs(urlparse(link).query).get("channel") == ["门店"], (name, link)
        assert page.get_by_text("当前范围：渠道：门店").count() == 1, name
    assert outside(context.requests) == []


def test_typing_a_date_outside_the_allowed_years_gets_our_notice(imported, context):
    url, _db = imported
    page = context.new_page()
    page.goto(url)
    login(page)
    settle(page)
    field = page.get_by_test_id("stMain").get_by_test_id("stDateInput").first
    field.locator("[data-type=year]").click()  # react-aria segments: year, month, day
    page.keyboard.type("19", delay=50)  # half typed: year 0019
    page.wait_for_timeout(300)
    assert page.get_by_text("Date set outside allowed range").count() == 0
    page.keyboard.type("89", delay=50)
    page.keyboard.type("1231", delay=50)
    page.get_by_role("heading", name="总览").first.click()  # leaving the field commits the day
    settle(page)
    assert page.get_by_text("Date set outside allowed range").count() == 0
    page.get_by_text("日期需在 1990-01-01 至 2100-12-31 之间").wait_for(timeout=30_000)
    assert parse_qs(urlparse(page.url).query)["start"] != ["1989-12-31"]


def test_the_first_admin_password_is_printed_when_the_server_starts(tmp_path):
    """Before any browser visits: the console already has the one-time password, and it logs in."""
    db = tmp_path / "empty.duckdb"
    server, _url, log = start_app(db, tmp_path)  # SIYU_AUTODEMO=0: stays empty
    try:
        log.seek(0)
        lines = [row for row in log.read().splitlines() if "one-time password" in row]
    finally:
        stop_app(server, log)  # (the file is the server's while it runs)
    assert len(lines) == 1, lines
    one_time = lines[0].rsplit(": ", 1)[1].strip()
    result = accounts.login(db, "admin", one_time, load_settings_for(db))
    assert result.ok and result.must_change


def load_settings_for(db):
    from siyu.config import load_settings

    return load_settings({"SIYU_DB": str(db)})
