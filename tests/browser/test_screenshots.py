"""Every page, in Chinese and in English, on a brand built only from imported exports, photographed whole.

One app start (as README starts it) on the database of tests/browser/imported_exports.py — WeCom, 有赞, POS
and channel-cost files loaded with `python -m siyu import`, no demo. Per language an admin logs in once (at
`/`, or `/?lang=en`), then opens every page from the sidebar navigation, waits for the script run to end and
for its tables and charts to draw, and writes one full-page PNG per page and language into $SIYU_SCREENSHOTS
(default test-results/screenshots/, ignored by git) for a person to look at.

On each page it checks what does not depend on wording that other work is changing: the navigation opened
that page's URL; no exception box, no "Page not found"; no raw `None`/`True`/`False`/`nan` in a table cell
or a KPI, and no empty cell in a table row (Streamlit's grid draws a null as a grey "None"); in zh no raw
column name (`batch_id`, any snake_case or bare lower-case ASCII header) and Chinese on the page; in en no
Chinese in the page title, navigation, widget labels, KPI labels, table headers or chart axis titles (data
such as channel, tier and member names stays Chinese in both). Every page is photographed before anything
fails, and all problems are listed together.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import start_app, stop_app
from tests.browser.helpers import PASSWORD, login, outside
from tests.browser.imported_exports import import_exports

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(os.environ.get("SIYU_SCREENSHOTS", ROOT / "test-results" / "screenshots"))
# url path ("" is the default page: /overview is not a page URL), the zh title in the navigation
# in the navigation's order (siyu/ui/auth.py PAGES): the test clicks the n-th entry
PAGES = [("", "总览"), ("retention", "留存"), ("members", "会员与等级"), ("membership", "会员权益"), ("referrals", "裂变"),
         ("channels", "渠道"), ("groups", "社群"), ("segments", "分群"), ("staff", "导购"), ("audience", "标签与分群"),
         ("campaigns", "召回"), ("import", "导入"), ("admin", "账户与审计")]
WIDTH, TALLEST = 1400, 16_000
CJK = re.compile(r"[\u3400-\u9fff]")
RAW_VALUES = {"None", "True", "False", "nan", "NaN", "null", "<NA>", "NaT", "inf", "-inf"}
RAW_HEADER = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")  # batch_id, must_change, gmv, username
NAMES = re.compile("有赞|企业微信")  # the tools' own names, which English pages may keep
RAW_NAMES = re.compile(r"\b(batch_id|must_change|locked_until|siyu_id|p_alive|member_id)\b")

# What the page shows, read once it has drawn. Table cells are read from the accessible table that
# Streamlit's data grid keeps inside its canvas (the rows drawn on screen).
READ = """() => {
  const texts = sel => [...document.querySelectorAll(sel)].map(e => (e.innerText || e.textContent).trim());
  const main = document.querySelector('[data-testid=stMain]');
  return {
    text: main ? main.innerText : '',
    titles: texts('[data-testid=stMain] h1'),
    nav: texts('[data-testid=stSidebarNav] a span'),
    labels: texts('[data-testid=stMain] [data-testid=stWidgetLabel]'),
    kpi_labels: texts('[data-testid=stMetricLabel]'),
    kpi_values: texts('[data-testid=stMetricValue]'),
    headers: [...document.querySelectorAll('[data-testid=stDataFrame] canvas th')].map(e => e.textContent.trim()),
    cells: [...document.querySelectorAll('[data-testid=stDataFrame] canvas td')].map(e => e.textContent.trim()),
    blanks: [...document.querySelectorAll('[data-testid=stDataFrame] canvas table')].flatMap(t => {
      const heads = {};
      t.querySelectorAll('th').forEach(h => { heads[h.getAttribute('aria-colindex')] = h.textContent.trim(); });
      return [...t.querySelectorAll('tbody td')].filter(td => td.textContent.trim() === '')
        .map(td => heads[td.getAttribute('aria-colindex')] || '?');
    }),
    axes: texts('.js-plotly-plot .xtitle, .js-plotly-plot .ytitle, .js-plotly-plot .y2title'),
    exceptions: texts('[data-testid=stException]'),
    dialogs: texts('[role=dialog]'),
  };
}"""

TITLE = "() => { const h = document.querySelector('[data-testid=stMain] h1'); return h ? h.innerText : ''; }"
# Drawn: the script run is over, every data grid has its canvas table, every chart its SVG, no skeleton.
DRAWN = """() => {
  const app = document.querySelector('[data-testid=stApp]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid=stSkeleton], [data-testid=stStatusWidget]')) return false;
  // a grid inside a collapsed expander (<details> not open) is not drawn until it is opened
  const grids = [...document.querySelectorAll('[data-testid=stDataFrame]')].filter(g => !g.closest('details:not([open])'));
  if (grids.some(g => !g.querySelector('canvas table'))) return false;
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  return charts.every(c => c.querySelector('.main-svg'));
}"""


@pytest.fixture(scope="module")
def imported_app(tmp_path_factory):
    from siyu.auth import accounts

    work = tmp_path_factory.mktemp("imported")
    db = work / "brand.duckdb"
    exports = work / "exports"
    exports.mkdir()
    import_exports(db, exports)
    accounts.create_account(db, "anna", PASSWORD, "admin", by="tests")
    server, url, log = start_app(db, work)
    yield url
    stop_app(server, log)


def settle(page) -> None:
    """Until the page has finished running and drawing, seen twice 300 ms apart (a rerun can start right
    after a run ends, e.g. when a widget writes the URL)."""
    page.get_by_test_id("stSidebarNav").wait_for(timeout=60_000)
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_function(DRAWN, timeout=90_000, polling=100)


def first_page(page, url: str) -> None:
    page.goto(url)
    login(page)
    settle(page)


def next_page(page, number: int) -> None:
    """Click the `number`-th entry of the navigation (titles differ by language) and wait for its page."""
    before = page.evaluate(TITLE)
    page.get_by_test_id("stSidebarNav").locator("a").nth(number).click()
    page.wait_for_function(f"() => ({TITLE})() !== {json.dumps(before)}", timeout=60_000)
    settle(page)


def photograph(page, path: Path) -> None:
    """A full-page PNG: Streamlit scrolls inside its main block, not the document, so the window is made as
    tall as that block's content first."""
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    if height > 900:
        page.set_viewport_size({"width": WIDTH, "height": min(height, TALLEST)})
        settle(page)  # grids draw the rows that came into view
    page.screenshot(path=str(path), full_page=True)


def problems(shown: dict, lang: str) -> list[str]:
    found = []
    if shown["exceptions"]:
        found.append(f"exception box: {shown['exceptions'][0][:200]!r}")
    if "Page not found" in shown["text"] or any("Page not found" in d for d in shown["dialogs"]):
        found.append("Page not found")
    raw = sorted({c for c in shown["cells"] + shown["kpi_values"] if c in RAW_VALUES})
    if raw:
        found.append(f"raw values shown: {raw}")
    if shown["blanks"]:  # a missing value: the grid draws a null as a grey "None"
        found.append(f"empty cells (a null is drawn as None) in columns: {sorted(set(shown['blanks']))}")
    if lang == "zh":
        if not shown["titles"] or not CJK.search(shown["titles"][0]):
            found.append(f"page title not Chinese: {shown['titles'][:1]}")
        headers = sorted({h for h in shown["headers"] if RAW_HEADER.match(h)})
        if headers:
            found.append(f"raw column names as headers: {headers}")
        names = sorted(set(RAW_NAMES.findall(shown["text"])))
        if names:
            found.append(f"raw column names in the text: {names}")
        if len(CJK.findall(shown["text"])) < 20:
            found.append("almost no Chinese on the page")
    else:
        chrome = {"title": shown["titles"][:1], "navigation": shown["nav"], "widget label": shown["labels"],
                  "KPI label": shown["kpi_labels"], "table header": shown["headers"], "chart axis title": shown["axes"]}
        for what, texts in chrome.items():
            chinese = [x for x in texts if CJK.search(NAMES.sub("", x))]
            if chinese:
                found.append(f"Chinese {what} in English: {chinese[:5]}")
    return found


def test_pages_are_the_navigation():
    """Every page the navigation lists (for an admin), in its order and with its zh title, is photographed."""
    from siyu.locales import text
    from siyu.ui.auth import PAGES as NAVIGATION

    assert PAGES == [("" if url == "overview" else url, text(key, "zh")) for _, url, key, _, _ in NAVIGATION]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_photographed_on_imported_data(imported_app, browser, lang):
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": 900},
                                  locale="zh-CN" if lang == "zh" else "en-US")
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        failures = {}
        for number, (path, title) in enumerate(PAGES, start=1):
            page.set_viewport_size({"width": WIDTH, "height": 900})
            if number == 1:
                first_page(page, f"{imported_app}/" + ("?lang=en" if lang == "en" else ""))
            else:
                next_page(page, number - 1)
            shot = SHOTS / f"{number:02d}_{path or 'overview'}_{lang}.png"
            photograph(page, shot)
            assert shot.stat().st_size > 10_000, shot
            shown = page.evaluate(READ)
            if urlparse(page.url).path.strip("/") != path:  # the navigation really opened this page
                failures.setdefault(title, []).append(f"opened {page.url}, expected /{path}")
            if lang == "zh" and title not in shown["titles"]:
                failures.setdefault(title, []).append(f"title {shown['titles'][:1]}, expected {title}")
            failures.setdefault(title, []).extend(problems(shown, lang))
        report = [f"{page_name} ({lang}): {problem}" for page_name, found in failures.items() for problem in found]
        assert not report, "\n".join(["", *report, f"screenshots: {SHOTS}"])
        assert outside(requests) == []
    finally:
        context.close()
