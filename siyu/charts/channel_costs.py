"""The 无效私域 cost chart: a channel_costs frame in, a Plotly figure out; never st.*.

- cost_per_valid_member(frame): one horizontal bar per channel with a known cost and valid members, the most
  expensive valid member on top, each bar labelled the Chinese way (¥1,033 / ¥1.2万) with ROI in the hover.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import format as fmt
from siyu import locales
from siyu.charts.theme import BLUE, RED, style
from siyu.charts.ticks import money_axis


def cost_per_valid_member(frame: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = locales.words("fig_costs_", lang)
    rows = frame.filter(pl.col("cost_per_valid_member").is_not_null()).sort("cost_per_valid_member")
    values = rows["cost_per_valid_member"].to_list()
    top = max(values) if values else 0
    hover = [f"{w['cost']} {fmt.money(c, lang, compact=True)} · {w['valid']} {fmt.number(v, lang)} · "
             f"{w['roi']} {'—' if r is None else f'{r:.2f}'}"
             for c, v, r in zip(rows["cost"].to_list(), rows["valid_members"].to_list(), rows["roi"].to_list(), strict=True)]
    fig = go.Figure()
    # Plotly draws the first category at the bottom: sorted ascending, the most expensive ends on top.
    fig.add_bar(y=rows["channel"].to_list(), x=values, orientation="h",
                marker_color=[RED if v == top and len(values) > 1 else BLUE for v in values],
                text=[fmt.money(v, lang, compact=True) for v in values], textposition="auto",
                customdata=hover, hovertemplate="%{y}: %{text}<br>%{customdata}<extra></extra>")
    fig.update_yaxes(type="category")
    fig.update_xaxes(title_text=w["x"], **money_axis(values, lang))  # ¥1.2万 ticks, as the bars' labels
    return style(fig, height=max(260, 60 + 36 * len(values)), legend=False)
