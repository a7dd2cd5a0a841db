"""The report's words: the dashboard's own catalogs (siyu/locales, no Streamlit), the report's keys
prefixed `report_`; and WeCom-safe plain text for the group-bot summary."""

from __future__ import annotations

from siyu.locales import has, text


def tr(key: str, lang: str, **values: object) -> str:
    """The catalog's words (siyu.locales), as the dashboard shows them; an unknown language reads as Chinese."""
    return text(key, lang, **values)


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
        return tr("report_no_filters", lang)
    sep = tr("report_filters_sep", lang)
    return tr("report_filters", lang, what=sep.join(
        f"{tr(f'report_f_{k}', lang) if has(f'report_f_{k}') else k} = {wecom_plain(v)}" for k, v in filters.items()))
