"""召回 in a real browser, on its own app start over a small demo brand (1,500 members, seed 3) with its two past
campaigns: both stories are told in words, picking the other campaign changes the verdict, the lift chart is
drawn, nothing fails, no request leaves this machine; photographed at 1440×900 into $SIYU_SCREENSHOTS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from siyu.auth import accounts
from siyu.demo import write_demo
from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login_if_asked, outside

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("cmp_browser") / "demo.duckdb"
    write_demo(db, members=1500, seed=3)
    accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("cmp_log"))
    yield url
    stop_app(server, log)


def settle(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(400)


def test_campaign_page_tells_both_stories(demo_url, browser) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{demo_url}/campaigns")
        login_if_asked(page)  # a demo database on 127.0.0.1 opens without a password (as a viewer)
        page.get_by_role("heading", name="召回").first.wait_for(timeout=60_000)
        page.get_by_text("看不出效果", exact=False).first.wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_test_id("stException").count() == 0
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        page.screenshot(path=str(SHOTS / "campaigns_welcome.png"), full_page=True)
        page.get_by_test_id("stSelectbox").filter(has_text="活动").first.click()
        page.get_by_role("option", name="2026 春季老客召回（短信）", exact=True).click()
        page.get_by_text("A 满减券：有效", exact=False).first.wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_text("B 新品试用：有效", exact=False).count() >= 1
        assert page.get_by_test_id("stException").count() == 0
        page.screenshot(path=str(SHOTS / "campaigns_spring.png"), full_page=True)
        assert outside(requests) == []
    finally:
        context.close()
