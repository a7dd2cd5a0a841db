"""Clicking a cell of the retention heatmap (and a bar of the lifecycle) in a real browser lists exactly
the members behind it.

On the hand-built database (tests/pages/small_db.py) with the range 2024-01-08 .. 2024-03-10, the
first-order cohort 2024年1月 holds m2 only; m2 bought again in February, so the cell (2024年1月, period 1)
shows 100% · 1 人, and the list under it must say 1 人 and show member 2. The range starts inside
January on purpose: the drill-down once ignored the start and listed the whole month.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.helpers import login, outside
from tests.browser.test_analysis_pages import settle

pytestmark = pytest.mark.browser


def click_until_shown(page, target, caption: str, tries: int = 3) -> None:
    """Click the middle of `target` until `caption` appears. The box is measured again before each try:
    on a busy machine a chart can still move (a later chart drawing above it) between measuring and the
    click, and a click that lands beside the marker selects nothing."""
    for attempt in range(tries):
        settle(page)
        if attempt and page.get_by_text(caption).count():  # the last click did land, only slowly
            return
        target.scroll_into_view_if_needed()
        box = target.bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.wait_for_timeout(300)
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        try:
            page.get_by_text(caption).wait_for(timeout=30_000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise


def test_a_click_on_a_heatmap_cell_lists_that_cells_members(app_url, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    try:
        page.goto(f"{app_url}/retention?start=2024-01-08&end=2024-03-10&grain=month")
        login(page)
        page.get_by_role("heading", name="留存").first.wait_for(timeout=30_000)
        settle(page)
        page.get_by_text("2024年1月 同期群第 0 期：1 人").wait_for(timeout=30_000)  # the pickers' default
        chart = page.locator(".js-plotly-plot").first
        chart.scroll_into_view_if_needed()
        # The overlay markers, in the order drawn: (2024年1月, 0), (2024年1月, 1), (2024年1月, 2), (2024年2月, 0),
        # (2024年2月, 1).
        for nth, caption in ((1, "2024年1月 同期群第 1 期：1 人"), (4, "2024年2月 同期群第 1 期：0 人")):
            click_until_shown(page, chart.locator(".scatterlayer .trace .points path").nth(nth), caption)
            settle(page)
        # The lifecycle chart (the fourth chart): its first trace is 新客; bar 2 is February (m3's first order).
        bars = page.locator(".js-plotly-plot").nth(3)
        click_until_shown(page, bars.locator(".barlayer .trace").first.locator("path").nth(1), "2024年2月 · 新客：1 人")
        assert outside(requests) == []
    finally:
        context.close()


def test_a_click_on_a_channel_row_lists_the_members_it_added(app_url, browser):
    """On 渠道 with 2024-01-01 .. 2024-03-10 the scorecard's first row is 门店 (m3, m4: 2 added)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{app_url}/channels?start=2024-01-01&end=2024-03-10")
        login(page)
        page.get_by_role("heading", name="渠道").first.wait_for(timeout=30_000)
        settle(page)
        grid = page.get_by_test_id("stDataFrame").first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        assert box is not None
        page.mouse.click(box["x"] + 18, box["y"] + 35 + 17)  # the first row's selection box, under the header
        page.get_by_text("门店：所选期间新增 2 人").wait_for(timeout=30_000)
    finally:
        context.close()
