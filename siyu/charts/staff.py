"""导购 and tag charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- deletion_split(deletions): per staff member, the share of friends deleted within 7 days, stacked by who deleted.
- conversion(scorecard): per staff member, friends who became buyers within 30 and 90 days.
- tag_shares(tags): per tag of one group, buyer share and friend retention side by side.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import BLUE, GREEN, GREY, ORANGE, RED, style

SIDE_COLOURS = {"customer": RED, "staff": ORANGE, "unknown": GREY}


def words(lang: str) -> dict[str, str]:
    return locales.words("fig_staff_", lang)


def deletion_split(deletions: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """deletions: staff_name, side (customer | staff | unknown), share — in the order to draw."""
    w = words(lang)
    fig = go.Figure()
    for side, colour in SIDE_COLOURS.items():
        rows = deletions.filter(pl.col("side") == side)
        fig.add_bar(x=rows["staff_name"].to_list(), y=rows["share"].to_list(), name=w[side], marker_color=colour,
                    hovertemplate=f"%{{x}} · {w[side]}: %{{y:.1%}}<extra></extra>")
    fig.update_layout(barmode="stack")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=w["share"], tickformat=".0%", rangemode="tozero")
    return style(fig)


def conversion(scorecard: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """scorecard: staff_name, buyer_30d, buyer_90d (shares; null = not judged yet)."""
    w = words(lang)
    fig = go.Figure()
    for column, colour in (("buyer_30d", BLUE), ("buyer_90d", GREEN)):
        fig.add_bar(x=scorecard["staff_name"].to_list(), y=scorecard[column].to_list(), name=w[column],
                    marker_color=colour, hovertemplate=f"%{{x}} · {w[column]}: %{{y:.1%}}<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(title_text=w["friends"], tickformat=".0%", rangemode="tozero")
    return style(fig)


def tag_shares(tags: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """tags: tag, buyer_share, friend_retention of one tag group."""
    w = words(lang)
    fig = go.Figure()
    for column, colour in (("buyer_share", BLUE), ("friend_retention", GREEN)):
        fig.add_bar(x=tags["tag"].to_list(), y=tags[column].to_list(), name=w[column], marker_color=colour,
                    hovertemplate=f"%{{x}} · {w[column]}: %{{y:.1%}}<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(type="category")
    fig.update_yaxes(tickformat=".0%", range=[0, 1.04])
    return style(fig)
