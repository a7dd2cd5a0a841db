"""Login gate, roles and the exported report in a real browser (same server and chromium as test_dashboard)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.helpers import login, login_if_asked, outside

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))
HOSTILE = "%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E%27%20OR%201%3D1--"


def test_anonymous_visitors_get_the_login_form_only(app_url, page):
    for path in ("/", "/import", "/admin", "/retention"):
        page.goto(f"{app_url}{path}?start={HOSTILE}&end=2024-03-31&role=admin&user=anna")
        page.get_by_text("登录 siyu").wait_for(timeout=30_000)
        page.get_by_test_id("stForm").wait_for()
        page.wait_for_timeout(300)
        assert page.get_by_test_id("stMetric").count() == 0
        assert page.get_by_test_id("stFileUploader").count() == 0
        assert page.get_by_test_id("stSidebarNav").count() == 0
        assert page.get_by_test_id("stDataFrame").count() == 0
        assert page.evaluate("window.__pwned") is None
    page.screenshot(path=str(SHOTS / "siyu_login.png"))
    assert outside(page.requests) == []


def test_a_shared_link_opens_after_login_with_only_filters_in_the_url(app_url, page):
    page.goto(f"{app_url}/?start=2024-02-01&end=2024-03-31&grain=week")
    login(page, "victor")
    page.get_by_test_id("stMetric").filter(has_text="GMV（净额）").get_by_text("¥300.00").wait_for(timeout=30_000)
    query = dict(p.split("=", 1) for p in urlparse(page.url).query.split("&"))
    assert set(query) <= {"start", "end", "grain", "lang"}
    assert (query["start"], query["end"], query["grain"]) == ("2024-02-01", "2024-03-31", "week")


def test_a_viewer_who_types_an_operator_url_gets_nothing(app_url, page):
    page.goto(f"{app_url}/import")
    login(page, "victor")
    page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)  # the overview instead
    # whole entries: 标签与分群 (tags and saved segments, a viewer page) contains the text 分群
    nav = {line.strip() for line in page.get_by_test_id("stSidebarNav").inner_text().splitlines()}
    assert "总览" in nav and "导入" not in nav and "分群" not in nav and "账户与审计" not in nav
    assert page.get_by_test_id("stFileUploader").count() == 0
    assert "（查看者）" in page.get_by_test_id("stSidebar").inner_text()
    for path in ("/admin", "/segments"):
        page.goto(f"{app_url}{path}")
        login_if_asked(page, "victor")  # the login outlives the load (the session cookie)
        page.get_by_test_id("stMetric").first.wait_for(timeout=30_000)
        assert page.get_by_text("账户与审计").count() == 0
        assert page.get_by_test_id("stFileUploader").count() == 0
    assert outside(page.requests) == []


def test_the_report_opens_offline_with_the_pages_kpis(app_url, page, browser, tmp_path):
    page.goto(f"{app_url}/?start=2024-01-01&end=2024-03-31")
    login(page)
    page.get_by_test_id("stMetric").filter(has_text="GMV（净额）").get_by_text("¥400.00").wait_for(timeout=30_000)
    # the whole page, not a half-drawn rerun: eight cards, three charts, the report button
    page.wait_for_function("document.querySelectorAll('[data-testid=stMetric]').length === 8"
                           " && document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30_000)
    page.get_by_test_id("stDownloadButton").filter(has_text="导出报告").wait_for(timeout=30_000)
    page.wait_for_timeout(300)
    on_page = {}
    for metric in page.get_by_test_id("stMetric").all():
        label = metric.get_by_test_id("stMetricLabel").inner_text().strip()
        on_page[label] = metric.get_by_test_id("stMetricValue").inner_text().strip()
    assert len(on_page) == 8
    button = page.get_by_test_id("stDownloadButton").filter(has_text="导出报告")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    assert download.value.suggested_filename == "siyu_report_2024-01-01_2024-03-31_month.html"
    report = tmp_path / download.value.suggested_filename
    download.value.save_as(report)
    assert outside(page.requests) == []

    offline = browser.new_context(offline=True, viewport={"width": 1300, "height": 2000})
    seen = []
    offline.on("request", lambda request: seen.append(request.url))
    tab = offline.new_page()
    try:
        tab.goto(report.as_uri())
        tab.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
        tab.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 3", timeout=30_000)
        in_report = {}
        for card in tab.locator(".card").all():
            in_report[card.locator(".label").inner_text().strip()] = card.locator(".value").inner_text().strip()
        assert in_report == on_page
        assert tab.locator(".js-plotly-plot .xtitle", has_text="月份").count() >= 1
        tab.screenshot(path=str(SHOTS / "siyu_report.png"), full_page=True)
        assert [u for u in seen if not u.startswith(("file:", "data:", "blob:", "about:"))] == []
        assert not re.search(r"<script[^>]+src=", report.read_text(encoding="utf-8"))
    finally:
        offline.close()
