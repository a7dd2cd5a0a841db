"""Channel charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- survival_curves(survival): share of friendships still connected N days after the add, one line per channel.
- valid_vs_invalid(scorecard): per channel, valid private-domain users and the invalid rest, stacked.
- shade(values, good): CSS background colours for a scorecard column (green = better, red = worse).
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import BLUE, GREEN, GREY, PALETTE, RED, style, translucent


def words(lang: str) -> Mapping[str, str]:
    return locales.words("fig_channels_", lang)


def survival_curves(survival: pl.DataFrame, lang: str = "zh", *, top: int = 8) -> go.Figure:
    """The `top` largest channels; points past the last observation (null) are left out."""
    w = words(lang)
    fig = go.Figure()
    channels = list(dict.fromkeys(survival["channel"].to_list()))[:top]
    for i, channel in enumerate(channels):
        rows = survival.filter((pl.col("channel") == channel) & pl.col("survival").is_not_null()
                                & (pl.col("days") > 0)).sort("days")  # a log axis has no day 0
        fig.add_scatter(x=rows["days"].to_list(), y=rows["survival"].to_list(), mode="lines+markers", name=channel,
                        line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"},
                        hovertemplate=f"{channel}: %{{x}} → %{{y:.1%}}<extra></extra>")
    fig.update_xaxes(title_text=w["days"], type="log", tickvals=[1, 3, 7, 14, 30, 60, 90, 180, 365])
    # A share of friendships is at most 100%: a fixed range (autorange padded a flat line at 100% to 200%).
    fig.update_yaxes(title_text=w["survival"], tickformat=".0%", range=[0, 1.04], tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1.0])
    return style(fig)


def valid_vs_invalid(scorecard: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    rows = scorecard.sort("vanity_headcount", descending=True)
    invalid = [v - k for v, k in zip(rows["vanity_headcount"].to_list(), rows["valid_members"].to_list(), strict=True)]
    fig = go.Figure()
    fig.add_bar(x=rows["channel"].to_list(), y=rows["valid_members"].to_list(), name=w["valid"], marker_color=BLUE,
                hovertemplate="%{x}: %{y:,d}<extra></extra>")
    fig.add_bar(x=rows["channel"].to_list(), y=invalid, name=w["invalid"], marker_color=GREY,
                hovertemplate="%{x}: %{y:,d}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=w["people"], tickformat=",d")
    return style(fig)


def shade(values: list[float | None], good: bool) -> list[str]:
    """Background CSS per cell: the column's best value deepest green, its worst deepest red, linear between;
    empty cells and a column with one distinct value stay white."""
    present = [v for v in values if v is not None]
    lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
    out = []
    for v in values:
        if v is None or hi == lo:
            out.append("")
            continue
        score = (v - lo) / (hi - lo)
        score = score if good else 1 - score  # 1 = best
        if score >= 0.5:
            alpha = (score - 0.5) * 2 * 0.45
            out.append(f"background-color: {translucent(GREEN, alpha)}")
        else:
            alpha = (0.5 - score) * 2 * 0.45
            out.append(f"background-color: {translucent(RED, alpha)}")
    return out
