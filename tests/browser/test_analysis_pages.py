"""The analysis pages (留存, 会员与等级, 裂变, 渠道, 分群) in a real browser, on the shared app start of conftest.py
(the hand-built database of tests/pages/small_db.py).

Every page opens without an exception and is photographed at 1440×900 (into $SIYU_SCREENSHOTS, which CI keeps);
changing a page filter changes a shown number; a copied link reopens the same view in a fresh browser context;
no request leaves this machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.helpers import login, login_if_asked, outside

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))
PAGES = [("retention", "留存"), ("members", "会员与等级"), ("referrals", "裂变"), ("channels", "渠道"), ("segments", "分群")]


@pytest.fixture
def screen(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda request: tab.requests.append(request.url))
    yield tab
    context.close()


def settle(page) -> None:
    """Wait until the script run is over (the running indicator is gone) and charts are drawn."""
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(400)


def heatmap_texts(page) -> list[str]:
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    return page.locator(".js-plotly-plot").first.locator("text").all_inner_texts()


def test_every_analysis_page_opens_and_is_photographed(app_url, screen):
    screen.goto(f"{app_url}/retention")
    login(screen)
    for path, title in PAGES:
        screen.goto(f"{app_url}/{path}")
        login_if_asked(screen)  # a fresh load keeps the login (the session cookie)
        screen.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
        settle(screen)
        assert screen.get_by_test_id("stException").count() == 0, path
        screen.screenshot(path=str(SHOTS / f"siyu_{path}_zh.png"))
    assert outside(screen.requests) == []


def test_a_filter_changes_a_number_and_the_link_reopens_the_view(app_url, browser, screen):
    screen.goto(f"{app_url}/retention?start=2023-06-01&end=2024-03-10")
    login(screen)
    screen.get_by_role("heading", name="留存").first.wait_for(timeout=30_000)
    settle(screen)
    assert "¥240" not in heatmap_texts(screen)
    screen.get_by_text("人均收入").click()  # measure: members -> revenue per member
    screen.locator(".js-plotly-plot text", has_text="¥240").first.wait_for(timeout=30_000)
    settle(screen)
    link = screen.url
    assert "measure=revenue" in link and "start=2023-06-01" in link

    fresh = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        other = fresh.new_page()
        other.requests = []
        other.on("request", lambda request: other.requests.append(request.url))
        other.goto(link)
        login(other)
        other.locator(".js-plotly-plot text", has_text="¥240").first.wait_for(timeout=30_000)
        assert "measure=revenue" in other.url
        assert outside(other.requests) == []
    finally:
        fresh.close()
    assert outside(screen.requests) == []
