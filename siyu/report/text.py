"""The report's words. Those it shares with the dashboard must read the same as in siyu/ui/i18n.py
(tests/report checks it); this module exists so the report needs no Streamlit."""

from __future__ import annotations

SHARED = {
    "app_title": {"zh": "siyu 私域分析", "en": "siyu private-domain analytics"},
    "page_overview": {"zh": "总览", "en": "Overview"},
    "kpi_members": {"zh": "会员数", "en": "Members"},
    "kpi_valid": {"zh": "有效私域用户", "en": "Valid private-domain users"},
    "kpi_buyers": {"zh": "购买人数", "en": "Buyers"},
    "kpi_orders": {"zh": "有效订单", "en": "Valid orders"},
    "kpi_gmv": {"zh": "GMV（净额）", "en": "GMV (net)"},
    "kpi_arpu": {"zh": "ARPU", "en": "ARPU"},
    "kpi_repurchase": {"zh": "复购率", "en": "Repurchase rate"},
    "kpi_deleted": {"zh": "删除好友数", "en": "Friends deleted"},
    "range_caption": {"zh": "{span}，对比上一个等长周期（{prev}）",
                      "en": "{span}, compared with the previous period of the same length ({prev})"},
    "valid_vs_vanity": {"zh": "有效私域用户 {valid} / 虚荣人数 {vanity}（{share}），无效私域 {gap} 人",
                        "en": "Valid users {valid} of a vanity headcount of {vanity} ({share}); {gap} invalid"},
    "chart_gmv_buyers": {"zh": "GMV 与购买人数", "en": "GMV and buyers"},
    "chart_members_deleted": {"zh": "新增会员与删除好友", "en": "New members and friends deleted"},
    "chart_valid_vanity": {"zh": "有效私域 vs 虚荣人数", "en": "Valid vs vanity headcount"},
    "no_orders_in_range": {"zh": "所选期间没有有效订单。", "en": "No valid orders in the chosen range."},
}

OWN = {
    "report_title": {"zh": "总览报告", "en": "Overview report"},
    "generated": {"zh": "{at} 由 {by} 生成 · siyu {version} · 只含汇总数字，不含会员明细",
                  "en": "Generated {at} by {by} · siyu {version} · aggregate figures only, no member-level data"},
    "demo": {"zh": "演示数据 (demo data)", "en": "Demo data (演示数据)"},
    "grain": {"zh": "时间粒度：{g}", "en": "Granularity: {g}"},
    "grain_month": {"zh": "月", "en": "month"}, "grain_week": {"zh": "周", "en": "week"},
    "grain_day": {"zh": "日", "en": "day"},
    "no_data": {"zh": "数据库里还没有数据。", "en": "The database holds no data yet."},
}

TEXT = {**SHARED, **OWN}


def tr(key: str, lang: str, **values: object) -> str:
    text = TEXT[key]["en" if lang == "en" else "zh"]
    return text.format(**values) if values else text
