"""Segment charts: a metric frame in, a Plotly figure out (Chinese labels by default); never st.*.

- segment_bars(summary): members per segment as bars, each segment's share of net spend as a line.
"""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from siyu import locales
from siyu.charts.members import bars_and_line
from siyu.charts.theme import style

# The segment codes the metrics write -> the catalog key of their words. Classic RFM names its segments in
# English (zh: 冠军客户, en: the code itself); the Chinese 8-way split names them in Chinese (en: the meaning:
# 重要 = high monetary value, 一般 = low; 价值 = recent and frequent, 保持 = frequent but not recent,
# 发展 = recent but not frequent, 挽留 = neither).
CLASSIC = {"Champions": "segment_name_champions", "Loyal Customers": "segment_name_loyal_customers",
           "Potential Loyalists": "segment_name_potential_loyalists", "New Customers": "segment_name_new_customers",
           "Promising": "segment_name_promising", "Need Attention": "segment_name_need_attention",
           "About To Sleep": "segment_name_about_to_sleep", "At Risk": "segment_name_at_risk",
           "Can't Lose Them": "segment_name_cant_lose_them", "Hibernating": "segment_name_hibernating",
           "Lost": "segment_name_lost"}
CHINESE = {"重要价值客户": "segment_name_important_value", "重要保持客户": "segment_name_important_to_retain",
           "重要发展客户": "segment_name_important_to_develop", "重要挽留客户": "segment_name_important_to_win_back",
           "一般价值客户": "segment_name_general_value", "一般保持客户": "segment_name_general_to_retain",
           "一般发展客户": "segment_name_general_to_develop", "一般挽留客户": "segment_name_general_to_win_back"}


def segment_name(segment: str, lang: str = "zh") -> str:
    """Classic segments are named in English by the metric; Chinese readers get '冠军客户 Champions'.
    The Chinese 8-way split is named in Chinese; English readers get 'Important value (重要价值客户)'."""
    if lang == "zh" and segment in CLASSIC:
        return f"{locales.text(CLASSIC[segment], lang)} {segment}"
    if lang == "en" and segment in CHINESE:
        return f"{locales.text(CHINESE[segment], lang)} ({segment})"
    return segment


def segment_bars(summary: pl.DataFrame, lang: str = "zh") -> go.Figure:
    w = locales.words("fig_segments_", lang)
    names = [segment_name(s, lang) for s in summary["segment"].to_list()]
    fig = bars_and_line(names, summary["members"].to_list(), w["members"], summary["monetary_share"].to_list(),
                        w["monetary_share"], x_title=w["segment"], line_hover="%{y:.1%}", line_axis={"tickformat": ".0%"})
    # customdata [segment, members] on the bars and the line: a click on either names the segment
    keys = [[s, int(n)] for s, n in zip(summary["segment"].to_list(), summary["members"].to_list(), strict=True)]
    fig.update_traces(customdata=keys)
    return style(fig, height=400)
