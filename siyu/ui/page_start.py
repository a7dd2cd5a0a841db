"""The opening every analysis page shares: context, data span, title, and the empty state."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from siyu.config import Settings
from siyu.ui import cache, widgets
from siyu.ui.cache import DbState
from siyu.ui.i18n import current_lang, t


def page_start(title_key: str) -> tuple[Settings, DbState, dt.date, dt.date, str]:
    """Settings, database state, the data's first and last day, and the language; draws the page
    title, and on an empty database the empty state, then stops the page run."""
    settings, state = cache.page_context()
    first, last = cache.load_bounds(settings, state)
    st.title(t(title_key))
    if first is None:
        widgets.empty_state()
        st.stop()
    return settings, state, first, last, current_lang()
