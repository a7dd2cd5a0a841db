"""The self-contained HTML report: the Overview's KPI cards and charts for one range, in one file.

`overview_report(con, ...)` computes what the Overview page shows for the same range and grain (the same
metrics through siyu.engine.catalog, the same cards and the same chart builders) and returns a
`Report` with the HTML and a short Markdown summary for a WeCom group bot (siyu/report/webhook.py).
Plotly's JavaScript is inlined once; the page loads nothing from anywhere (a Content-Security-Policy
in the file forbids it), so it opens offline and can be mailed or archived.

The report holds aggregate figures only, never member rows, so every role may export it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import duckdb
import plotly.io as pio

from siyu import __version__
from siyu import format as fmt
from siyu.cards import OVERVIEW_CARDS, card_delta, card_value
from siyu.charts import overview as charts
from siyu.charts.plain import plain_figure
from siyu.db import query
from siyu.engine.catalog import run_metric
from siyu.errors import SiyuError
from siyu.metrics.periods import DateRange
from siyu.ranges import COMPARES, anchor_day, comparison_period, default_range, range_params
from siyu.report.text import filters_line, tr

GRAINS = ("month", "week", "day")
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["sendDataToCloud"]}
# Nothing may be fetched: inline scripts and styles only, images from data: URLs (Plotly's modebar icons).
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
       "img-src data: blob:; font-src data:")


@dataclass(frozen=True)
class Report:
    html: str
    summary: str  # Markdown for a WeCom group bot
    range: DateRange | None
    grain: str
    kpis: dict | None
    previous: dict | None


def parse_options(params: dict[str, str]) -> dict[str, object]:
    """start/end (YYYY-MM-DD), grain (month|week|day), lang (zh|en), compare (previous|year) from `--param`
    strings, checked."""
    known = {"start", "end", "grain", "lang", "compare"}
    unknown = set(params) - known
    if unknown:
        raise SiyuError(f"report 不认识参数 {sorted(unknown)}；可用：{sorted(known)} / unknown report parameters")
    out: dict[str, object] = {}
    for side in ("start", "end"):
        if params.get(side):
            try:
                out[side] = dt.date.fromisoformat(params[side])
            except ValueError:
                raise SiyuError(f"{side}={params[side]!r}：需要 YYYY-MM-DD / expected YYYY-MM-DD") from None
    grain = params.get("grain", "month")
    if grain not in GRAINS:
        raise SiyuError(f"grain={grain!r}：只能是 month、week 或 day / grain must be month, week or day")
    lang = params.get("lang", "zh")
    if lang not in ("zh", "en"):
        raise SiyuError(f"lang={lang!r}：只能是 zh 或 en / lang must be zh or en")
    compare = params.get("compare", "previous")
    if compare not in COMPARES:
        raise SiyuError(f"compare={compare!r}：只能是 previous（上一周期）或 year（去年同期）"
                        " / compare must be previous or year")
    return {**out, "grain": grain, "lang": lang, "compare": compare}


def overview_report(con: duckdb.DuckDBPyConnection, *, start: dt.date | None = None, end: dt.date | None = None,
                    grain: str = "month", lang: str = "zh", generated_by: str = "cli", is_demo: bool = False,
                    now: dt.datetime | None = None, filters: dict[str, str] | None = None,
                    data_exists: bool | None = None, compare: str = "previous") -> Report:
    """The Overview of [start, end] (default: the page's default, the last 12 months of data), compared as the
    page compares it: `compare` "previous" (上一周期, the period just before) or "year" (去年同期).
    `filters`: the global filters the connection is scoped to (siyu.db.scope), named under the range and in
    the summary. With nothing to show, the summary says whether the filters matched nothing or the database
    is empty (`data_exists`: whether the unfiltered database holds data; None: filters imply it does)."""
    now = now or dt.datetime.now()
    bounds = query(con, "data_bounds").row(0, named=True)
    if bounds["first_at"] is None:
        matched_nothing = bool(filters) and data_exists is not False
        message = tr("report_no_match" if matched_nothing else "report_no_data", lang)
        body = f"<p>{_e(message)}</p>" + (f'<p class="range filters">{_e(filters_line(filters, lang))}</p>' if filters else "")
        summary = "\n".join([_title_line(lang, is_demo), filters_line(filters, lang), message])
        return Report(_page(lang, None, grain, body, generated_by, now, is_demo), summary, None, grain, None, None)
    first, last = bounds["first_at"].date(), bounds["last_at"].date()
    last_order = bounds["last_order_at"].date() if bounds["last_order_at"] is not None else None
    default = default_range(first, anchor_day(last_order, last))  # ends on the last order day, as the page
    rng = DateRange(start or default.start, end or default.end)  # raises on start > end
    prev = comparison_period(rng, compare)
    _spec, now_frame = run_metric(con, "kpis", range_params(rng))
    current = now_frame.row(0, named=True)
    previous = None
    if prev.end >= first:  # a previous period wholly before the data has nothing to compare with
        previous = run_metric(con, "kpis", range_params(prev))[1].row(0, named=True)
    _spec, trend = run_metric(con, "kpi_trend", {**range_params(rng), "grain": grain})

    parts = [f'<p class="range">{_e(_range_caption(rng, prev, lang, compare))}</p>']
    if filters:
        label = tr("report_filters_label", lang)
        shown = "；".join(f"{k} = {v}" for k, v in filters.items())
        parts.append(f'<p class="range filters">{_e(label)}: {_e(shown)}</p>')
    parts.append('<section class="kpis">')
    for card in OVERVIEW_CARDS:
        value = current[card.column]
        delta = card_delta(card, value, None if previous is None else previous[card.column], lang)
        trend_class = _delta_class(delta, card.inverse)
        parts.append(
            f'<div class="card" data-kpi="{card.column}"><div class="label">{_e(tr(card.label, lang))}</div>'
            f'<div class="value">{_e(card_value(card, value, lang))}</div>'
            f'<div class="delta {trend_class}">{_e(delta or "")}</div></div>')
    parts.append("</section>")
    parts.append(f'<p class="caption">{_e(_valid_caption(current, lang))}</p>')
    if current["orders"] == 0:
        parts.append(f'<p class="note">{_e(tr("no_orders_in_range", lang))}</p>')
    figures = [
        ("chart_gmv_buyers", charts.gmv_buyers(trend, grain=grain, lang=lang)),
        ("chart_members_deleted", charts.members_vs_deleted(trend, grain=grain, lang=lang)),
        ("chart_valid_vanity", charts.valid_vs_vanity(now_frame, lang=lang)),
    ]
    for i, (title, fig) in enumerate(figures):
        # Streamlit's chart theme makes room for tick labels; a bare Plotly page needs explicit margins.
        fig = plain_figure(fig)  # data names as text (siyu/charts/plain.py)
        fig.update_layout(margin={"l": 70, "r": 60, "t": 40, "b": 60})
        fig.update_xaxes(automargin=True)
        fig.update_yaxes(automargin=True)
        div = pio.to_html(fig, full_html=False, include_plotlyjs=(i == 0), config=PLOTLY_CONFIG,
                          div_id=f"chart-{i}", default_width="100%")
        parts.append(f'<section class="chart"><h2>{_e(tr(title, lang))}</h2>{div}</section>')
    page = _page(lang, rng, grain, "\n".join(parts), generated_by, now, is_demo)
    return Report(page, _summary(rng, prev, current, previous, lang, is_demo, filters, compare), rng, grain, current,
                  previous)


def _e(text: str) -> str:
    return html.escape(str(text), quote=True)


def _delta_class(delta: str | None, inverse: bool) -> str:
    if not delta or delta.startswith(("0", "+0.0", "-0.0")):
        return "flat"
    rising = delta.startswith("+")
    return "good" if rising != inverse else "bad"


def _range_caption(rng: DateRange, prev: DateRange, lang: str, compare: str = "previous") -> str:
    return tr("range_caption_year" if compare == "year" else "range_caption", lang, span=fmt.date_span(rng.start, rng.end, lang),
              prev=fmt.date_span(prev.start, prev.end, lang))


def _valid_caption(kpis: dict, lang: str) -> str:
    valid, vanity = kpis["valid_members"], kpis["vanity_headcount"]
    return tr("valid_vs_vanity", lang, valid=fmt.number(valid, lang), vanity=fmt.number(vanity, lang),
              share=fmt.percent(valid / vanity if vanity else None, lang), gap=fmt.number(vanity - valid, lang))


def _title_line(lang: str, is_demo: bool) -> str:
    return f"**{tr('app_title', lang)} · {tr('report_title', lang)}**" + (f"（{tr('report_demo', lang)}）" if is_demo else "")


def _summary(rng: DateRange, prev: DateRange, current: dict, previous: dict | None, lang: str, is_demo: bool,
             filters: dict[str, str] | None = None, compare: str = "previous") -> str:
    lines = [_title_line(lang, is_demo), _range_caption(rng, prev, lang, compare), filters_line(filters, lang)]
    if current["orders"] == 0:
        lines.append(tr("no_orders_in_range", lang))
    for card in OVERVIEW_CARDS:
        value = current[card.column]
        delta = card_delta(card, value, None if previous is None else previous[card.column], lang)
        colour = "info" if _delta_class(delta, card.inverse) != "bad" else "warning"
        lines.append(f"> {tr(card.label, lang)}：<font color=\"{colour}\">{card_value(card, value, lang)}</font>"
                     + (f"（{delta}）" if delta else ""))
    return "\n".join(lines)


_STYLE = """
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#1f2733;margin:24px auto;
max-width:1200px;padding:0 16px}h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:24px 0 4px}
.meta,.range,.caption,.note{color:#5b6573;font-size:14px}.demo{background:#fff4d6;padding:6px 10px;border-radius:6px}
.kpis{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin:12px 0}
.card{border:1px solid #dde3ea;border-radius:8px;padding:12px 14px}.label{font-size:14px;color:#5b6573}
.value{font-size:28px;margin:4px 0}.delta{font-size:14px;min-height:1em}.good{color:#09ab3b}.bad{color:#d62728}
.flat{color:#5b6573}@media print{.chart{break-inside:avoid}}
"""


def _page(lang: str, rng: DateRange | None, grain: str, body: str, by: str, now: dt.datetime, is_demo: bool) -> str:
    title = f"{tr('app_title', lang)} · {tr('report_title', lang)}"
    if rng is not None:
        title += f" · {rng.start.isoformat()} – {rng.end.isoformat()}"
    meta = tr("report_generated", lang, at=now.strftime("%Y-%m-%d %H:%M"), by=by, version=__version__)
    if rng is not None:
        meta += " · " + tr("report_grain", lang, g=tr(f"report_grain_{grain}", lang))
    demo = f'<p class="demo">{_e(tr("report_demo", lang))}</p>' if is_demo else ""
    return (f'<!DOCTYPE html>\n<html lang="{"en" if lang == "en" else "zh-CN"}"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(title)}</title>'
            f'<style>{_STYLE}</style></head><body><header><h1>{_e(title)}</h1>'
            f'<p class="meta">{_e(meta)}</p>{demo}</header>\n{body}\n</body></html>\n')
