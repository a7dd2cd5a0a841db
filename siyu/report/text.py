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
    "range_caption_year": {"zh": "{span}，对比去年同期（{prev}）", "en": "{span}, compared with the same period last year ({prev})"},
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
    "no_match": {"zh": "没有符合这些筛选条件的数据（数据库里有数据）。",
                 "en": "No data matches these filters (the database does hold data)."},
    "filters": {"zh": "筛选：{what}", "en": "Filters: {what}"},
    "no_filters": {"zh": "筛选：无（全部数据）", "en": "Filters: none (all data)"},
    "f_channel": {"zh": "渠道", "en": "channel"}, "f_tier": {"zh": "会员等级", "en": "tier"},
    "f_store": {"zh": "门店", "en": "store"}, "f_staff": {"zh": "导购", "en": "staff"},
}

TEXT = {**SHARED, **OWN}


def tr(key: str, lang: str, **values: object) -> str:
    text = TEXT[key]["en" if lang == "en" else "zh"]
    return text.format(**values) if values else text


# WeCom's group-bot Markdown documents no escape character, so a data value (a filter's channel or store name)
# has its markup signs replaced by their full-width forms: it reads the same and cannot become a link, a
# <font> tag, bold text or a heading in the group.
_WECOM_MARKUP = str.maketrans({"[": "［", "]": "］", "(": "（", ")": "）", "<": "＜", ">": "＞", "*": "＊",
                               "`": "｀", "_": "＿", "#": "＃", "!": "！", "\n": " ", "\r": " "})


def wecom_plain(value: object) -> str:
    return str(value).translate(_WECOM_MARKUP)


def filters_line(filters: dict[str, str] | None, lang: str) -> str:
    """`筛选：渠道 = 门店；门店 = 上海店` (values as plain text for WeCom), or that there is none."""
    if not filters:
        return tr("no_filters", lang)
    sep = "；" if lang != "en" else "; "
    return tr("filters", lang, what=sep.join(f"{tr('f_' + k, lang) if 'f_' + k in TEXT else k} = {wecom_plain(v)}"
                                            for k, v in filters.items()))
