"""The group-bot summary says which filters are in force, and tells “no data matches these filters” from
“no data yet” (issue 16: a filtered report read as the whole brand, and a filter matching nothing posted
“数据库里还没有数据”)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from siyu.cli import main
from siyu.db import reading
from siyu.report import overview_report
from siyu.report.text import wecom_plain
from tests.pages.small_db import build_fixture


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    return build_fixture(tmp_path_factory.mktemp("webhook") / "small.duckdb")


class _Bot(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body)["markdown"]["content"])
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode": 0, "errmsg": "ok"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def bot():
    _Bot.received = []
    server = HTTPServer(("127.0.0.1", 0), _Bot)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/send?key=k", _Bot.received
    server.shutdown()
    server.server_close()


def post(db: Path, tmp_path: Path, url: str, *params: str) -> None:
    argv = ["report", "--db", str(db), "--out", str(tmp_path / "r.html"), "--webhook", url]
    for p in ("start=2024-01-01", "end=2024-03-31", *params):
        argv += ["--param", p]
    assert main(argv) == 0


def test_an_unfiltered_summary_says_so(db, tmp_path, bot):
    url, received = bot
    post(db, tmp_path, url)
    assert received[0].splitlines()[:3] == [
        "**siyu 私域分析 · 总览报告**", "2024年1月1日 至 2024年3月31日，对比上一个等长周期（2023年10月2日 至 2023年12月31日）",
        "筛选：无（全部数据）"]


def test_a_filtered_summary_names_its_filters(db, tmp_path, bot):
    url, received = bot
    post(db, tmp_path, url, "channel=门店", "staff=s1")
    lines = received[0].splitlines()
    assert lines[2] == "筛选：渠道 = 门店；导购 = s1"
    assert any(line.startswith('> 会员数：<font color="info">2</font>') for line in lines)  # members 3 and 4


def test_a_filter_that_matches_nothing_is_not_called_an_empty_database(db, tmp_path, bot):
    url, received = bot
    post(db, tmp_path, url, "channel=没有这个渠道")
    assert received[0].splitlines() == ["**siyu 私域分析 · 总览报告**", "筛选：渠道 = 没有这个渠道",
                                        "没有符合这些筛选条件的数据（数据库里有数据）。"]


def test_an_empty_database_says_no_data_yet_with_or_without_filters(tmp_path, bot):
    from siyu.db import writing

    empty = tmp_path / "empty.duckdb"
    with writing(empty):
        pass
    url, received = bot
    post(empty, tmp_path, url, "channel=门店")
    assert received[0].splitlines() == ["**siyu 私域分析 · 总览报告**", "筛选：渠道 = 门店", "数据库里还没有数据。"]
    post(empty, tmp_path, url)
    assert received[1].splitlines()[-1] == "数据库里还没有数据。"


def test_filter_values_cannot_become_markup_in_the_group():
    assert wecom_plain("[c](http://evil.example) <font>x</font> **b**") == "［c］（http://evil.example） ＜font＞x＜/font＞ ＊＊b＊＊"


def test_english_summary(db):
    with reading(db) as con:
        report = overview_report(con, start=dt.date(2024, 1, 1), end=dt.date(2024, 3, 31), lang="en",
                                 filters={"tier": "黑金会员"})
    assert report.summary.splitlines()[2] == "Filters: tier = 黑金会员"
