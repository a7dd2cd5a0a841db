"""A saved segment in a real browser (issue #17), on the hand-built database of tests/pages/small_db.py with
WeCom tags added, served by `python -m siyu serve`: on the 标签与分群 page an operator saves the tag filter
孩子年龄:7岁 (members m2 and m3) as the segment 七岁; opened on another page by its URL (?segment=七岁, no tag in
it), the segment is the population: the overview counts 2 members instead of 5, the 导购 page the friends of
m2 and m3, and both name the segment in their scope caption."""

from __future__ import annotations

import pytest

from siyu.auth import accounts
from siyu.db import writing
from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login, login_if_asked, outside
from tests.pages.small_db import build_fixture

pytestmark = pytest.mark.browser
RANGE = "start=2023-06-01&end=2024-03-10"


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    db = build_fixture(tmp_path_factory.mktemp("segments") / "tagged.duckdb")
    with writing(db) as con:
        con.executemany("INSERT INTO member_tags (member_id, tag_group, tag, batch_id) VALUES (?, ?, ?, 1)",
                        [(2, "孩子年龄", "7岁"), (3, "孩子年龄", "7岁"), (1, "孩子年龄", "3岁")])
    accounts.create_account(db, "olga", PASSWORD, "operator", by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("log"))
    yield url
    stop_app(server, log)


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=60_000)
    page.wait_for_timeout(300)


def members_card(page) -> str:
    card = page.get_by_test_id("stMetric").filter(has_text="会员数").first
    card.wait_for(timeout=30_000)
    return card.get_by_test_id("stMetricValue").inner_text().strip()


def test_a_segment_saved_on_one_page_filters_another(tagged, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="zh-CN")
    requests: list[str] = []
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.goto(f"{tagged}/overview?{RANGE}")
    login(page, "olga")
    settle(page)
    assert members_card(page) == "5"

    page.goto(f"{tagged}/audience?{RANGE}&tag=孩子年龄:7岁")
    login_if_asked(page, "olga")
    page.get_by_role("heading", name="标签与分群").first.wait_for(timeout=30_000)
    settle(page)
    assert page.get_by_text("当前筛选：标签：孩子年龄:7岁").count() == 1
    form = page.get_by_test_id("stMain").get_by_test_id("stForm")
    form.get_by_label("分群名称").fill("七岁")
    form.get_by_test_id("stFormSubmitButton").locator("button").click()
    page.get_by_text("已保存分群“七岁”").wait_for(timeout=30_000)
    settle(page)

    page.goto(f"{tagged}/overview?{RANGE}&segment=七岁")   # another page, the segment alone in its URL
    login_if_asked(page, "olga")
    settle(page)
    assert members_card(page) == "2"
    assert page.get_by_text("当前范围：已存分群：七岁").count() == 1
    assert page.get_by_test_id("stException").count() == 0

    page.get_by_test_id("stSidebarNav").get_by_text("导购", exact=True).click()   # it follows the user
    page.get_by_role("heading", name="导购").first.wait_for(timeout=30_000)
    settle(page)
    assert "segment=" in page.url
    assert page.get_by_text("当前范围：已存分群：七岁").count() == 1
    assert page.get_by_test_id("stException").count() == 0
    assert outside(requests) == []
    context.close()
