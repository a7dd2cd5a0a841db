"""Alert rules fire exactly when their metric crosses the threshold; firings reach a fake WeCom group bot on
127.0.0.1 with the figure, the threshold and a link, and are stored whether or not the bot took them."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest

from siyu.alerts import store
from siyu.alerts.check import fires
from siyu.alerts.rules import Rule, load_rules, rule_from
from siyu.alerts.run import run_alerts
from siyu.cli import main
from siyu.config import load_settings
from siyu.errors import SiyuError
from tests.metrics import analytics_db

NOW = dt.datetime(2024, 3, 21, 8, 0)


class _Bot(BaseHTTPRequestHandler):
    received: list[tuple[str, dict]] = []
    status = 200

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        type(self).received.append((self.path, json.loads(self.rfile.read(length))))
        body = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def bot() -> Iterator[tuple[str, type[_Bot]]]:
    _Bot.received, _Bot.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), _Bot)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=k", _Bot
    server.shutdown()
    server.server_close()


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    # channels: 裂变海报 deleted_7d 0.5, 门店 1.0, 包裹卡 0.0 (4 rows); kpis: members 5, gmv ¥380 (¥300 on 03-13)
    return analytics_db.build(tmp_path / "a.duckdb")


RULES = """
[[rule]]
name = "裂变海报 删除率 > 50%"
metric = "channels"
where = { channel = "裂变海报" }
value = "deleted_7d"
op = ">"
threshold = "50%"
page = "channels"

[[rule]]
name = "裂变海报 删除率 >= 50%"
metric = "channels"
where = { channel = "裂变海报" }
value = "deleted_7d"
op = ">="
threshold = "50%"
page = "channels"

[[rule]]
name = "会员数 > 5"
metric = "kpis"
value = "members"
op = ">"
threshold = 5

[[rule]]
name = "渠道行数 > 3"
metric = "channels"
value = "rows"
op = ">"
threshold = 3

[[rule]]
name = "GMV 周环比上升 26.67%"
metric = "kpis"
value = "gmv"
op = "rises_pct"
threshold = "26.67%"
"""


def _rules(tmp_path: Path, text: str = RULES) -> list[Rule]:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return load_rules(path)


@pytest.mark.parametrize(("op", "value", "threshold", "fired"), [
    (">", 0.5, 0.5, False), (">", 0.5000001, 0.5, True), (">=", 0.5, 0.5, True), (">=", 0.4999999, 0.5, False),
    ("<", 100, 100, False), ("<", 99, 100, True), ("<=", 100, 100, True), ("<=", 101, 100, False),
])
def test_comparisons_fire_exactly_past_the_threshold(op: str, value: float, threshold: float, fired: bool) -> None:
    rule = rule_from({"name": "r", "metric": "kpis", "value": "members", "op": op, "threshold": threshold})
    assert fires(rule, value, None) is fired


@pytest.mark.parametrize(("op", "value", "previous", "fired"), [
    ("falls_pct", 95, 100, True), ("falls_pct", 95.01, 100, False), ("falls_pct", 105, 100, False),
    ("rises_pct", 105, 100, True), ("rises_pct", 104.99, 100, False), ("falls_pct", 95, None, False),
    ("falls_pct", 0, 0, False),
])
def test_week_on_week_changes_fire_from_the_threshold_on(op: str, value: float, previous: float | None,
                                                         fired: bool) -> None:
    rule = rule_from({"name": "r", "metric": "kpis", "value": "valid_members", "op": op, "threshold": "5%"})
    assert rule.threshold == 0.05 and fires(rule, value, previous) is fired


def test_run_posts_exactly_the_rules_that_fire_and_stores_them(db: Path, tmp_path: Path, bot) -> None:  # type: ignore[no-untyped-def]
    url, handler = bot
    settings = load_settings(db=db, base_url="http://dash.example")
    outcomes = run_alerts(settings, _rules(tmp_path), url=url, now=NOW)
    fired = {o.check.rule.name: (o.check.value, o.check.previous, o.posted) for o in outcomes if o.check.fired}
    assert fired == {"裂变海报 删除率 >= 50%": (0.5, None, True), "渠道行数 > 3": (4.0, None, True)}
    assert all(o.check.error is None for o in outcomes)
    gmv = next(o for o in outcomes if o.check.rule.op == "rises_pct")
    assert (gmv.check.value, gmv.check.previous) == (380.0, 300.0)  # +26.67% (80/300 = 0.26666...) < 26.67%
    assert len(handler.received) == 2
    path, payload = handler.received[0]
    text = payload["markdown"]["content"]
    assert path == "/cgi-bin/webhook/send?key=k" and payload["msgtype"] == "markdown"
    assert "裂变海报 删除率 ＞= 50%" in text and "channels 裂变海报 · deleted_7d" in text and '<font color="warning">50.0%</font>' in text
    assert "阈值 threshold：达到或高于 50.0%" in text and "(http://dash.example/channels)" in text
    stored = store.firings(db)
    assert sorted(stored["name"].to_list()) == ["渠道行数 > 3", "裂变海报 删除率 >= 50%"]
    assert stored["posted"].to_list() == [True, True] and stored["fired_at"].to_list() == [NOW, NOW]


def test_the_exact_week_on_week_change_fires(db: Path, bot) -> None:  # type: ignore[no-untyped-def]
    url, handler = bot
    rule = rule_from({"name": "gmv up", "metric": "kpis", "value": "gmv", "op": "rises_pct", "threshold": 80 / 300})
    (outcome,) = run_alerts(load_settings(db=db), [rule], url=url, now=NOW)
    assert outcome.check.fired and outcome.posted and "（7 天前 300）" in handler.received[0][1]["markdown"]["content"]


def test_a_bot_that_refuses_is_stored_as_not_posted(db: Path, bot) -> None:  # type: ignore[no-untyped-def]
    url, handler = bot
    handler.status = 500
    rule = rule_from({"name": "members", "metric": "kpis", "value": "members", "op": ">=", "threshold": 5})
    (outcome,) = run_alerts(load_settings(db=db), [rule], url=url, now=NOW)
    assert outcome.check.fired and not outcome.posted and "HTTP 500" in (outcome.error or "")
    row = store.firings(db).row(0, named=True)
    assert (row["posted"], row["value"], row["threshold"]) == (False, 5.0, 5.0) and "HTTP 500" in row["error"]


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_cli_rules_stored_from_a_file_run_and_listed(db: Path, tmp_path: Path, bot) -> None:  # type: ignore[no-untyped-def]
    url, handler = bot
    path = tmp_path / "rules.toml"
    path.write_text(RULES, encoding="utf-8")
    code, out, _ = _cli("alerts", "add", "--db", str(db), "--rules", str(path))
    assert code == 0 and len(json.loads(out)["saved"]) == 5
    code, out, err = _cli("alerts", "run", "--db", str(db), "--webhook", url)
    assert code == 0, err
    assert sorted(r["name"] for r in json.loads(out) if r["fired"]) == ["渠道行数 > 3", "裂变海报 删除率 >= 50%"]
    assert len(handler.received) == 2
    code, out, _ = _cli("alerts", "firings", "--db", str(db), "--days", "100000")
    assert code == 0 and len(json.loads(out)) == 2
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"name": "x", "metric": "kpis", "value": "no_such", "op": ">", "threshold": 1}]),
                   encoding="utf-8")
    code, out, err = _cli("alerts", "run", "--db", str(db), "--rules", str(bad), "--no-webhook")
    assert code == 1 and "没有列 'no_such'" in err and "Traceback" not in err


@pytest.mark.parametrize(("text", "needle"), [
    ('[[rule]]\nname = "a"\nmetric = "kpis"\nvalue = "members"\nop = "!="\nthreshold = 1\n', "op 只能是"),
    ('[[rule]]\nname = "a"\nmetric = "nope"\nvalue = "members"\nop = ">"\nthreshold = 1\n', "没有名为 'nope' 的指标"),
    ('[[rule]]\nname = "a"\nmetric = "kpis"\nvalue = "members"\nop = ">"\nthreshold = "lots"\n', "不是数字"),
    ('[[rule]]\nname = "a"\nmetric = "kpis"\nvalue = "members"\nop = ">"\n', "需要 threshold"),
    ('[[rule]\nname = "a"', "格式有误"),
])
def test_bad_rules_files_are_clear_errors(tmp_path: Path, text: str, needle: str) -> None:
    from siyu.engine.catalog import CATALOG

    path = tmp_path / "r.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SiyuError, match=needle):
        load_rules(path, set(CATALOG))
