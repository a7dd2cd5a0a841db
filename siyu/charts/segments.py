"""Segment charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- segment_bars(summary): members per segment as bars, each segment's share of net spend as a line.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu.charts.members import bars_and_line, style

LABELS = {
    "zh": {"members": "会员数", "monetary_share": "消费占比", "segment": "分群"},
    "en": {"members": "Members", "monetary_share": "Share of spend", "segment": "Segment"},
}
CLASSIC_ZH = {"Champions": "冠军客户", "Loyal Customers": "忠诚客户", "Potential Loyalists": "潜力忠诚客户",
              "New Customers": "新客户", "Promising": "有潜力客户", "Need Attention": "需关注客户",
              "About To Sleep": "即将沉睡客户", "At Risk": "有流失风险客户", "Can't Lose Them": "不能失去的客户",
              "Hibernating": "沉睡客户", "Lost": "已流失客户"}


def segment_name(segment: str, lang: str = "zh") -> str:
    """Classic segments are named in English by the metric; Chinese readers get '冠军客户 Champions'."""
    if lang == "zh" and segment in CLASSIC_ZH:
        return f"{CLASSIC_ZH[segment]} {segment}"
    return segment


def segment_bars(summary: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = LABELS.get(lang, LABELS["zh"])
    names = [segment_name(s, lang) for s in summary["segment"].to_list()]
    return style(bars_and_line(names, summary["members"].to_list(), w["members"], summary["monetary_share"].to_list(),
                               w["monetary_share"], x_title=w["segment"], line_hover="%{y:.1%}",
                               line_axis={"tickformat": ".0%"}), height=400)
