"""The date-range filter, mirrored in the URL (?start=2024-01-01&end=2024-12-31&grain=month).

A copied URL reopens the same view. URL values are parsed strictly (YYYY-MM-DD, an allow-listed
grain); anything else is dropped with a notice, so only `datetime.date` objects ever leave this
module and they reach SQL as bound parameters.
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from siyu.metrics.periods import DateRange
from siyu.ranges import default_range, previous_period, range_params  # noqa: F401 - pages use filters.*
from siyu.ui.i18n import current_lang, t

GRAINS = ("month", "week", "day")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Dates a brand's data can have; anything else (0001-01-01, 9999-12-31) would overflow the date arithmetic.
EARLIEST, LATEST = dt.date(1990, 1, 1), dt.date(2100, 12, 31)
_START, _END, _GRAIN = "f_start", "f_end", "f_grain"
_SAVED, _SAVED_GRAIN, _BOUNDS = "_siyu_range", "_siyu_grain", "_siyu_bounds"  # plain keys: they outlive the widgets


def parse_day(raw: object) -> dt.date | None:
    """A strict YYYY-MM-DD date between 1990 and 2100, or None for anything else (including hostile text)."""
    if not isinstance(raw, str) or not _ISO_DAY.fullmatch(raw):
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


def _from_url(default: DateRange) -> tuple[DateRange, list[str]]:
    notices: list[str] = []
    picked = {}
    for name, fallback in (("start", default.start), ("end", default.end)):
        raw = st.query_params.get(name)
        day = parse_day(raw)
        if raw is not None and day is None:
            notices.append(t("bad_param", name=name))
        picked[name] = day or fallback
    if picked["start"] > picked["end"]:
        notices.append(t("bad_range"))
        return default, notices
    return DateRange(picked["start"], picked["end"]), notices


def date_range_filter(first: dt.date, last: dt.date, *, show_grain: bool = True) -> tuple[DateRange, str]:
    """Draw start/end/grain controls; returns the chosen range and grain and writes them to the URL.
    show_grain=False: a page that draws nothing per period shows no grain switch (the grain is kept)."""
    state = st.session_state
    default = default_range(first, last)
    notices: list[str] = []
    seen = state.get(_BOUNDS)
    state[_BOUNDS] = (first, last)
    if seen is not None and seen != (first, last):
        # Different data (an import, the demo cleared): a range chosen for the old data means nothing.
        state[_START], state[_END], state[_SAVED] = default.start, default.end, default
    if state.get(_START) is None or state.get(_END) is None:
        saved = state.get(_SAVED)  # widgets forget their value when another page was shown
        if saved:
            rng = saved
        else:
            rng, notices = _from_url(default)
        state[_START], state[_END] = rng.start, rng.end
    # One radio per language: its option labels change with the language, and a radio whose labels
    # change under it shows no selection in the browser. The grain itself is kept in _SAVED_GRAIN.
    grain_key = f"{_GRAIN}_{current_lang()}"
    if state.get(grain_key) not in GRAINS:
        grain = state.get(_SAVED_GRAIN)
        if grain is None:
            raw = st.query_params.get("grain")
            if raw is not None and raw not in GRAINS:
                notices.append(t("bad_param", name="grain"))
            grain = raw if raw in GRAINS else "month"
        state[grain_key] = grain
    for notice in notices:
        st.warning(notice)

    lo = min(first, state[_START], state[_END])
    hi = max(last, state[_START], state[_END])
    c_start, c_end, c_grain = st.columns([1, 1, 2], vertical_alignment="bottom")
    c_start.date_input(t("start"), key=_START, min_value=lo, max_value=hi, format="YYYY-MM-DD")
    c_end.date_input(t("end"), key=_END, min_value=lo, max_value=hi, format="YYYY-MM-DD")
    names = {g: t(f"grain_{g}") for g in GRAINS}  # resolved now: format_func is also called outside the run
    if show_grain:
        c_grain.radio(t("grain"), GRAINS, key=grain_key, format_func=names.__getitem__, horizontal=True)

    start, end = state[_START], state[_END]
    if start > end:
        st.info(t("start_after_end"))
        start, end = end, start
    rng = DateRange(start, end)
    grain = state[_SAVED_GRAIN] = state[grain_key]
    state[_SAVED] = rng
    st.query_params.update({**range_params(rng), "grain": grain})
    return rng, grain
