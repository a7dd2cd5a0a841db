"""Model-check charts: the BG/NBD holdout comparison; a frame in, a Plotly figure out; never st.*.

- holdout_chart(buckets): mean repeat purchases per customer in the holdout, actual against
  predicted, per calibration frequency bucket (the `buckets` list of `metric clv`'s holdout).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales


def holdout_chart(buckets: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """Grouped bars per frequency bucket (the 'total' row is left out of the bars)."""
    words = locales.words("fig_clv_", lang)
    rows = buckets.filter(pl.col("bucket") != "total")
    hover = [f"{words['customers']}: {n:,}" for n in rows["customers"].to_list()]
    fig = go.Figure(
        [
            go.Bar(name=words["actual"], x=rows["bucket"].to_list(), y=rows["actual"].to_list(),
                   marker_color="#2f6fde", hovertext=hover),
            go.Bar(name=words["predicted"], x=rows["bucket"].to_list(), y=rows["predicted"].to_list(),
                   marker_color="#f28e2b", hovertext=hover),
        ]
    )
    fig.update_layout(
        barmode="group", title=words["title"],
        font={"family": "Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
    fig.update_xaxes(title_text=words["x"], type="category")
    fig.update_yaxes(title_text=words["y"], tickformat=".2f")
    return fig
