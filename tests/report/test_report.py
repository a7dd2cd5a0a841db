"""The HTML report and its WeCom summary: same figures as the Overview page, self-contained, CLI contract."""

from __future__ import annotations

import datetime as dt
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from siyu.cli import main
from siyu.db import reading
from siyu.report import overview_report, parse_options
from siyu.report.text import SHARED
from siyu.report.webhook import WebhookError, post_markdown
from tests.pages.small_db import build_fixture

# What the Overview page shows for 2024 Q1 on this database (tests/pages/test_overview.py)
PAGE_Q1 = {"members": ("5", "+150.0%"), "valid_members": ("4", "+300.0%"), "buyers": ("2", "+100.0%"),
           "orders": ("4", "+300.0%"), "gmv": ("¥400.00", "+700.0%"), "arpu": ("¥200.00", "+300.0%"),
           "repurchase_rate": ("50.0%", "+50.0个百分点"), "friends_deleted": ("2", "")}


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("report") / "small.duckdb")


@pytest.fixture(scope="module")
def q1(db):
    with reading(db) as con:
        return overview_report(con, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), generated_by="tester",
                               now=dt.datetime(2024, 4, 1, 8, 0))


def cards(page: str) -> dict[str, tuple[str, str]]:
    found = re.findall(r'data-kpi="(\w+)"><div class="label">[^<]*</div><div class="value">([^<]*)</div>'
                       r'<div class="delta [a-z]+">([^<]*)</div>', page)
    return {k: (v, d) for k, v, d in found}


def test_report_shows_the_pages_kpis(q1):
    assert cards(q1.html) == PAGE_Q1
    assert "有效私域用户 4 / 虚荣人数 5（80.0%），无效私域 1 人" in q1.html
    assert "2024年1月1日 至 2024年3月31日，对比上一个等长周期（2023年10月2日 至 2023年12月31日）" in q1.html
    assert q1.html.count('class="plotly-graph-div"') == 3


def test_report_is_self_contained(q1):
    page = q1.html
    assert page.count("plotly.js v") >= 1 and page.count("* plotly.js v") == 1  # the library, inlined once
    assert not re.search(r"<script[^>]+src=", page) and "<link" not in page and "@import" not in page
    assert "cdn.plot.ly/plotly" not in page and "mathjax" not in page.lower().split("</head>")[0]
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "13800138000" not in page and "phone" not in page.split("<script")[0]  # no member-level data


def test_report_words_read_as_on_the_page():
    from siyu.ui import filters  # noqa: F401 - registers the comparison's words (range_caption_year)
    from siyu.ui.i18n import STRINGS

    for key, words in SHARED.items():
        assert STRINGS[key] == words, key


def test_english_and_default_range(db):
    with reading(db) as con:
        report = overview_report(con, lang="en", grain="day")
    # the default ends on the last order day (2024-03-05), not on m4's friendship of 03-10 (issue #13)
    assert (report.range.start, report.range.end) == (dt.date(2023, 6, 1), dt.date(2024, 3, 5))
    assert cards(report.html)["gmv"][0] == "¥480.00"
    assert "Overview report" in report.html and "GMV (net)" in report.html


def test_summary_for_the_group_bot(q1):
    lines = q1.summary.splitlines()
    assert lines[0] == "**siyu 私域分析 · 总览报告**"
    assert '> GMV（净额）：<font color="info">¥400.00</font>（+700.0%）' in lines
    assert len(q1.summary.encode("utf-8")) < 4096


@pytest.mark.parametrize("params", [{"start": "2024-01-01'; DROP TABLE orders;--"}, {"grain": "<script>"},
                                    {"lang": "fr"}, {"user": "admin"}, {"end": "x" * 10_000}])
def test_hostile_params_are_refused(params):
    from siyu.errors import SiyuError

    with pytest.raises(SiyuError):
        parse_options(params)


class _Bot(BaseHTTPRequestHandler):
    received: list = []
    answer = {"errcode": 0, "errmsg": "ok"}
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.path, json.loads(self.rfile.read(length))))
        body = json.dumps(type(self).answer).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def bot():
    _Bot.received, _Bot.answer, _Bot.status = [], {"errcode": 0, "errmsg": "ok"}, 200
    server = HTTPServer(("127.0.0.1", 0), _Bot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test-key", _Bot
    server.shutdown()
    server.server_close()


def test_webhook_posts_markdown(bot, q1):
    url, handler = bot
    assert post_markdown(url, q1.summary) == {"errcode": 0, "errmsg": "ok"}
    path, payload = handler.received[0]
    assert path == "/cgi-bin/webhook/send?key=test-key"
    assert payload == {"msgtype": "markdown", "markdown": {"content": q1.summary}}


def test_webhook_failures_are_plain_errors_without_the_key(bot):
    url, handler = bot
    handler.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    with pytest.raises(WebhookError, match="93000"):
        post_markdown(url, "hi")
    handler.status = 500
    with pytest.raises(WebhookError, match="HTTP 500") as err:
        post_markdown(url, "hi")
    assert "test-key" not in str(err.value)
    with pytest.raises(WebhookError):
        post_markdown("file:///etc/passwd", "hi")
    with pytest.raises(WebhookError, match="cannot reach"):
        post_markdown("http://127.0.0.1:9/send?key=k", "hi", timeout=2)


def test_cli_writes_the_report_and_posts_the_summary(db, tmp_path, bot, capsys):
    url, handler = bot
    out = tmp_path / "weekly.html"
    code = main(["report", "--db", str(db), "--out", str(out), "--param", "start=2024-01-01",
                 "--param", "end=2024-03-31", "--webhook", url])
    assert code == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["posted"] and printed["kpis"]["gmv"] == 400.0
    assert cards(out.read_text(encoding="utf-8")) == PAGE_Q1
    assert handler.received[0][1]["markdown"]["content"].startswith("**siyu 私域分析 · 总览报告**")


def test_cli_posts_to_the_webhook_an_admin_stored_unless_the_environment_pins_another(tmp_path, bot, monkeypatch):
    from siyu.auth.runtime_settings import save
    from siyu.config import load_settings

    db = build_fixture(tmp_path / "own.duckdb")  # not the module's: a stored webhook would outlive this test
    url, handler = bot
    monkeypatch.delenv("SIYU_WEBHOOK_URL", raising=False)
    save(load_settings(db=db), {"webhook_url": url}, by="anna", env={})  # as on the 账户与审计 page
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "a.html")]) == 0
    assert len(handler.received) == 1 and handler.received[0][0] == "/cgi-bin/webhook/send?key=test-key"
    monkeypatch.setenv("SIYU_WEBHOOK_URL", url.replace("test-key", "env-key"))
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "b.html")]) == 0
    assert handler.received[1][0] == "/cgi-bin/webhook/send?key=env-key"


def test_cli_errors(db, tmp_path, capsys, monkeypatch):
    assert main(["report", "--db", str(tmp_path / "missing.duckdb")]) == 1
    assert main(["report", "--db", str(db), "--param", "grain=year"]) == 1
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "no" / "dir.html")]) == 1
    monkeypatch.setenv("SIYU_WEBHOOK_URL", "http://127.0.0.1:9/send?key=k")
    assert main(["report", "--db", str(db), "--out", str(tmp_path / "r.html"), "--no-webhook"]) == 0
    err = capsys.readouterr().err
    assert "Traceback" not in err and "grain" in err


def test_a_scoped_report_shows_the_scoped_figures_and_names_its_filters(db):
    from siyu.db.scope import Scope, apply_scope
    from siyu.engine.catalog import run_metric

    with reading(db) as con:
        apply_scope(con, Scope(channel="门店"))
        expected = run_metric(con, "kpis", {"start": "2024-01-01", "end": "2024-03-31"})[1].row(0, named=True)
        report = overview_report(con, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), generated_by="tester",
                                 filters={"channel": "门店"})
    assert report.kpis["members"] == expected["members"]
    assert report.kpis["members"] < int(PAGE_Q1["members"][0])  # fewer people than the unfiltered view
    assert "筛选: channel = 门店" in report.html


def test_cli_report_takes_the_global_filters(db, tmp_path, capsys):
    out = tmp_path / "scoped.html"
    assert main(["report", "--db", str(db), "--out", str(out), "--param", "start=2024-01-01",
                 "--param", "end=2024-03-31", "--param", "channel=门店", "--no-webhook"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kpis"]["members"] < int(PAGE_Q1["members"][0])
    assert "channel = 门店" in out.read_text(encoding="utf-8")


# July 2024 against 去年同期 July 2023 (tests/pages/small_db.py): a year earlier only m5 (joined 2023-06-01)
# was a member, and bought once, ¥30 on 2023-07-01; in July 2024 five members (four valid), no order.
JULY_VS_LAST_JULY = {"members": ("5", "+400.0%"), "valid_members": ("4", "+300.0%"), "buyers": ("0", "-100.0%"),
                     "orders": ("0", "-100.0%"), "gmv": ("¥0.00", "-100.0%"), "arpu": ("¥0.00", "-100.0%"),
                     "repurchase_rate": ("0.0%", "+0.0个百分点"), "friends_deleted": ("0", "")}


def test_the_report_compares_with_the_same_period_last_year_when_asked(db):
    with reading(db) as con:
        report = overview_report(con, start=dt.date(2024, 7, 1), end=dt.date(2024, 7, 31), compare="year",
                                 now=dt.datetime(2024, 8, 1, 8, 0))
        previous = overview_report(con, start=dt.date(2024, 7, 1), end=dt.date(2024, 7, 31),
                                   now=dt.datetime(2024, 8, 1, 8, 0))
    assert cards(report.html) == JULY_VS_LAST_JULY
    assert (report.previous["start"], report.previous["end"]) == (dt.date(2023, 7, 1), dt.date(2023, 7, 31))
    assert (report.previous["members"], report.previous["orders"], report.previous["gmv"]) == (1, 1, 30.0)
    caption = "2024年7月1日 至 2024年7月31日，对比去年同期（2023年7月1日 至 2023年7月31日）"
    assert caption in report.html and report.summary.splitlines()[1] == caption
    assert '> GMV（净额）：<font color="warning">¥0.00</font>（-100.0%）' in report.summary.splitlines()
    # the default stays 上一周期: June 2024, with no order either, so no GMV change to show
    assert "对比上一个等长周期（2024年5月31日 至 2024年6月30日）" in previous.html
    assert cards(previous.html)["gmv"] == ("¥0.00", "") and cards(previous.html)["members"] == ("5", "+0.0%")


def test_a_year_before_the_data_has_nothing_to_compare_with(db):
    with reading(db) as con:
        report = overview_report(con, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), compare="year", lang="en")
    assert report.previous is None
    assert {delta for _value, delta in cards(report.html).values()} == {""}  # not PAGE_Q1's +700.0% of 上一周期
    assert ("1 Jan 2024 – 31 Mar 2024, compared with the same period last year (1 Jan 2023 – 31 Mar 2023)"
            in report.html)


def test_cli_report_compares_with_last_year(db, tmp_path, capsys):
    out = tmp_path / "year.html"
    assert main(["report", "--db", str(db), "--out", str(out), "--param", "start=2024-07-01",
                 "--param", "end=2024-07-31", "--param", "compare=year", "--no-webhook"]) == 0
    assert cards(out.read_text(encoding="utf-8")) == JULY_VS_LAST_JULY
    from siyu.errors import SiyuError

    with pytest.raises(SiyuError, match="compare"):
        parse_options({"compare": "last_week"})
