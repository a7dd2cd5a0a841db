"""The 召回 chart: a campaign_lift frame (one window) in, a Plotly figure out; never st.*.

- lift_intervals(frame): one row per copy variant, the buy-rate lift (percentage points) as a dot with its 95%
  interval as a bar, and a line at zero: an interval crossing the line is "no clear effect".
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import BLUE, MUTED_TEXT, NOTE_TEXT, RED, style


def lift_intervals(frame: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = locales.words("fig_campaigns_", lang)
    rows = frame.filter(pl.col("lift_abs").is_not_null())
    names = [v or w["one"] for v in rows["variant"].to_list()]
    lift = [x * 100 for x in rows["lift_abs"].to_list()]
    low = [x * 100 for x in rows["lift_low"].to_list()]
    high = [x * 100 for x in rows["lift_high"].to_list()]
    colours = [BLUE if lo > 0 else RED if hi < 0 else MUTED_TEXT for lo, hi in zip(low, high, strict=True)]
    fig = go.Figure()
    fig.add_scatter(x=lift, y=names, mode="markers", marker={"size": 12, "color": colours},
                    error_x={"type": "data", "symmetric": False, "array": [h - m for h, m in zip(high, lift, strict=True)],
                             "arrayminus": [m - lo for m, lo in zip(lift, low, strict=True)], "thickness": 3},
                    customdata=[f"{lo:.1f} … {hi:.1f}" for lo, hi in zip(low, high, strict=True)],
                    hovertemplate="%{y}: " + w["lift"] + " %{x:.1f} (%{customdata})<extra></extra>")
    fig.add_vline(x=0, line_dash="dash", line_color=NOTE_TEXT)
    fig.update_yaxes(type="category")
    fig.update_xaxes(title_text=w["x"], ticksuffix="")
    return style(fig, height=max(200, 90 + 60 * len(names)), legend=False)
