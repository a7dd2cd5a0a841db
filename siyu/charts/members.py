"""Members & tiers charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- tier_bars(tiers): members per tier as bars, ARPU as a line on a second axis.
- tier_sankey(migration): members flowing from the tiers of one snapshot to those of another.
- lorenz_curve(concentration): the Lorenz curve of net GMV over buyers, against the line of equality.
- pyramid(layers): the three community layers (mass → core → super) as a stepped pyramid.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl
from plotly.subplots import make_subplots

from siyu import format as fmt
from siyu import locales
from siyu.charts.theme import BLUE, GREEN, GREY, INK, ORANGE, RED, style, translucent
from siyu.charts.ticks import money_axis


def words(lang: str) -> Mapping[str, str]:
    return locales.words("fig_members_", lang)


def tier_label(tier: str | None, lang: str) -> str:
    """The metric calls members without a snapshot 未定级; English readers get 'No tier'."""
    return words(lang)["unrated"] if tier in (None, "未定级") else tier


def bars_and_line(names: list[str], counts: list, count_name: str, line: list, line_name: str, *, x_title: str,
                  line_hover: str, line_axis: dict) -> go.Figure:
    """Members per category as bars (left axis) and one value per category as a line (right axis)."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_bar(x=names, y=counts, name=count_name, marker_color=BLUE,
                hovertemplate="%{x}: %{y:,d}<extra></extra>", secondary_y=False)
    fig.add_scatter(x=names, y=line, name=line_name, mode="lines+markers", line={"color": ORANGE},
                    hovertemplate=f"%{{x}}: {line_hover}<extra></extra>", secondary_y=True)
    fig.update_xaxes(title_text=x_title, type="category")
    fig.update_yaxes(title_text=count_name, tickformat=",d", secondary_y=False, rangemode="tozero")
    fig.update_yaxes(title_text=line_name, secondary_y=True, showgrid=False, rangemode="tozero",
                     **{"tickmode": "auto", "nticks": 6, **line_axis})
    return fig


def tier_bars(tiers: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    names = [tier_label(t, lang) for t in tiers["tier"].to_list()]
    fig = bars_and_line(names, tiers["members"].to_list(), w["members"], tiers["arpu"].to_list(), w["arpu"],
                        x_title=w["tier"], line_hover="¥%{y:,.2f}", line_axis=money_axis(tiers["arpu"].to_list(), lang))
    # customdata [tier, members]: a click on a tier's bar (or its ARPU point) names the tier
    fig.update_traces(customdata=[[t, int(n)] for t, n in zip(tiers["tier"].to_list(), tiers["members"].to_list(),
                                                               strict=True)])
    return style(fig)


def tier_sankey(migration: pl.DataFrame, from_label: str, to_label: str, lang: str = "zh") -> go.Figure:
    """Left nodes: tiers at `from_label`; right nodes: tiers at `to_label`; links coloured by direction."""
    flows = migration.filter(pl.col("members") > 0)
    left = list(dict.fromkeys(flows.sort("from_rank", nulls_last=True)["from_tier"].to_list()))
    right = list(dict.fromkeys(flows.sort("to_rank", nulls_last=True)["to_tier"].to_list()))
    labels = [locales.text("fig_members_tier_at", lang, tier=tier_label(t, lang), label=from_label) for t in left]
    labels += [locales.text("fig_members_tier_at", lang, tier=tier_label(t, lang), label=to_label) for t in right]
    colors = {"up": translucent(GREEN, 0.45), "down": translucent(RED, 0.45), "same": translucent(GREY, 0.55)}
    fig = go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "pad": 14, "thickness": 14, "color": BLUE},
        link={"source": [left.index(t) for t in flows["from_tier"].to_list()],
              "target": [len(left) + right.index(t) for t in flows["to_tier"].to_list()],
              "value": flows["members"].to_list(),
              "color": [colors.get(d, translucent(ORANGE, 0.45)) for d in flows["direction"].to_list()],
              "hovertemplate": "%{source.label} → %{target.label}: %{value:,d}<extra></extra>"},
        valueformat=",d",
    ))
    return style(fig, height=420, legend=False)


def lorenz_curve(concentration: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    points = concentration.filter(pl.col("kind") == "lorenz").sort("buyer_share")
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name=w["equal"], line={"color": GREY, "dash": "dash"},
                    hoverinfo="skip")
    fig.add_scatter(x=points["buyer_share"].to_list(), y=points["gmv_share"].to_list(), mode="lines",
                    name=w["lorenz"], line={"color": BLUE, "width": 3}, fill="tonexty",
                    fillcolor=translucent(BLUE, 0.12),
                    hovertemplate=f"{w['x_lorenz']}: %{{x:.1%}}<br>{w['y_lorenz']}: %{{y:.1%}}<extra></extra>")
    fig.update_xaxes(title_text=w["x_lorenz"], tickformat=".0%", range=[0, 1])
    fig.update_yaxes(title_text=w["y_lorenz"], tickformat=".0%", range=[0, 1])
    return style(fig)


def pyramid(layers: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """Stepped pyramid, super on top; widths are fixed steps (1 : 2 : 3) so the tiny super layer stays
    readable; the text on each step gives its size and share of spend."""
    w = words(lang)
    rows = {r["layer"]: r for r in layers.to_dicts()}
    fig = go.Figure()
    colors = {"super": ORANGE, "core": BLUE, "mass": GREY}
    for level, layer in enumerate(("mass", "core", "super")):
        r = rows.get(layer, {"members": 0, "spend_share": 0.0, "avg_spend": 0.0, "member_share": 0.0})
        width = 3 - level
        text = locales.text("fig_members_step", lang, layer=w[layer], members=fmt.number(r["members"], lang),
                            member_share=fmt.percent(r["member_share"], lang),
                            spend_share=fmt.percent(r["spend_share"], lang), avg_spend=fmt.money(r["avg_spend"], lang))
        fig.add_bar(y=[level], x=[width], base=[-width / 2], orientation="h", marker_color=colors[layer],
                    text=[text], textposition="outside" if layer == "super" else "inside", insidetextanchor="middle",
                    textfont={"color": INK}, hovertext=[text], hoverinfo="text", name=w[layer], width=0.9)
    fig.update_xaxes(visible=False, range=[-1.6, 3.4])
    fig.update_yaxes(visible=False)
    fig.update_layout(barmode="overlay")
    return style(fig, height=300, legend=False)
