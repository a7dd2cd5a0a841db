"""Retention & LTV charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- retention_heatmap(triangle): cohorts down, periods across; complete cells coloured, incomplete cells
  grey, hatched with diagonal lines and labelled with "…" (their period has not ended, so a low number
  there is not a drop), with a note under the chart saying so.
- retention_curves(triangle, cohorts): one line per chosen cohort over the complete periods.
- ltv_curves(revenue_triangle, cohorts): cumulative net revenue per cohort member, per period.
- lifecycle_bars(lifecycle): new / returning / resurrecting buyers up, dormant down, per period.
- cohort_label(day, grain, lang, channel): '2024年3月' / '2024年3月4日当周' / 'Mar 2024'.

The heatmap carries one invisible square marker per cell (trace CELLS_TRACE): Plotly heatmaps cannot be
selected, scatter points can, so a click on a cell selects its marker and Streamlit's on_select event
returns the marker's customdata [cohort ISO day, channel or "", period, count of members].
"""

from __future__ import annotations

import datetime as dt

import plotly.graph_objects as go
import polars as pl

from siyu import format as fmt
from siyu import locales
from siyu.charts.theme import (
    BLUE,
    GREEN,
    GREY,
    MUTED_FILL,
    MUTED_TEXT,
    NOTE_TEXT,
    ORANGE,
    OUTLINE,
    PALETTE,
    RED,
    RULE,
    style,
)
from siyu.charts.ticks import money_axis

CELLS_TRACE = "cells"  # the name of the clickable overlay trace
MAX_CLICKABLE_CELLS = 5_000
"""Above this many cells (a daily triangle over a year has 66k) the overlay is left out: the browser would
draw that many invisible markers for cells too small to aim at; the pickers under the chart still work."""


def words(lang: str) -> dict:
    """The chart's labels; "period" as {grain: axis title} too (pages index it so)."""
    w: dict = dict(locales.words("fig_retention_", lang))
    w["period"] = {g: w[f"period_{g}"] for g in ("month", "week", "day")}
    return w


def cohort_label(day: dt.date, grain: str, lang: str = "zh", channel: str | None = None) -> str:
    if grain == "month":
        text = fmt.month(day, lang)
    elif grain == "week":
        text = locales.text("fig_retention_week_label", lang, day=fmt.date(day, lang))
    else:
        text = fmt.date(day, lang)
    return f"{channel} · {text}" if channel else text


def _keys(triangle: pl.DataFrame) -> list[str]:
    return ["channel", "cohort"] if "channel" in triangle.columns else ["cohort"]


def _cell_text(value: float | None, money: bool) -> str:
    if value is None:
        return ""
    return f"¥{value:,.0f}" if money else f"{value * 100:.0f}%"


def retention_heatmap(triangle: pl.DataFrame, *, grain: str = "month", money: bool = False,
                      lang: str = "zh", counts: pl.DataFrame | None = None) -> go.Figure:
    """One row per cohort (oldest on top), one column per period; `money`: rate is revenue per member.
    `counts` (the members triangle of the same cells; the triangle itself when it is one) adds the
    clickable overlay whose hover and customdata give each cell's number of members."""
    w = words(lang)
    keys = _keys(triangle)
    cohorts = triangle.select([*keys, "cohort_size"]).unique().sort(keys)
    labels = [locales.text("fig_retention_cohort_row", lang, cohort=cohort_label(r["cohort"], grain, lang, r.get("channel")),
                           size=f"{r['cohort_size']:,}") for r in cohorts.to_dicts()]
    periods = list(range(int(triangle["period"].max() or 0) + 1)) if triangle.height else []
    row_of = {tuple(r[k] for k in keys): i for i, r in enumerate(cohorts.to_dicts())}
    done = [[None] * len(periods) for _ in labels]
    open_ = [[None] * len(periods) for _ in labels]
    for r in triangle.iter_rows(named=True):
        grid = done if r["complete"] else open_
        grid[row_of[tuple(r[k] for k in keys)]][r["period"]] = r["rate"]
    show_text = len(periods) <= 24 and len(labels) <= 40
    hover = "%{y}<br>" + w["period"][grain] + " %{x}: %{text}<extra></extra>"
    fig = go.Figure()
    fig.add_heatmap(z=done, x=periods, y=labels, colorscale="Blues", zmin=0,
                    zmax=None if money else max(0.05, max((v for row in done for v in row[1:] if v is not None),
                                                          default=1.0)),
                    text=[[_cell_text(v, money) for v in row] for row in done],
                    texttemplate="%{text}" if show_text else None, hovertemplate=hover, hoverongaps=False,
                    colorbar={"title": w["revenue"] if money else w["rate"],
                              "tickformat": ",.0f" if money else ".0%"}, xgap=1, ygap=1)
    fig.add_heatmap(z=[[0.5 if v is not None else None for v in row] for row in open_], x=periods, y=labels,
                    colorscale=[[0, MUTED_FILL], [1, MUTED_FILL]], showscale=False, zmin=0, zmax=1,
                    text=[[(_cell_text(v, money) + "…") if v is not None else "" for v in row] for row in open_],
                    texttemplate="%{text}" if show_text else None, textfont={"color": MUTED_TEXT},
                    hovertemplate="%{y}<br>" + w["period"][grain] + " %{x}: %{text}（" + w["incomplete"] + "）<extra></extra>",
                    hoverongaps=False, xgap=1, ygap=1)
    hatch = hatch_path([(c, r) for r, row in enumerate(open_) for c, v in enumerate(row) if v is not None])
    if hatch:
        # Plotly heatmaps have no pattern fill: one path shape of diagonal strokes over the open cells
        # (x = period, y = the cohort's row index on the category axis), drawn above the grey.
        fig.add_shape(type="path", path=hatch, xref="x", yref="y", layer="above",
                      line={"color": RULE, "width": 1})
        fig.add_annotation(text=w["hatch_note"], xref="paper", yref="paper", x=0, y=0, xanchor="left",
                           yanchor="top", yshift=-6, showarrow=False, font={"size": 12, "color": NOTE_TEXT})
    if counts is not None and labels and counts.height <= MAX_CLICKABLE_CELLS:
        shown = {(*(r[k] for k in keys), r["period"]): _cell_text(r["rate"], money) for r in triangle.iter_rows(named=True)}
        _add_cells(fig, counts, keys, dict(zip(row_of, labels, strict=True)), shown, grain=grain, lang=lang)
    fig.update_xaxes(title_text=w["period"][grain], side="top", dtick=1 if len(periods) <= 24 else None)
    fig.update_yaxes(autorange="reversed", title_text=w["cohort"], type="category")
    fig = style(fig, height=max(320, 26 * len(labels) + 120 + (24 if hatch else 0)), legend=False)
    if hatch:
        fig.update_layout(margin={"b": 34})
    return fig


def _add_cells(fig: go.Figure, counts: pl.DataFrame, keys: list[str], label_of: dict, shown: dict, *,
               grain: str, lang: str) -> None:
    """The invisible, selectable square over every cell; a selected cell gets a dark outline."""
    w = words(lang)
    rows = [r for r in counts.sort([*keys, "period"]).iter_rows(named=True) if tuple(r[k] for k in keys) in label_of]
    fig.add_scatter(
        x=[r["period"] for r in rows], y=[label_of[tuple(r[k] for k in keys)] for r in rows], mode="markers",
        name=CELLS_TRACE, showlegend=False,
        customdata=[[r["cohort"].isoformat(), r.get("channel") or "", int(r["period"]), int(r["value"])] for r in rows],
        text=[" · ".join(filter(None, (shown.get((*(r[k] for k in keys), r["period"])),
                                        w["members_n"].format(n=fmt.number(int(r["value"]), lang))))) for r in rows],
        marker={"symbol": "square", "size": 20, "color": "rgba(0,0,0,0)", "opacity": 0,
                "line": {"color": OUTLINE, "width": 2}},
        selected={"marker": {"opacity": 1}}, unselected={"marker": {"opacity": 0}},
        hovertemplate="%{y}<br>" + w["period"][grain] + " %{x}: %{text}<br>" + w["click"] + "<extra></extra>")


HATCH_OFFSETS = (-0.6, -0.3, 0.0, 0.3, 0.6)
HATCH_HALF = 0.44
"""Five parallel diagonals per cell, kept inside a slightly smaller square (the strokes of neighbouring
cells never join into one long line across the triangle)."""


def hatch_path(cells: list[tuple[int, int]]) -> str:
    """An SVG path of diagonal strokes over each (column, row) cell of a heatmap, in data units (cells are
    1 wide and 1 high, centred on their column and row), "" when there are no cells. Each stroke runs
    down-left to up-right: x - c = (r - y) + d for d in HATCH_OFFSETS, clipped to the inner square."""
    h = HATCH_HALF
    parts = []
    for c, r in cells:
        for d in HATCH_OFFSETS:
            lo, hi = max(-h, d - h), min(h, d + h)  # x offsets where the stroke stays inside the square
            if hi - lo > 1e-9:
                parts.append(f"M{c + lo:.2f},{r - (lo - d):.2f} L{c + hi:.2f},{r - (hi - d):.2f}")
    return " ".join(parts)


def labelled(triangle: pl.DataFrame, *, grain: str = "month", lang: str = "zh") -> pl.DataFrame:
    """The triangle with a `label` column naming its cohort (and channel), as the curves' pickers show it."""
    channel = "channel" in triangle.columns
    labels = [cohort_label(r["cohort"], grain, lang, r["channel"] if channel else None)
              for r in triangle.select("cohort", *(["channel"] if channel else [])).to_dicts()]
    return triangle.with_columns(pl.Series("label", labels, dtype=pl.String))


def _curves(frame: pl.DataFrame, column: str, labels: list[str], *, grain: str, lang: str, y_title: str,
            tickformat: str, prefix: str = "") -> go.Figure:
    fig = go.Figure()
    for i, label in enumerate(labels):
        rows = frame.filter((pl.col("label") == label) & pl.col("complete")).sort("period")
        fig.add_scatter(x=rows["period"].to_list(), y=rows[column].to_list(), mode="lines+markers", name=label,
                        line={"color": PALETTE[i % len(PALETTE)]},
                        hovertemplate=f"%{{x}}: {prefix}%{{y:{tickformat}}}<extra>{label}</extra>")
    top = frame["period"].max() if frame.height else 0
    fig.update_xaxes(title_text=words(lang)["period"][grain], dtick=1 if top is not None and top <= 24 else None)
    if prefix == "¥":  # money: 万/亿 ticks (siyu.charts.ticks)
        fig.update_yaxes(title_text=y_title, **money_axis(frame[column].to_list(), lang))
    else:
        fig.update_yaxes(title_text=y_title, tickformat=tickformat, tickprefix=prefix, rangemode="tozero")
    return style(fig)


def retention_curves(triangle: pl.DataFrame, labels: list[str], *, grain: str = "month", lang: str = "zh") -> go.Figure:
    """`triangle` from `labelled`; one line per label, complete periods only."""
    return _curves(triangle, "rate", labels, grain=grain, lang=lang, y_title=words(lang)["rate"], tickformat=".0%")


def ltv_curves(revenue: pl.DataFrame, labels: list[str], *, grain: str = "month", lang: str = "zh") -> go.Figure:
    """`revenue` (measure=revenue) from `labelled`; cumulative net revenue per cohort member."""
    return _curves(revenue, "cumulative", labels, grain=grain, lang=lang, y_title=words(lang)["ltv"],
                   tickformat=",.0f", prefix="¥")


def lifecycle_bars(lifecycle: pl.DataFrame, *, grain: str = "month", lang: str = "zh") -> go.Figure:
    from siyu.charts.overview import _x_axis, period_values

    w = words(lang)
    x = period_values(lifecycle["period"].to_list(), grain, lang)
    opacity = [1.0 if c else 0.4 for c in lifecycle["complete"].to_list()]
    fig = go.Figure()
    for column, color, sign in (("new", BLUE, 1), ("returning", GREEN, 1), ("resurrecting", ORANGE, 1),
                                ("dormant", RED, -1)):
        # customdata [period ISO day, status, count]: a click on a bar names the members behind it
        fig.add_bar(x=x, y=[sign * v for v in lifecycle[column].to_list()], name=w[column], marker_color=color,
                    marker_opacity=opacity,
                    customdata=[[p.isoformat(), column, int(v)] for p, v in
                                zip(lifecycle["period"].to_list(), lifecycle[column].to_list(), strict=True)],
                    hovertemplate=f"{w[column]}: %{{customdata[2]:,d}}<extra></extra>")
    fig.update_layout(barmode="relative", hovermode="x unified")
    fig.update_yaxes(title_text=w["buyers"], tickformat=",d")
    _x_axis(fig, grain, lang)
    return style(fig)


__all__ = ["GREY", "cohort_label", "labelled", "lifecycle_bars", "ltv_curves", "retention_curves", "retention_heatmap"]
