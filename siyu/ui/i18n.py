"""The dashboard's words in 简体中文 (default) and English: `t(key, **values)`.

The language lives in st.session_state["lang"] (bound to the sidebar switch) and is mirrored in
the URL (?lang=en) so a copied link opens in the same language.
"""

from __future__ import annotations

import streamlit as st

LANGS = ("zh", "en")
LANG_KEY = "lang"
LANG_NAMES = {"zh": "简体中文", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    "app_title": {"zh": "siyu 私域分析", "en": "siyu private-domain analytics"},
    "language": {"zh": "语言 / Language", "en": "语言 / Language"},
    # pages
    "page_overview": {"zh": "总览", "en": "Overview"},
    "page_retention": {"zh": "留存", "en": "Retention"},
    "page_members": {"zh": "会员与等级", "en": "Members & tiers"},
    "page_referrals": {"zh": "裂变", "en": "Referrals"},
    "page_channels": {"zh": "渠道", "en": "Channels"},
    "page_segments": {"zh": "分群", "en": "Segments"},
    "page_import": {"zh": "导入", "en": "Import"},
    # demo data
    "demo_banner": {"zh": "当前显示的是演示数据 (demo data)。导入自己的数据前可以先清除它。",
                    "en": "You are looking at demo data (当前显示的是演示数据). Clear it before importing your own."},
    "demo_clear": {"zh": "清除演示数据", "en": "Clear demo data"},
    "demo_cleared": {"zh": "演示数据已清除；不会再自动生成。", "en": "Demo data cleared; it will not be rebuilt automatically."},
    "demo_building": {"zh": "数据库是空的，正在生成演示品牌（{members} 位会员）…",
                      "en": "The database is empty; building the demo brand ({members} members)…"},
    "demo_unavailable": {"zh": "演示数据生成器还不可用（siyu.demo）；请先导入数据。",
                         "en": "The demo generator (siyu.demo) is not available yet; import data instead."},
    # filters
    "start": {"zh": "开始日期", "en": "Start date"},
    "end": {"zh": "结束日期", "en": "End date"},
    "grain": {"zh": "时间粒度", "en": "Granularity"},
    "grain_month": {"zh": "月", "en": "Month"},
    "grain_week": {"zh": "周", "en": "Week"},
    "grain_day": {"zh": "日", "en": "Day"},
    "bad_param": {"zh": "网址参数 {name} 的值无效，已忽略，改用默认值。",
                  "en": "The URL parameter {name} was not valid and was ignored; using the default."},
    "bad_range": {"zh": "网址中的开始日期晚于结束日期，已忽略，改用默认范围。",
                  "en": "The URL's start date is after its end date; ignored, using the default range."},
    "start_after_end": {"zh": "开始日期晚于结束日期，已对调。", "en": "Start date was after end date; swapped."},
    "range_caption": {"zh": "{span}，对比上一个等长周期（{prev}）",
                      "en": "{span}, compared with the previous period of the same length ({prev})"},
    # KPIs
    "kpi_members": {"zh": "会员数", "en": "Members"},
    "kpi_members_help": {"zh": "截至结束日加入的全部会员（即虚荣人数）。",
                         "en": "Everyone who joined by the end day (the vanity headcount)."},
    "kpi_valid": {"zh": "有效私域用户", "en": "Valid private-domain users"},
    "kpi_valid_help": {"zh": "截至结束日仍是企业微信好友，或过去 180 天内有有效订单的会员。",
                       "en": "Members who at the end day are still a WeCom friend, or bought in the last 180 days."},
    "kpi_buyers": {"zh": "购买人数", "en": "Buyers"},
    "kpi_buyers_help": {"zh": "期间内至少有一笔有效订单的会员。", "en": "Members with at least one valid order in the range."},
    "kpi_orders": {"zh": "有效订单", "en": "Valid orders"},
    "kpi_orders_help": {"zh": "已付款、未取消、未全额退款的订单。", "en": "Paid, not cancelled, not fully refunded."},
    "kpi_gmv": {"zh": "GMV（净额）", "en": "GMV (net)"},
    "kpi_gmv_help": {"zh": "有效订单的实付减退款之和。", "en": "Paid minus refunded over valid orders."},
    "kpi_arpu": {"zh": "ARPU", "en": "ARPU"},
    "kpi_arpu_help": {"zh": "GMV（净额）÷ 购买人数。", "en": "Net GMV ÷ buyers."},
    "kpi_repurchase": {"zh": "复购率", "en": "Repurchase rate"},
    "kpi_repurchase_help": {"zh": "期间内在两个及以上不同日期下单的购买人数 ÷ 购买人数。",
                            "en": "Buyers with valid orders on two or more days in the range ÷ buyers."},
    "kpi_deleted": {"zh": "删除好友数", "en": "Friends deleted"},
    "kpi_deleted_help": {"zh": "期间内被删除（任一方删除）的好友关系。",
                         "en": "Friendships deleted (by either side) in the range."},
    "valid_vs_vanity": {"zh": "有效私域用户 {valid} / 虚荣人数 {vanity}（{share}），无效私域 {gap} 人",
                        "en": "Valid users {valid} of a vanity headcount of {vanity} ({share}); {gap} invalid"},
    # charts
    "chart_gmv_buyers": {"zh": "GMV 与购买人数", "en": "GMV and buyers"},
    "chart_members_deleted": {"zh": "新增会员与删除好友", "en": "New members and friends deleted"},
    "chart_valid_vanity": {"zh": "有效私域 vs 虚荣人数", "en": "Valid vs vanity headcount"},
    "download_csv": {"zh": "下载数据 (CSV)", "en": "Download data (CSV)"},
    # empty state
    "empty_title": {"zh": "还没有数据", "en": "No data yet"},
    "empty_body": {
        "zh": "这里的数字来自三类导出中的至少一类：\n\n"
              "- **企业微信客户列表**（客户联系 → 客户列表 → 导出）：会员、好友与删除\n"
              "- **订单导出**（有赞、Shopify 或通用 CSV/XLSX）：购买人数、GMV、复购\n"
              "- **会员导出**（有赞客户导出等）：等级与积分\n\n"
              "在「导入」页面上传，或运行 `python -m siyu import 文件.csv`；"
              "想先看看效果，运行 `python -m siyu demo` 生成演示数据。",
        "en": "These figures come from at least one of three exports:\n\n"
              "- **WeCom customer list** (客户联系 → 客户列表 → 导出): members, friends and deletions\n"
              "- **Order export** (Youzan, Shopify or a generic CSV/XLSX): buyers, GMV, repeat orders\n"
              "- **Member export** (e.g. Youzan customers): tiers and points\n\n"
              "Upload them on the Import page or run `python -m siyu import FILE.csv`; "
              "to look around first, run `python -m siyu demo` for demo data.",
    },
    "no_orders_in_range": {"zh": "所选期间没有有效订单。", "en": "No valid orders in the chosen range."},
    # coming pages
    "coming_title": {"zh": "{page}：开发中", "en": "{page}: coming"},
    "coming_intro": {"zh": "这个页面还没有做好。做好后它会显示：", "en": "This page is not built yet. When it is, it will show:"},
    "coming_issue": {"zh": "由 {issue} 带来。", "en": "It arrives with {issue}."},
    "coming_cli": {"zh": "现在就可以在命令行里算出数字：`{cmd}`", "en": "You can already compute the numbers on the command line: `{cmd}`"},
}


def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGS else "zh"


def t(key: str, **values: object) -> str:
    """The string `key` in the current language, with {placeholders} filled from `values`."""
    text = STRINGS[key][current_lang()]
    return text.format(**values) if values else text


def init_language(default: str) -> str:
    """Settle the language before anything is drawn: the switch's value, else ?lang=, else `default`."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        wanted = st.query_params.get("lang")
        st.session_state[LANG_KEY] = wanted if wanted in LANGS else (default if default in LANGS else "zh")
    lang = st.session_state[LANG_KEY]
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def language_switch() -> None:
    """The sidebar switch; its label and option names are bilingual so its identity never changes."""
    st.sidebar.radio(STRINGS["language"]["zh"], LANGS, key=LANG_KEY, format_func=LANG_NAMES.__getitem__,
                     horizontal=True)
