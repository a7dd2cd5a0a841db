"""The 社群 page in a real browser, on its own app start: a database holding the group fixture exports
(tests/fixtures/groups: group list, two member snapshots, the daily statistic) and saved layer rules.

The page opens without an exception and is photographed; the pyramid, moves and daily trend are drawn; a click
on the scorecard's first row (宝妈福利大群1群: 张伟, 小红, 阿May, 陈静, 刘洋 ever joined; 小红 left at the 03-10
snapshot) lists its 5 members, and picking 现在在群 lists 4; a group named with Markdown that points elsewhere is
shown as text; no request leaves this machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import ACCOUNTS, PASSWORD, login, outside
from tests.pages import hostile_db as H

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "groups"
FILES = ("客户群列表_20240310.xlsx", "客户群成员_20240301.csv", "客户群成员_20240310.xlsx", "客户群统计_20240303.csv")


@pytest.fixture(scope="module")
def groups_url(tmp_path_factory):
    from siyu.auth import accounts
    from siyu.db.connection import ensure_schema
    from siyu.ingest import import_file
    from siyu.ingest.group_layers import save_layer_rules

    db = tmp_path_factory.mktemp("groups_browser") / "groups.duckdb"
    ensure_schema(db)
    for name in FILES:
        assert import_file(db, FIX / name).ok, name
    # A group whose name is Markdown that would fetch an image from elsewhere, were it ever rendered as markup.
    hostile = f"group_id,group_name,member_id,joined_at\nh1,\"{H.IMAGE} {H.LINK}\",H1,2024-03-01 10:00\n"
    assert import_file(db, hostile.encode("utf-8"), file_name="hostile.csv").ok
    save_layer_rules(db, [("超级用户", "super"), ("核心", "core"), ("大群", "mass")])
    for name, role in ACCOUNTS.items():
        accounts.create_account(db, name, PASSWORD, role, by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("groups_log"))
    yield url
    stop_app(server, log)


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(400)


def test_the_groups_page_draws_and_a_row_lists_its_members(groups_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{groups_url}/groups")
        login(page)
        page.get_by_role("heading", name="社群").first.wait_for(timeout=30_000)
        settle(page)
        assert page.get_by_test_id("stException").count() == 0
        page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        assert page.locator(".js-plotly-plot").count() == 3  # pyramid, moves, daily trend
        pyramid = " ".join(page.locator(".js-plotly-plot").first.locator("text").evaluate_all(
            "els => els.map(e => e.textContent || '')"))
        assert "大群" in pyramid and "核心群" in pyramid and "超级用户群" in pyramid
        page.screenshot(path=str(SHOTS / "siyu_groups_zh.png"), full_page=True)

        grid = page.get_by_test_id("stDataFrame").nth(1)  # the scorecard (the layer table comes first)
        grid.scroll_into_view_if_needed()
        settle(page)
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box, under the header
        page.get_by_text("宝妈福利大群1群 · 入过群：5 人").wait_for(timeout=30_000)
        page.get_by_test_id("stRadio").filter(has_text="看哪一部分人").get_by_text("现在在群", exact=True).click()
        page.get_by_text("宝妈福利大群1群 · 现在在群：4 人").wait_for(timeout=30_000)
        assert page.get_by_test_id("stException").count() == 0
        pointers = page.evaluate("() => [...document.querySelectorAll('a, img, image')].map(e => "
                                 "e.getAttribute('href') || e.getAttribute('src') || '')")
        assert not [p for p in pointers if "203.0.113.5" in p or "evil.example" in p]
        assert outside(requests) == []
    finally:
        context.close()
