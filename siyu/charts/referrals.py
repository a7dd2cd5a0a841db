"""Referral charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- tree_layout(nodes): x/y of every member of one referral tree (a tidy layout: leaves side by side in
  depth-first order, each parent centred over its children, depth downwards). Pure, no Plotly.
- referral_tree(nodes, names): the tree drawn with lines and markers (sized by direct referees).
- k_by_month(k), k_by_generation(k), referred_vs_organic_bars(frame).
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.overview import _x_axis, period_values
from siyu.charts.theme import BLUE, GREY, ORANGE, style


def words(lang: str) -> Mapping[str, str]:
    return locales.words("fig_referrals_", lang)


def tree_layout(nodes: pl.DataFrame) -> pl.DataFrame:
    """nodes: member_id, referrer_id (null at the root) of one tree -> member_id, referrer_id, x, y (y = -depth).
    Children are ordered by member_id so the drawing is stable."""
    ids = nodes["member_id"].to_list()
    parents = dict(zip(ids, nodes["referrer_id"].to_list(), strict=True))
    children: dict[object, list] = {i: [] for i in ids}
    roots = []
    for child in sorted(ids):
        parent = parents[child]
        (children[parent] if parent in children else roots).append(child)
    xs: dict[object, float] = {}
    ys: dict[object, int] = {}
    next_leaf = 0.0
    for root in roots:  # iterative post-order: deep trees must not hit the recursion limit
        stack = [(root, 0, False)]
        while stack:
            node, depth, seen = stack.pop()
            ys[node] = -depth
            if not children[node]:
                xs[node] = next_leaf
                next_leaf += 1.0
            elif seen:
                xs[node] = sum(xs[c] for c in children[node]) / len(children[node])
            else:
                stack.append((node, depth, True))
                stack.extend((c, depth + 1, False) for c in reversed(children[node]))
    return nodes.select("member_id", "referrer_id").with_columns(
        pl.Series("x", [xs[i] for i in ids], dtype=pl.Float64), pl.Series("y", [ys[i] for i in ids], dtype=pl.Int64))


def referral_tree(nodes: pl.DataFrame, names: dict[str, str] | None = None, lang: str = "zh") -> go.Figure:
    """nodes: member_id, referrer_id, referees_direct of one tree."""
    w = words(lang)
    laid = tree_layout(nodes).join(nodes.select("member_id", "referees_direct"), on="member_id")
    where = {r["member_id"]: (r["x"], r["y"]) for r in laid.iter_rows(named=True)}
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for r in laid.iter_rows(named=True):
        if r["referrer_id"] in where:
            px, py = where[r["referrer_id"]]
            edge_x += [px, r["x"], None]
            edge_y += [py, r["y"], None]
    names = names or {}
    hover = [f"{names.get(str(r['member_id'])) or r['member_id']}<br>{w['depth']} {-r['y']} · {w['direct']} {r['referees_direct']}"
             for r in laid.iter_rows(named=True)]
    fig = go.Figure()
    fig.add_scatter(x=edge_x, y=edge_y, mode="lines", line={"color": GREY, "width": 1}, hoverinfo="skip")
    fig.add_scatter(x=laid["x"].to_list(), y=laid["y"].to_list(), mode="markers", hovertext=hover, hoverinfo="text",
                    marker={"size": [8 + 3 * min(d, 8) for d in laid["referees_direct"].to_list()],
                            "color": [ORANGE if y == 0 else BLUE for y in laid["y"].to_list()],
                            "line": {"color": "white", "width": 1}})
    depth = -int(laid["y"].min() or 0)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(title_text=w["depth"], tickvals=[-d for d in range(depth + 1)],
                     ticktext=[str(d) for d in range(depth + 1)], zeroline=False)
    return style(fig, height=max(320, 60 * depth + 140), legend=False)


def k_by_month(k: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    x = period_values(k["period"].to_list(), "month", lang)
    fig = go.Figure()
    fig.add_bar(x=x, y=k["k_factor"].to_list(), name=w["k"], marker_color=BLUE,
                marker_opacity=[1.0 if c else 0.4 for c in k["complete"].to_list()],
                hovertemplate="K = %{y:.3f}<extra></extra>")
    fig.update_yaxes(title_text=w["k"], tickformat=".2f", rangemode="tozero")
    _x_axis(fig, "month", lang)
    return style(fig, legend=False)


def k_by_generation(k: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    rows = k.filter(pl.col("k_factor").is_not_null())
    fig = go.Figure()
    fig.add_bar(x=[str(g) for g in rows["generation"].to_list()], y=rows["k_factor"].to_list(), name=w["k"],
                marker_color=ORANGE, hovertemplate="K = %{y:.3f}<extra></extra>")
    fig.update_xaxes(title_text=w["generation"], type="category")
    fig.update_yaxes(title_text=w["k"], tickformat=".2f", rangemode="tozero")
    return style(fig, legend=False)


def referred_vs_organic_bars(frame: pl.DataFrame, lang: str = "zh") -> go.Figure:
    """Rates side by side (conversion, repeat, retention) for referred and organic members."""
    w = words(lang)
    metrics = ["conversion_90", "repeat_rate", "retention_90"]
    fig = go.Figure()
    for group, color in (("referred", ORANGE), ("organic", BLUE)):
        row = frame.filter(pl.col("group") == group)
        if row.is_empty():
            continue
        r = row.row(0, named=True)
        fig.add_bar(x=[w[m] for m in metrics], y=[r[m] for m in metrics], name=w[group], marker_color=color,
                    text=[f"{(r[m] or 0) * 100:.1f}%" for m in metrics], textposition="outside",
                    hovertemplate="%{x}: %{y:.1%}<extra>" + w[group] + "</extra>")
    fig.update_layout(barmode="group")
    fig.update_yaxes(tickformat=".0%", rangemode="tozero")
    return style(fig)
