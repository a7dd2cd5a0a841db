"""Segment charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- segment_bars(summary): members per segment as bars, each segment's share of net spend as a line.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu.charts.members import bars_and_line
from siyu.charts.theme import style

LABELS = {
    "zh": {"members": "会员数", "monetary_share": "消费占比", "segment": "分群"},
    "en": {"members": "Members", "monetary_share": "Share of spend", "segment": "Segment"},
}
CLASSIC_ZH = {"Champions": "冠军客户", "Loyal Customers": "忠诚客户", "Potential Loyalists": "潜力忠诚客户",
              "New Customers": "新客户", "Promising": "有潜力客户", "Need Attention": "需关注客户",
              "About To Sleep": "即将沉睡客户", "At Risk": "有流失风险客户", "Can't Lose Them": "不能失去的客户",
              "Hibernating": "沉睡客户", "Lost": "已流失客户"}


CN_EN = {"重要价值客户": "Important value", "重要保持客户": "Important to retain",
         "重要发展客户": "Important to develop", "重要挽留客户": "Important to win back",
         "一般价值客户": "General value", "一般保持客户": "General to retain",
         "一般发展客户": "General to develop", "一般挽留客户": "General to win back"}
"""The Chinese 8-way split in English: 重要 = high monetary value, 一般 = low; 价值 = recent and frequent,
保持 = frequent but not recent, 发展 = recent but not frequent, 挽留 = neither."""


def segment_name(segment: str, lang: str = "zh") -> str:
    """Classic segments are named in English by the metric; Chinese readers get '冠军客户 Champions'.
    The Chinese 8-way split is named in Chinese; English readers get 'Important value (重要价值客户)'."""
    if lang == "zh" and segment in CLASSIC_ZH:
        return f"{CLASSIC_ZH[segment]} {segment}"
    if lang == "en" and segment in CN_EN:
        return f"{CN_EN[segment]} ({segment})"
    return segment


def segment_bars(summary: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = LABELS.get(lang, LABELS["zh"])
    names = [segment_name(s, lang) for s in summary["segment"].to_list()]
    fig = bars_and_line(names, summary["members"].to_list(), w["members"], summary["monetary_share"].to_list(),
                        w["monetary_share"], x_title=w["segment"], line_hover="%{y:.1%}", line_axis={"tickformat": ".0%"})
    # customdata [segment, members] on the bars and the line: a click on either names the segment
    keys = [[s, int(n)] for s, n in zip(summary["segment"].to_list(), summary["members"].to_list(), strict=True)]
    fig.update_traces(customdata=keys)
    return style(fig, height=400)
