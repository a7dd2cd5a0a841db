"""Model-check charts: the BG/NBD holdout comparison; a frame in, a Plotly figure out; never st.*.

- holdout_chart(buckets): mean repeat purchases per customer in the holdout, actual against
  predicted, per calibration frequency bucket (the `buckets` list of `metric clv`'s holdout).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import BLUE, ORANGE, style


def holdout_chart(buckets: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """Grouped bars per frequency bucket (the 'total' row is left out of the bars)."""
    words = locales.words("fig_clv_", lang)
    rows = buckets.filter(pl.col("bucket") != "total")
    hover = [f"{words['customers']}: {n:,}" for n in rows["customers"].to_list()]
    fig = go.Figure(
        [
            go.Bar(name=words["actual"], x=rows["bucket"].to_list(), y=rows["actual"].to_list(),
                   marker_color=BLUE, hovertext=hover),
            go.Bar(name=words["predicted"], x=rows["bucket"].to_list(), y=rows["predicted"].to_list(),
                   marker_color=ORANGE, hovertext=hover),
        ]
    )
    style(fig, height=None, legend=None, top=40, barmode="group", title=words["title"])
    fig.update_xaxes(title_text=words["x"], type="category")
    fig.update_yaxes(title_text=words["y"], tickformat=".2f")
    return fig
