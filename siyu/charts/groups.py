"""Customer-group charts (社群): a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- layer_pyramid(layers): the three layers as a centred pyramid (super on top), members and members now.
- layer_moves(moves): members moving up, down, in and out per month, stacked.
- daily_trend(daily): members in groups, members who spoke, messages per day (WeCom's daily statistic).
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import BLUE, GREEN, GREY, ORANGE, RED, style

LEVEL = {"none": -1, "other": 0, "mass": 1, "core": 2, "super": 3}


def words(lang: str) -> dict[str, str]:
    return locales.words("fig_groups_", lang)


def layer_pyramid(layers: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """Horizontal bars centred on zero, widest (mass) at the bottom: ever joined, and in the layer now."""
    w = words(lang)
    rows = layers.filter(pl.col("layer") != "other")
    names = [w[x] for x in rows["layer"].to_list()]
    fig = go.Figure()
    # The bar of members now carries "now / ever joined" as its label: the pyramid's numbers at a glance.
    labels = [f"{n:,} / {m:,}" for n, m in zip(rows["members_now"].to_list(), rows["members"].to_list(), strict=True)]
    for col, label, colour, text in (("members", w["members"], GREY, None), ("members_now", w["now"], BLUE, labels)):
        values = rows[col].to_list()
        fig.add_bar(y=names, x=values, base=[-v / 2 for v in values], orientation="h", name=label,
                    marker_color=colour, customdata=values, text=text, textposition="inside", insidetextanchor="middle", textangle=0,
                    hovertemplate="%{y}: %{customdata:,d}<extra></extra>")
    fig.update_layout(barmode="overlay", bargap=0.15)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(type="category", categoryorder="array", categoryarray=names)
    return style(fig)


def layer_moves(moves: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    level = {k: pl.col(k).replace_strict(LEVEL, return_dtype=pl.Int64) for k in ("from_layer", "to_layer")}
    kinds = moves.with_columns(
        pl.when(pl.col("from_layer") == "none").then(pl.lit("in"))
        .when(pl.col("to_layer") == "none").then(pl.lit("out"))
        .when(level["to_layer"] > level["from_layer"]).then(pl.lit("up")).otherwise(pl.lit("down")).alias("kind"))
    per = kinds.group_by("month", "kind").agg(pl.col("members").sum()).sort("month")
    fig = go.Figure()
    for kind, colour, sign in (("up", GREEN, 1), ("in", BLUE, 1), ("down", ORANGE, -1), ("out", RED, -1)):
        rows = per.filter(pl.col("kind") == kind)
        fig.add_bar(x=rows["month"].to_list(), y=[sign * v for v in rows["members"].to_list()], name=w[kind],
                    marker_color=colour, customdata=rows["members"].to_list(),
                    hovertemplate=f"{w[kind]} %{{x|%Y-%m}}: %{{customdata:,d}}<extra></extra>")
    fig.update_layout(barmode="relative")
    fig.update_xaxes(title_text=w["month"], tickformat="%Y-%m")
    fig.update_yaxes(title_text=w["people"], tickformat=",d")
    return style(fig)


def daily_trend(daily: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    fig = go.Figure()
    fig.add_bar(x=daily["day"].to_list(), y=daily["messages"].to_list(), name=w["messages"], marker_color=GREY,
                yaxis="y2", hovertemplate="%{x|%Y-%m-%d}: %{y:,d}<extra></extra>")
    for col, colour in (("members_total", BLUE), ("active_members", GREEN)):
        fig.add_scatter(x=daily["day"].to_list(), y=daily[col].to_list(), name=w[col], mode="lines",
                        line={"color": colour}, hovertemplate="%{x|%Y-%m-%d}: %{y:,d}<extra></extra>")
    # Set per axis: update_yaxes would give the messages axis the people axis's title.
    fig.update_layout(yaxis={"title": {"text": w["people"]}, "tickformat": ",d", "rangemode": "tozero"},
                      yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "tickformat": ",d",
                              "rangemode": "tozero", "title": {"text": w["messages"]}})
    fig.update_xaxes(title_text=w["day"], tickformat="%Y-%m-%d")
    return style(fig)
