"""The honest placeholder for pages that are not built yet: what they will show and which work brings them."""

from __future__ import annotations

import streamlit as st

from siyu.metrics.registry import REGISTRY
from siyu.ui.i18n import current_lang, t

# page -> (what it will show, in zh and en; who brings it; metrics it will draw)
PLANS: dict[str, tuple[dict[str, list[str]], dict[str, str], tuple[str, ...]]] = {
    "retention": (
        {"zh": ["按首单月或加入月划分的同期群留存热力图（人数与收入）", "累计 LTV 曲线，未结束的周期单独标出",
                "会员生命周期：新客、活跃、沉睡、流失"],
         "en": ["Cohort retention heatmaps by first-order or join month (members and revenue)",
                "Cumulative LTV curves, unfinished periods marked", "Lifecycle: new, active, lapsing, lost"]},
        {"zh": "同期群分析的开发任务（cohort 指标）", "en": "the cohort-analytics work"},
        ("retention", "lifecycle"),
    ),
    "members": (
        {"zh": ["各等级的会员数、GMV 与 ARPU", "等级之间的迁移（基于每次会员导出的快照）",
                "超级用户：GMV 集中度（前 1%/5%/20%）、洛伦兹曲线与基尼系数"],
         "en": ["Members, GMV and ARPU per tier", "Migration between tiers across member-export snapshots",
                "Super users: GMV concentration (top 1%/5%/20%), Lorenz curve and Gini"]},
        {"zh": "同期群分析的开发任务（tiers、concentration 指标）", "en": "the cohort-analytics work (tiers, concentration)"},
        ("tiers", "concentration"),
    ),
    "referrals": (
        {"zh": ["推荐关系森林：树的规模与深度", "按周期和代际的 K 因子",
                "被推荐会员与自然会员的转化、留存与 LTV 对比"],
         "en": ["The referral forest: tree sizes and depths", "K-factor per period and per generation",
                "Referred vs organic members: conversion, retention and LTV"]},
        {"zh": "社群分析的开发任务（referrals 指标）", "en": "the community-analytics work (referrals)"},
        ("referrals",),
    ),
    "channels": (
        {"zh": ["各引流渠道的新增、1/7/30 天内删除、30/90 天转化", "90 天人均净收入与复购率",
                "券后零元首单占比（羊毛党信号），上传成本后的有效会员成本与 ROI"],
         "en": ["Per channel: members added, deleted within 1/7/30 days, converted within 30/90 days",
                "90-day net revenue per member and repeat rate",
                "Share of coupon-only first orders (coupon hunters); cost per valid member and ROI once costs are uploaded"]},
        {"zh": "社群分析的开发任务（channels、friend survival 指标）", "en": "the community-analytics work (channels)"},
        ("channels",),
    ),
    "segments": (
        {"zh": ["RFM 概要（频次、最近一次、观察期、客单价）", "经典 RFM 分群与中国式八分群（重要价值……一般挽留），切分点可调",
                "BG/NBD 预测购买次数与存活概率"],
         "en": ["RFM summary (frequency, recency, T, monetary value)",
                "Classic RFM segments and the Chinese 8-way split, with adjustable cut-offs",
                "BG/NBD predicted purchases and P(alive)"]},
        {"zh": "同期群分析的开发任务（rfm、rfm_segments 指标）", "en": "the cohort-analytics work (rfm, rfm_segments)"},
        ("rfm", "rfm_segments"),
    ),
    "import": (
        {"zh": ["上传企业微信客户列表、有赞/Shopify 订单和会员导出（CSV/XLSX，GBK 或 UTF-8）",
                "导入前逐行报告问题（行、列、怎么改），无法识别的表头可手动对应", "导入历史与撤销"],
         "en": ["Upload WeCom customer lists, Youzan/Shopify orders and member exports (CSV/XLSX, GBK or UTF-8)",
                "A report of every problem before anything is written (row, column, how to fix); map unknown headers by hand",
                "Import history and undo"]},
        {"zh": "issue #3（导入）", "en": "issue #3 (import)"},
        (),
    ),
}


def coming_soon(page: str) -> None:
    """Title, what the page will show, which work brings it, and any metric already computable in the CLI."""
    lang = current_lang()
    shows, brings, metrics = PLANS[page]
    st.title(t("coming_title", page=t(f"page_{page}")))
    st.markdown(t("coming_intro") + "\n\n" + "\n".join(f"- {line}" for line in shows[lang]))
    st.caption(t("coming_issue", issue=brings[lang]))
    ready = [name for name in metrics if name in REGISTRY]
    if ready:
        st.caption(t("coming_cli", cmd=f"python -m siyu metric {ready[0]}"))
    elif page == "import":
        st.caption(t("coming_cli", cmd="python -m siyu import FILE.csv"))
