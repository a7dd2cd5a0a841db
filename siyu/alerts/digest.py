"""The weekly digest of one page, with that page's global filters (channel / tier / store / staff, as in its URL).

- `overview`: the Overview's KPI summary (the same text `python -m siyu report` posts), filters applied;
- `campaigns` (召回): each campaign's 14-day result (or its longest window when 14 is not computed): sent vs
  holdout buy rate, the lift and its 95% interval, in words when the interval includes zero;
- every page: the alert firings of the 7 days before `now`;
and a link to the page with its filters in the URL.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import polars as pl

from siyu.alerts import store
from siyu.config import Settings
from siyu.db import reading
from siyu.db.scope import Scope, apply_scope
from siyu.engine.catalog import run_metric
from siyu.errors import SiyuError
from siyu.report.text import filters_line, wecom_plain

PAGES = ("overview", "campaigns")


def _pct(x: float | None) -> str:
    return "—" if x is None else f"{x * 100:.1f}%"


def campaign_lines(lift: pl.DataFrame) -> list[str]:
    if lift.is_empty():
        return ["还没有发送记录的召回活动 / no campaign with sends yet"]
    lines = []
    for (campaign, variant), rows in lift.group_by("campaign", "variant", maintain_order=True):
        pick = rows.filter(pl.col("window_days") == 14)
        row = (pick if pick.height else rows.sort("window_days")).row(-1, named=True)
        name = wecom_plain(campaign) + (f" {wecom_plain(variant)}" if variant else "")
        interval = (f"[{_pct(row['lift_low'])}, {_pct(row['lift_high'])}]" if row["lift_low"] is not None else "")
        lines.append(f"> {name}（{row['window_days']} 天）：发送 {_pct(row['sent_rate'])} vs 对照 {_pct(row['holdout_rate'])}，"
                     f"提升 {_pct(row['lift_abs'])} {interval} — {wecom_plain(row['verdict'].split(' / ')[0])}")
    return lines


def digest_text(settings: Settings, page: str, filters: dict[str, str], *, now: dt.datetime, lang: str = "zh",
                lift: pl.DataFrame | None = None) -> str:
    """The digest's Markdown. `lift`: the campaign_lift frame of these filters when the caller has it (the page)."""
    if page not in PAGES:
        raise SiyuError(f"digest 的页面只能是 {'/'.join(PAGES)}，收到 {page!r} / page must be one of {PAGES}")
    scope = Scope(**{k: v for k, v in filters.items() if v})
    with reading(settings.db, settings.lock_timeout) as con:
        apply_scope(con, scope)
        if page == "overview":
            from siyu.report import overview_report

            body = [overview_report(con, lang=lang, generated_by="python -m siyu alerts digest", now=now,
                                    filters=dict(scope.key()) or None).summary]
        else:
            if lift is None:
                _, lift = run_metric(con, "campaign_lift", {})
            body = ["**siyu 召回周报 / weekly recall digest**", filters_line(dict(scope.key()) or None, lang),
                    *campaign_lines(lift)]
    fired = store.firings(settings.db, now - dt.timedelta(days=7), timeout=settings.lock_timeout)
    fired = fired.filter(pl.col("fired_at") <= now)
    if fired.height:
        names = "、".join(wecom_plain(n) for n in fired["name"].unique(maintain_order=True).to_list()[:10])
        body.append(f"本周预警 {fired.height} 次 / {fired.height} alert firing(s) this week：{names}")
    else:
        body.append("本周没有预警 / no alert fired this week")
    query = urlencode(dict(scope.key()))
    base = settings.base_url.rstrip("/")
    body.append(f"[打开看板 / open the dashboard]({base}/{page}{'?' + query if query else ''})")
    return "\n".join(body)
