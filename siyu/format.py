"""Numbers, money, percentages and dates as a Chinese (or English) reader expects them.

Pure functions, no streamlit: the dashboard, the CLI and reports all format through here.
Money arrives in yuan (metrics divide cents by 100). Compact forms use 万 (10^4) and 亿 (10^8) in
Chinese and K/M/B in English, and only from 10,000 up, where a reader would say it that way.
"""

from __future__ import annotations

import datetime as dt
import math

LANGS = ("zh", "en")
_EN_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_DASH = "—"


def _lang(lang: str) -> str:
    return lang if lang in LANGS else "zh"


def _bad(value: float | int | None) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def _compact(value: float, lang: str) -> str | None:
    """'123.4万' / '1.23亿' / '12.3K' for |value| >= 10,000, else None (write it out in full)."""
    size = abs(value)
    if size < 10_000:
        return None
    if _lang(lang) == "zh":
        if size >= 1e8:
            return f"{value / 1e8:,.2f}亿"
        scaled = value / 1e4
        # 1.23万 but 123.4万: about four significant figures; 10000.0万 would read as 1亿.
        if abs(round(scaled, 1)) >= 10_000:
            return f"{value / 1e8:,.2f}亿"
        return f"{scaled:,.2f}万" if abs(round(scaled, 2)) < 10 else f"{scaled:,.1f}万"
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= limit:
            scaled = value / limit
            return f"{scaled:,.2f}{suffix}" if abs(round(scaled, 2)) < 10 else f"{scaled:,.1f}{suffix}"
    return None  # pragma: no cover - size >= 10,000 always matches K


def number(value: float | int | None, lang: str = "zh", *, compact: bool = False) -> str:
    """Counts: 1,234 (or 1.2万 when compact and large). None/NaN -> '—'."""
    if _bad(value):
        return _DASH
    if compact:
        short = _compact(float(value), lang)
        if short is not None:
            return short
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    return f"{int(value):,}"


def money(yuan: float | int | None, lang: str = "zh", *, compact: bool = False) -> str:
    """¥1,234.56; compact ¥123.4万 / ¥1.23亿 (zh), ¥1.23M (en). Negative: -¥12.00."""
    if _bad(yuan):
        return _DASH
    sign = "-" if yuan < 0 else ""
    size = abs(float(yuan))
    if compact:
        short = _compact(size, lang)
        if short is not None:
            return f"{sign}¥{short}"
    return f"{sign}¥{size:,.2f}"


def percent(ratio: float | None, lang: str = "zh", *, digits: int = 1) -> str:
    """A ratio as a percentage: 0.1234 -> 12.3%."""
    if _bad(ratio):
        return _DASH
    return f"{ratio * 100:.{digits}f}%"


def change(current: float | None, previous: float | None, lang: str = "zh") -> str | None:
    """Relative change for a metric delta: '+12.3%' / '-4.0%'; None when there is nothing to compare with."""
    if _bad(current) or _bad(previous) or previous == 0:
        return None
    rel = (current - previous) / abs(previous)
    return f"{rel * 100:+.1f}%"


def points(current: float | None, previous: float | None, lang: str = "zh") -> str | None:
    """Change of a rate in percentage points: '+1.5个百分点' / '+1.5 pp'; None without a previous value."""
    if _bad(current) or _bad(previous):
        return None
    diff = (current - previous) * 100
    return f"{diff:+.1f}个百分点" if _lang(lang) == "zh" else f"{diff:+.1f} pp"


def month(day: dt.date | None, lang: str = "zh") -> str:
    """2024年3月 / Mar 2024."""
    if day is None:
        return _DASH
    return f"{day.year}年{day.month}月" if _lang(lang) == "zh" else f"{_EN_MONTHS[day.month - 1]} {day.year}"


def date(day: dt.date | None, lang: str = "zh") -> str:
    """2024年3月5日 / 5 Mar 2024."""
    if day is None:
        return _DASH
    if isinstance(day, dt.datetime):
        day = day.date()
    if _lang(lang) == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_EN_MONTHS[day.month - 1]} {day.year}"


def date_span(start: dt.date, end: dt.date, lang: str = "zh") -> str:
    """2024年3月5日 至 2024年6月30日 / 5 Mar 2024 – 30 Jun 2024."""
    sep = " 至 " if _lang(lang) == "zh" else " – "
    return f"{date(start, lang)}{sep}{date(end, lang)}"


__all__ = ["change", "date", "date_span", "money", "month", "number", "percent", "points"]
