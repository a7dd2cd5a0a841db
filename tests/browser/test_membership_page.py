"""会员权益 in a real browser, on its own app start over a small demo brand (points, downgrades, paid VIP):
every section draws its charts without an exception, an admin changes the value of a point and the liability
card follows, a hostile member name shows as text, and no request leaves this machine."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from siyu import format as fmt
from siyu.db import reading, writing
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric
from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login, outside

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", "/tmp"))
HOSTILE = "<img src=x onerror=alert(1)>**粗体**"


@pytest.fixture(scope="module")
def brand(tmp_path_factory):
    db = tmp_path_factory.mktemp("membership") / "brand.duckdb"
    write_demo(db, members=600, seed=5)
    top = None
    with reading(db) as con:
        top = run_metric(con, "points_liability", {"view": "members"})[1]["member_id"][0]
    with writing(db, 30.0) as con:  # the member with the most points gets a name that would be markup if rendered
        con.execute("UPDATE members SET display_name = ? WHERE member_id = ?", [HOSTILE, int(top)])
    from siyu.auth import accounts

    accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    # no password-free demo viewer: the test logs in as the admin who may edit the value
    server, url, log = start_app(db, tmp_path_factory.mktemp("log"), env={"SIYU_DEMO_LOGIN": "0"})
    yield db, url
    stop_app(server, log)


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000)
    page.wait_for_timeout(400)


def card(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text()


def test_sections_draw_the_value_edit_follows_and_names_are_text(brand, browser):
    db, url = brand
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(f"{url}/membership")
        login(page)
        page.get_by_role("heading", name="会员权益").first.wait_for(timeout=60_000)
        settle(page)
        assert page.get_by_test_id("stException").count() == 0
        page.locator(".js-plotly-plot .main-svg").nth(5).wait_for(timeout=60_000)   # all six charts drawn
        with reading(db) as con:
            s = run_metric(con, "points_liability", {})[1].row(0, named=True)
        assert card(page, "积分负债") == fmt.money(s["liability"])
        # the hostile name is shown as its characters in the balance table, no image element made of it
        page.get_by_text("积分余额最高的会员").first.scroll_into_view_if_needed()
        assert page.locator("img[src=x]").count() == 0
        page.screenshot(path=str(SHOTS / "siyu_membership_zh.png"), full_page=True)

        field = page.get_by_label("每积分价值（元）")
        field.fill("0.02")
        page.get_by_role("button", name="保存积分价值").click()
        page.get_by_text("已保存：每积分 ¥0.02").wait_for(timeout=60_000)
        page.reload()
        page.get_by_role("heading", name="会员权益").first.wait_for(timeout=60_000)
        settle(page)
        expected = fmt.money(round(s["outstanding"] * 0.02 + 1e-9, 2))
        page.wait_for_function("(want) => [...document.querySelectorAll('[data-testid=stMetricValue]')]"
                               ".some(e => e.innerText === want)", arg=expected, timeout=60_000)
        assert outside(requests) == []
    finally:
        context.close()
