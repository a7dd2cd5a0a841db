"""Overview charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- gmv_buyers(trend): bars of net GMV per period with buyers as a line on a second axis.
- members_vs_deleted(trend): new members against friendships deleted, per period.
- valid_vs_vanity(kpis): the vanity headcount split into valid and invalid private-domain users.

`trend` is kpi_trend's frame (one row per period), `kpis` the kpis frame (one row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from siyu import format as fmt
from siyu import locales
from siyu.charts.theme import BLUE, GREY, ORANGE, RED, style
from siyu.charts.ticks import money_axis

_GMV_COLOR, _BUYER_COLOR, _RED, _GREY = BLUE, ORANGE, RED, GREY


def _words(lang: str) -> Mapping[str, str]:
    return locales.words("fig_overview_", lang)


def _style(fig: go.Figure, *, title: str | None = None) -> go.Figure:
    return style(fig, legend=None, top=40 if title else 10, hovermode="x unified", title=title)


# Weeks and days stay on a date axis so Plotly thins the ticks; their tick and hover text is spelled
# through d3 formats, because Plotly's own month names are English.
_DATE_TICKS = {"zh": "%Y年%-m月%-d日", "en": "%-d %b %Y"}
_DATE_HOVER = {"zh": {"week": "%Y年%-m月%-d日当周", "day": "%Y年%-m月%-d日"},
               "en": {"week": "week of %-d %b %Y", "day": "%-d %b %Y"}}


def period_values(periods: list[dt.date], grain: str, lang: str) -> list[str] | list[dt.date]:
    """x values: months as category labels (2024年3月 / Mar 2024), so each bar sits on its own label;
    weeks and days as the dates themselves (the first day of the period)."""
    if grain == "month":
        return [fmt.month(p, lang) for p in periods]
    return periods


def _x_axis(fig: go.Figure, grain: str, lang: str) -> None:
    if grain == "month":
        fig.update_xaxes(title_text=_words(lang)[grain], type="category")
        return
    lang = lang if lang in _DATE_TICKS else "zh"
    fig.update_xaxes(title_text=_words(lang)[grain], type="date", tickformat=_DATE_TICKS[lang],
                     hoverformat=_DATE_HOVER[lang][grain])


def _count_ticks(values: list[int | float]) -> dict:
    """Axis settings for head counts: whole numbers only (auto ticks go fractional below ~5).

    tickmode is always explicit: on a secondary axis Plotly.js would otherwise copy the primary
    axis's grid (ticks at 1,144 buyers)."""
    top = max(values, default=0)
    if top < 5:
        return {"tickformat": ",d", "tickmode": "linear", "tick0": 0, "dtick": 1}
    return {"tickformat": ",d", "tickmode": "auto"}


def gmv_buyers(trend: pl.DataFrame, *, grain: str = "month", lang: str = "zh") -> go.Figure:
    """Net GMV (bars, left axis) and buyers (line, right axis) per period."""
    w = _words(lang)
    periods = period_values(trend["period"].to_list(), grain, lang)
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    # Periods the range cuts are drawn pale and labelled, so a partial month never reads as a drop.
    complete = trend["complete"].to_list() if "complete" in trend.columns else [True] * trend.height
    fig.add_trace(go.Bar(x=periods, y=trend["gmv"].to_list(), name=w["gmv"], marker_color=_GMV_COLOR,
                         marker_opacity=[1.0 if c else 0.4 for c in complete],
                         customdata=["" if c else w["partial"] for c in complete],
                         hovertemplate="¥%{y:,.2f} %{customdata}"), secondary_y=False)
    fig.add_trace(go.Scatter(x=periods, y=trend["buyers"].to_list(), name=w["buyers"], mode="lines+markers",
                             line={"color": _BUYER_COLOR}, hovertemplate="%{y:,}"), secondary_y=True)
    fig.update_yaxes(title_text=w["gmv"], secondary_y=False, **money_axis(trend["gmv"].to_list(), lang))
    fig.update_yaxes(title_text=w["buyers"], rangemode="tozero", showgrid=False, secondary_y=True,
                     **_count_ticks(trend["buyers"].to_list()))
    _x_axis(fig, grain, lang)
    return _style(fig)


def members_vs_deleted(trend: pl.DataFrame, *, grain: str = "month", lang: str = "zh") -> go.Figure:
    """New members against deleted friendships per period (grouped bars)."""
    w = _words(lang)
    periods = period_values(trend["period"].to_list(), grain, lang)
    fig = go.Figure([
        go.Bar(x=periods, y=trend["new_members"].to_list(), name=w["new_members"], marker_color=_GMV_COLOR,
               hovertemplate="%{y:,}"),
        go.Bar(x=periods, y=trend["friends_deleted"].to_list(), name=w["friends_deleted"], marker_color=_RED,
               hovertemplate="%{y:,}"),
    ])
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text=w["people"], rangemode="tozero",
                     **_count_ticks(trend["new_members"].to_list() + trend["friends_deleted"].to_list()))
    _x_axis(fig, grain, lang)
    return _style(fig)


def valid_vs_vanity_frame(kpis: pl.DataFrame, *, lang: str = "zh") -> pl.DataFrame:
    """One row per bar: label, people (vanity headcount, valid users, the invalid remainder)."""
    w = _words(lang)
    row = kpis.row(0, named=True)
    vanity, valid = int(row["vanity_headcount"]), int(row["valid_members"])
    return pl.DataFrame({"label": [w["vanity"], w["valid"], w["invalid"]],
                         "people": [vanity, valid, max(vanity - valid, 0)]})


def valid_vs_vanity(kpis: pl.DataFrame, *, lang: str = "zh") -> go.Figure:
    """Horizontal bars: everyone ever added, those still valid, and the gap (无效私域)."""
    frame = valid_vs_vanity_frame(kpis, lang=lang)
    fig = go.Figure(go.Bar(
        y=frame["label"].to_list(), x=frame["people"].to_list(), orientation="h",
        marker_color=[_GREY, _GMV_COLOR, _RED], text=[f"{v:,}" for v in frame["people"]], textposition="auto",
        hovertemplate="%{y}: %{x:,}<extra></extra>",
    ))
    fig.update_xaxes(title_text=_words(lang)["people"], rangemode="tozero", **_count_ticks(frame["people"].to_list()))
    fig.update_yaxes(autorange="reversed")
    _style(fig).update_layout(hovermode="closest", showlegend=False, height=260)
    return fig
