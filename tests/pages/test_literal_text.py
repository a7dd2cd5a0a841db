"""Text from data is never markup (issue 16): the literal() helper and the pages that show imported names.

A member's channel `![b](http://203.0.113.5/beacon.png)` opened with ?channel=<that> used to go through
st.caption as Markdown, so the viewer's browser fetched the image. The browser test
(tests/browser/test_markup_injection.py) checks the rendered pages; here the strings Streamlit is given."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.charts.plain import plain_figure, plain_text
from siyu.ui.auth import PAGES as AUTH_PAGES
from siyu.ui.i18n import STRINGS
from siyu.ui.literal import literal
from tests.pages import hostile_db as H
from tests.pages.conftest import log_in_as

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = ["app_pages/overview.py", "app_pages/retention.py", "app_pages/members.py", "app_pages/referrals.py",
         "app_pages/channels.py", "app_pages/segments.py", "app_pages/import_data.py", "app_pages/admin.py"]
TITLES = {path: STRINGS[title]["zh"] for path, _url, title, _icon, _role in AUTH_PAGES}
SCOPED = PAGES[:6]  # the pages with the global filters
MARKDOWN_ELEMENTS = ("caption", "markdown", "info", "success", "warning", "error", "title", "header", "subheader")


def test_literal_escapes_every_markdown_sign_and_keeps_the_text():
    j = "\u2060"  # the invisible word joiner that keeps GFM from linking bare URLs and e-mails
    assert literal(H.IMAGE) == r"\!\[b\]\(http\:" + j + r"\/\/203\.0\.113\.5\/beacon\.png\?who\=viewer\)"
    assert literal(H.LATEX) == r"\$\\href\{http\:" + j + r"\/\/evil\.example\/latex\}\{x\}\$ \$x\^2\$"
    assert literal(H.BARE) == "www" + j + r"\.evil\.example http\:" + j + r"\/\/evil\.example\/bare"
    assert literal("boss@brand.cn") == "boss" + j + r"\@brand\.cn"
    assert literal(H.DIRECTIVE) == r"\:red\[红\] \:material\/warning\: \<b\>粗\<\/b\>"
    assert literal("a\nb\r\nc") == "a b c"  # no new paragraph, heading or list from a line break
    assert literal("门店 · 1,234") == r"门店 · 1\,234"
    assert literal(42) == "42"


def test_plotly_text_is_escaped_but_the_codes_own_line_breaks_stay():
    import plotly.graph_objects as go

    assert plain_text(H.HTML) == '&lt;img src="http://203.0.113.5/html.png">&lt;a href="http://evil.example/a">a&lt;/a>'
    assert plain_text("甲<br>深度 1 & 2") == "甲<br>深度 1 &amp; 2"
    fig = go.Figure(go.Bar(x=list(H.CHANNELS), y=[1, 2, 3], name=H.HTML, hovertext=[H.HTML] * 3))
    fig.update_xaxes(categoryarray=list(H.CHANNELS))
    safe = plain_figure(fig)
    assert safe.data[0].x[2] == plain_text(H.HTML) and safe.layout.xaxis.categoryarray[2] == plain_text(H.HTML)
    assert fig.data[0].x[2] == H.HTML  # the original is left alone: escaping twice would show &amp;lt;


@pytest.fixture
def hostile_db(tmp_path, monkeypatch):
    path = H.build_hostile(tmp_path / "hostile.duckdb")
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path


def markdown_bodies(at: AppTest) -> list[str]:
    bodies = [e.value for kind in MARKDOWN_ELEMENTS for e in at.get(kind)]
    bodies += [w.label for kind in ("selectbox", "multiselect", "radio", "text_input", "checkbox", "toggle",
                                    "button", "expander", "metric") for w in at.get(kind) if hasattr(w, "label")]
    return [b for b in bodies if isinstance(b, str)]


@pytest.mark.parametrize("page", PAGES)
def test_no_imported_name_reaches_a_markdown_string_unescaped(hostile_db, page):
    at = AppTest.from_file(APP, default_timeout=90)
    log_in_as(at, hostile_db, "admin", "tester")
    at.query_params.update({"channel": H.IMAGE, "tier": H.LATEX, "store": H.LINK, "staff": H.IMAGE,
                            "start": "2024-01-01", "end": "2024-12-31", "cohort": "channel"})
    if page in SCOPED:
        at.switch_page(page)  # opened by a link: page and filters from the URL
    at.run()
    if page not in SCOPED:
        at.switch_page(page).run()
    assert not at.exception
    assert at.title[0].value == TITLES[page]
    bodies = markdown_bodies(at)
    for raw in H.ALL:
        assert not [b for b in bodies if raw in b], raw
    if page in SCOPED:
        assert ("当前范围：渠道：" + literal(H.IMAGE)) in [c.value.split("，")[0] for c in at.caption]


def test_the_retention_cohort_label_is_literal(hostile_db):
    at = AppTest.from_file(APP, default_timeout=90)
    log_in_as(at, hostile_db, "admin", "tester")
    at.query_params.update({"start": "2024-01-01", "end": "2024-12-31", "cohort": "channel"})
    at.run()
    at.switch_page("app_pages/retention.py").run()
    assert not at.exception
    counts = [c.value for c in at.caption if "期" in c.value and "\\" in c.value]
    assert counts and all("](" not in c for c in counts)
