"""Membership-economics charts (积分 and 会员等级): a metric frame in, a Plotly figure out; never st.*.

- points_flow(flow): points issued per kind (up) and redeemed / expired (down), per period.
- comparison(summary, ...): treated vs matched control side by side (repurchase rate, GMV per member).
- cohort_lines(cohorts, column): one line per first tier over periods (retention or cumulative LTV).
- upgrade_curves(km): Kaplan–Meier step lines of the share not yet upgraded, one per tier.
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.theme import GREY, PALETTE, RED, style
from siyu.charts.ticks import money_axis


def words(lang: str) -> Mapping[str, str]:
    """The chart's words (catalog keys fig_membership_*; a point kind is kind_<kind>)."""
    return locales.words("fig_membership_", lang)


def points_flow(flow: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    fig = go.Figure()
    earned = flow.group_by("period", "kind").agg(pl.col("issued").sum()).filter(pl.col("issued") > 0)
    for i, kind in enumerate(sorted(earned["kind"].unique().to_list())):
        rows = earned.filter(pl.col("kind") == kind).sort("period")
        fig.add_bar(x=rows["period"].to_list(), y=rows["issued"].to_list(), name=w.get(f"kind_{kind}", kind),
                    marker_color=PALETTE[i % len(PALETTE)])
    out = flow.group_by("period").agg(pl.col("redeemed").sum(), pl.col("expired").sum()).sort("period")
    fig.add_bar(x=out["period"].to_list(), y=(-out["redeemed"]).to_list(), name=w["redeemed"], marker_color=GREY)
    fig.add_bar(x=out["period"].to_list(), y=(-out["expired"]).to_list(), name=w["expired"], marker_color=RED)
    fig.update_layout(barmode="relative")
    fig.update_yaxes(title_text=w["points"], separatethousands=True)
    return style(fig)


def comparison(summary: dict, treated: str, control: str, label: str, lang: str = "zh") -> go.Figure:
    """Two panels' worth of bars in one figure: repurchase rate (left axis) and GMV per member (right axis)."""
    w = words(lang)
    fig = go.Figure()
    names = [w["rate"], w["gmv"]]
    fig.add_bar(x=names[:1], y=[summary.get(f"{label}_repurchase")], name=treated, marker_color=PALETTE[0],
                offsetgroup=0, yaxis="y")
    fig.add_bar(x=names[:1], y=[summary.get("control_repurchase")], name=control, marker_color=GREY, offsetgroup=1,
                yaxis="y")
    fig.add_bar(x=names[1:], y=[summary.get(f"{label}_gmv")], name=treated, marker_color=PALETTE[0], offsetgroup=0,
                yaxis="y2", showlegend=False)
    fig.add_bar(x=names[1:], y=[summary.get("control_gmv")], name=control, marker_color=GREY, offsetgroup=1,
                yaxis="y2", showlegend=False)
    fig.update_layout(yaxis={"title": w["rate"], "tickformat": ".0%", "rangemode": "tozero"},
                      yaxis2={"title": w["gmv"], "overlaying": "y", "side": "right",
                              **money_axis([summary.get(f"{label}_gmv"), summary.get("control_gmv")], lang)},
                      barmode="group")
    return style(fig, height=320)


def cohort_lines(cohorts: pl.DataFrame, column: str, lang: str = "zh") -> go.Figure:
    w = words(lang)
    fig = go.Figure()
    for i, tier in enumerate(dict.fromkeys(cohorts["first_tier"].to_list())):
        rows = cohorts.filter(pl.col("first_tier") == tier).sort("period")
        fig.add_scatter(x=rows["period"].to_list(), y=rows[column].to_list(), mode="lines+markers", name=tier,
                        line={"color": PALETTE[i % len(PALETTE)]})
    fig.update_xaxes(title_text=w["k"], dtick=1)
    if column == "retention":
        fig.update_yaxes(title_text=w["retention"], tickformat=".0%", rangemode="tozero")
    else:  # money: ¥ ticks in 万 like every money axis (siyu.charts.ticks)
        fig.update_yaxes(title_text=w["ltv"], **money_axis(cohorts[column].to_list(), lang))
    return style(fig)


def upgrade_curves(km: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = words(lang)
    fig = go.Figure()
    for i, tier in enumerate(dict.fromkeys(km["tier"].to_list())):
        rows = km.filter(pl.col("tier") == tier).sort("days")
        fig.add_scatter(x=[0, *rows["days"].to_list()], y=[1.0, *rows["not_upgraded"].to_list()], mode="lines",
                        name=tier, line={"color": PALETTE[i % len(PALETTE)], "shape": "hv"})
    fig.update_xaxes(title_text=w["days"])
    fig.update_yaxes(title_text=w["not_upgraded"], tickformat=".0%", range=[0, 1.02])
    return style(fig)
