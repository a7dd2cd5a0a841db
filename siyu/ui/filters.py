"""The date-range bar (quick ranges, start/end, grain, comparison) over the session's one filter state.

The global filters of a browser session are one `siyu.filter_state.GlobalFilters` kept under STATE in
st.session_state: every page reads and writes that value, and the URL is rewritten from it on every run
of every page (`keep_in_url`, called by app.py), so the filters follow the user through the sidebar and
into each page's share link. The URL is read once per session (a new tab, a reload, a shared link).

Widgets are views of the state, never its owner: each run sets their value from the state before drawing
them, and their on_change callbacks write back. (Streamlit 1.67 resets a widget's value on a page switch,
which is how `channel` used to fall off the URL when 留存 was clicked.) Dates reach SQL only as
`datetime.date` objects, as bound parameters.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import streamlit as st

from siyu.filter_state import EARLIEST, GRAINS, LATEST, PARAMS, GlobalFilters, from_params, parse_day  # noqa: F401
from siyu.metrics.periods import DateRange
from siyu.ranges import (  # noqa: F401 - pages use filters.*
    COMPARES,
    PRESETS,
    anchor_day,
    comparison_period,
    default_range,
    matching_preset,
    preset_range,
    previous_period,
    range_params,
)
from siyu.ui import cache
from siyu.ui.i18n import current_lang, t

STATE = "_siyu_filters"          # the session's GlobalFilters
_NOTICES = "_siyu_filter_notices"  # URL parameters dropped when the URL was read, shown once
_BOUNDS = "_siyu_bounds"         # the data span the range was chosen on
_START, _END = "f_start", "f_end"
# The pickers accept any day the browser can type: with narrower bounds it shows its own English
# "Date set outside allowed range" box. What the arithmetic allows (1990–2100) is checked in _on_day, in
# the user's language.
_PICK_MIN, _PICK_MAX = dt.date(1, 1, 1), dt.date(9999, 12, 31)


def current() -> GlobalFilters:
    """This session's global filters; on its first run, what the URL asks for."""
    state = st.session_state
    if not isinstance(state.get(STATE), GlobalFilters):
        filters, bad = from_params({name: st.query_params.get(name) for name in PARAMS})
        state[STATE], state[_NOTICES] = filters, bad
    return state[STATE]


def store(filters: GlobalFilters) -> None:
    st.session_state[STATE] = filters


def keep_in_url() -> None:
    """The global filters into this page's URL (app.py, every run of every page): a page that draws no
    filter still carries them in its address, its share link and on to the next page."""
    want = current().params()
    for name in PARAMS:
        if name in want:
            if st.query_params.get(name) != want[name]:
                st.query_params[name] = want[name]
        elif name in st.query_params:
            del st.query_params[name]


def show_url_notices() -> None:
    for name in st.session_state.pop(_NOTICES, None) or []:
        st.warning(t("bad_range") if name == "range" else t("bad_param", name=name))


# ---- callbacks: the widgets write the state -----------------------------------------------------------------
def _on_day(which: str) -> None:
    state = st.session_state
    day = state.get(_START if which == "start" else _END)
    filters = current()
    if not isinstance(day, dt.date) or not EARLIEST <= day <= LATEST:
        state["_siyu_day_notice"] = True  # drawn by the bar: the state keeps its old day
        return
    start, end = (day, filters.end) if which == "start" else (filters.start, day)
    if start is not None and end is not None and start > end:
        state["_siyu_swapped"] = True
        start, end = end, start
    store(replace(filters, start=start, end=end))


def _on_preset(key: str, anchor: dt.date, first: dt.date, last: dt.date) -> None:
    name = st.session_state.get(key)
    if name in PRESETS:
        rng = preset_range(name, anchor=anchor, first=first, last=last)
        store(replace(current(), start=rng.start, end=rng.end))


def _on_choice(key: str, field: str) -> None:
    store(replace(current(), **{field: st.session_state[key]}))


def _resolved(first: dt.date, last: dt.date, anchor: dt.date) -> DateRange:
    """The state's range, or the default one (12 months ending on the last order day) when it has none or
    the data changed under it (an import, the demo cleared: a range chosen for the old data means nothing)."""
    state = st.session_state
    filters = current()
    seen = state.get(_BOUNDS)
    state[_BOUNDS] = (first, last, anchor)
    if filters.start is None or filters.end is None or (seen is not None and seen != (first, last, anchor)):
        rng = default_range(first, anchor)
        store(replace(filters, start=rng.start, end=rng.end))
        return rng
    return DateRange(filters.start, filters.end)


def date_range_filter(first: dt.date, last: dt.date, *, show_grain: bool = True,
                      show_compare: bool = False, last_order: dt.date | None = None) -> tuple[DateRange, str]:
    """Draw the range bar; returns the range and grain in force (and writes them to the URL).
    show_grain=False: a page that draws nothing per period shows no grain switch (the grain is kept).
    last_order: the last order day (default: looked up), where the default range and the presets end."""
    state, lang = st.session_state, current_lang()
    if last_order is None:
        last_order = cache.load_last_order_day(*cache.page_context())
    anchor = anchor_day(last_order, last)
    show_url_notices()
    rng = _resolved(first, last, anchor)
    filters = current()

    if state.pop("_siyu_day_notice", False):
        st.warning(t("day_outside", lo=EARLIEST.isoformat(), hi=LATEST.isoformat()))
    if state.pop("_siyu_swapped", False):
        st.info(t("start_after_end"))
    c_preset, c_start, c_end, c_grain = st.columns([1, 1, 1, 2], vertical_alignment="bottom")
    preset_key = f"f_preset_{lang}"  # per language: a radio/select whose labels change shows no selection
    options = ("custom", *PRESETS)
    state[preset_key] = matching_preset(rng, anchor=anchor, first=first, last=last) or "custom"
    names = {name: t(f"preset_{name}") for name in options}  # resolved now: format_func also runs outside
    c_preset.selectbox(t("preset"), options, key=preset_key, format_func=names.__getitem__,
                       on_change=_on_preset, args=(preset_key, anchor, first, last),
                       help=t("preset_note", day=anchor.isoformat()))
    state[_START], state[_END] = rng.start, rng.end
    # Days outside the data are allowed (they show zeros, with a note below); days outside 1990–2100 are
    # refused by _on_day with a notice.
    c_start.date_input(t("start"), key=_START, min_value=_PICK_MIN, max_value=_PICK_MAX, format="YYYY-MM-DD",
                       on_change=_on_day, args=("start",))
    c_end.date_input(t("end"), key=_END, min_value=_PICK_MIN, max_value=_PICK_MAX, format="YYYY-MM-DD",
                     on_change=_on_day, args=("end",))
    with c_grain:
        if show_grain:
            grain_key = f"f_grain_{lang}"
            state[grain_key] = filters.grain
            grains = {g: t(f"grain_{g}") for g in GRAINS}
            st.radio(t("grain"), GRAINS, key=grain_key, format_func=grains.__getitem__, horizontal=True,
                     on_change=_on_choice, args=(grain_key, "grain"))
        if show_compare:
            compare_key = f"f_compare_{lang}"
            state[compare_key] = filters.compare
            compares = {c: t(f"compare_{c}") for c in COMPARES}
            st.radio(t("compare"), COMPARES, key=compare_key, format_func=compares.__getitem__, horizontal=True,
                     on_change=_on_choice, args=(compare_key, "compare"))
    if (rng.end or last) < first or (rng.start or first) > last:  # (a resolved range has both days)
        st.info(t("range_outside_data", first=first.isoformat(), last=last.isoformat()))
    keep_in_url()
    return rng, current().grain


def comparison(rng: DateRange) -> DateRange:
    """The period the KPI deltas compare with, by the session's comparison choice."""
    return comparison_period(rng, current().compare)
