"""The dashboard in a real browser: started the way README starts it, driven through Debian chromium.

One app start and one browser are shared by the checks in this file. The app runs on the hand-built
database of tests/pages/small_db.py, so the KPI values are known, with two accounts (an admin and a
viewer); every check logs in through the form first, as a person would. Every request the page makes
is recorded; none may leave this machine.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from tests.browser.helpers import login
from tests.browser.helpers import outside as _outside

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))

def test_overview_kpis_chart_language_and_no_outside_requests(app_url, page):
    page.goto(f"{app_url}/?start=2024-01-01&end=2024-03-31")
    login(page)
    # a KPI value from the hand-built data: GMV (net) of 2024 Q1 is ¥400.00, +700.0% on Q4 2023
    gmv = page.get_by_test_id("stMetric").filter(has_text="GMV（净额）")
    gmv.get_by_text("¥400.00").wait_for(timeout=30_000)
    assert "+700.0%" in gmv.inner_text()
    assert "50.0%" in page.get_by_test_id("stMetric").filter(has_text="复购率").inner_text()
    # a rendered Plotly chart, with Chinese axis titles drawn into its SVG
    page.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert page.locator(".js-plotly-plot").count() == 3
    page.locator(".js-plotly-plot .xtitle", has_text="月份").first.wait_for(timeout=10_000)
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "siyu_overview_zh.png"), full_page=True)

    # switch to English in the sidebar
    page.get_by_test_id("stSidebar").get_by_text("English").click()
    page.get_by_test_id("stMetric").filter(has_text="GMV (net)").get_by_text("¥400.00").wait_for(timeout=30_000)
    page.get_by_text("Repurchase rate").first.wait_for()
    page.locator(".js-plotly-plot .xtitle", has_text="Month").first.wait_for(timeout=10_000)
    assert page.get_by_text("复购率").count() == 0
    query = parse_qs(urlparse(page.url).query)
    assert query["lang"] == ["en"] and query["start"] == ["2024-01-01"] and query["end"] == ["2024-03-31"]
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "siyu_overview_en.png"), full_page=True)

    assert page.requests, "no request was recorded at all"
    assert _outside(page.requests) == []


def test_a_copied_url_reopens_the_same_view_and_pages_navigate(app_url, page):
    page.goto(f"{app_url}/?start=2024-02-01&end=2024-03-31&lang=en&grain=week")
    login(page)
    page.get_by_test_id("stMetric").filter(has_text="GMV (net)").get_by_text("¥300.00").wait_for(timeout=30_000)
    page.get_by_test_id("stSidebarNav").get_by_text("Retention").click()
    page.get_by_role("heading", name="Retention").first.wait_for(timeout=30_000)
    assert page.get_by_text("English").count() >= 1  # the language switch is on every page
    assert _outside(page.requests) == []


def test_chart_data_downloads_as_csv(app_url, page):
    page.goto(f"{app_url}/?start=2024-01-01&end=2024-03-31")
    login(page)
    button = page.get_by_test_id("stDownloadButton").first
    button.wait_for(timeout=30_000)
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "siyu_gmv_buyers_2024-01-01_2024-03-31_month.csv"
    body = Path(download.value.path()).read_bytes()
    assert body.decode("utf-8-sig").splitlines() == [
        "期间,GMV（净额）,购买人数,订单数,ARPU（每购买者）",  # headers in the reader's language (#13)
        "2024-01-01,100.0,1,1,100.0",
        "2024-02-01,300.0,2,3,150.0",
        "2024-03-01,0.0,0,0,0.0",
    ]
    assert body.startswith(b"\xef\xbb\xbf")  # BOM, so Excel on Chinese Windows reads it as UTF-8
    assert _outside(page.requests) == []


def test_hostile_url_values_are_ignored_in_the_browser(app_url, page):
    page.goto(f"{app_url}/?start=2024-01-01%27%3B%20DROP%20TABLE%20orders%3B--&end=2024-03-31")
    login(page)
    page.get_by_text("网址参数 start 的值无效，已忽略，改用默认值。").wait_for(timeout=30_000)
    page.get_by_test_id("stMetric").filter(has_text="有效订单").get_by_text("6").wait_for(timeout=30_000)
    assert _outside(page.requests) == []
