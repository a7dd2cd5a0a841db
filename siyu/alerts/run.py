"""`python -m siyu alerts run`: check every enabled rule, post each firing to the WeCom group bot, store it.

A firing is stored whether or not the bot took it (`posted`, `error`): the page shows both. Nothing is posted
for a rule that does not fire or cannot be checked (its error is in the run's output). The clock and the
poster are injectable, so tests need neither the wall clock nor the network.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from siyu.alerts import store
from siyu.alerts.check import Check, check_rule, condition_text, figure
from siyu.alerts.rules import Rule
from siyu.config import Settings
from siyu.db import reading
from siyu.report.text import wecom_plain
from siyu.report.webhook import WebhookError, post_markdown

Poster = Callable[[str, str], object]


@dataclass(frozen=True)
class Outcome:
    check: Check
    posted: bool
    error: str | None

    def as_dict(self) -> dict[str, Any]:
        c = self.check
        return {"name": c.rule.name, "metric": c.rule.metric, "value": c.value, "previous": c.previous,
                "threshold": c.rule.threshold, "op": c.rule.op, "fired": c.fired, "posted": self.posted,
                "error": self.error or c.error}


def page_link(rule: Rule, base_url: str) -> str:
    if rule.link:
        return rule.link
    return f"{base_url.rstrip('/')}/{rule.page}" if base_url else f"/{rule.page}"


def message(check: Check, base_url: str) -> str:
    """The Markdown a firing posts: the rule, the figure, the threshold and a link."""
    rule = check.rule
    where = "".join(f" {wecom_plain(v)}" for v in rule.where.values())
    lines = [f"**siyu 预警 / alert：{wecom_plain(rule.name)}**",
             # metric and column are checked names (the catalog's, the metric's output's); names and where
             # values are typed by people or come from data: plain text only
             f"> 指标 metric：{rule.metric}{where} · {rule.value}",
             f'> 当前 now：<font color="warning">{figure(check.value, rule.percent and not rule.op.endswith("_pct"))}</font>'
             + (f"（{rule.compare_days} 天前 {figure(check.previous, False)}）" if check.previous is not None else ""),
             f"> 阈值 threshold：{condition_text(rule)}",
             f"[打开看板 / open the dashboard]({page_link(rule, base_url)})"]
    return "\n".join(lines)


def run_alerts(settings: Settings, rules: list[Rule], *, url: str | None, now: dt.datetime,
               post: Poster = post_markdown) -> list[Outcome]:
    """Check the enabled rules on settings.db; post and store every firing (posting needs `url`)."""
    with reading(settings.db, settings.lock_timeout) as con:
        checks = [check_rule(con, r) for r in rules if r.enabled]
    outcomes = []
    for check in checks:
        if not check.fired:
            outcomes.append(Outcome(check, False, None))
            continue
        text = message(check, settings.base_url)
        posted, error = False, None
        if url:
            try:
                post(url, text)
                posted = True
            except WebhookError as exc:
                error = str(exc)
        else:
            error = "没有设置群机器人地址（SIYU_WEBHOOK_URL 或 --webhook）/ no webhook URL set"
        store.record_firing(settings.db, name=check.rule.name, fired_at=now, value=check.value,
                            previous=check.previous, threshold=check.rule.threshold, message=text, posted=posted,
                            error=error, timeout=settings.lock_timeout)
        outcomes.append(Outcome(check, posted, error))
    return outcomes
