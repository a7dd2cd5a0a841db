"""Demo data: build it once on an empty database (Settings.autodemo), say so on every page, let it be cleared.

Clearing deletes the demo rows (queries/clear_demo.sql) and writes a 'demo_cleared' marker batch in the
same transaction, so autodemo never rebuilds the demo afterwards, in this or any other process.
"""

from __future__ import annotations

import threading

import streamlit as st

from siyu.auth import audit
from siyu.config import Settings
from siyu.db import execute, writing
from siyu.ui import cache
from siyu.ui.i18n import t

# Two sessions opening an empty database at once must not both build the demo.
_BUILD_LOCK = threading.Lock()
_CLEARED_NOTICE = "_siyu_demo_cleared_notice"


def clear_demo(settings: Settings, user: str = "dashboard") -> None:
    """Remove every demo row and remember that it was removed; one transaction, audited."""
    with writing(settings.db, settings.lock_timeout) as con:
        execute(con, "clear_demo")
        execute(con, "mark_demo_cleared", {"imported_by": "dashboard"})
        audit.write(con, user, "demo_cleared")


def _build_demo(settings: Settings) -> cache.DbState:
    with _BUILD_LOCK:
        state = cache.db_state(settings)  # another session may have built it while we waited
        if not state.wants_demo:
            return state
        try:
            from siyu.demo import write_demo
        except ImportError:
            st.info(t("demo_unavailable"))
            return state
        with st.spinner(t("demo_building", members=f"{settings.demo_members:,}")):
            write_demo(settings.db, members=settings.demo_members, seed=settings.demo_seed,
                       timeout=settings.lock_timeout)
        return cache.db_state(settings)


def demo_state(settings: Settings) -> cache.DbState:
    """The database's state after autodemo (builds the demo on an empty database); draws nothing else."""
    state = cache.db_state(settings)
    if state.wants_demo and settings.autodemo:
        state = _build_demo(settings)
    return state


def demo_banner(settings: Settings, state: cache.DbState, *, can_clear: bool, open_demo: bool = False,
                user: str = "dashboard") -> None:
    """The demo banner on every page; its clear button only for those allowed to delete data (admins).
    `open_demo`: the visitor was let in without a password, and the banner says so."""
    if st.session_state.pop(_CLEARED_NOTICE, False):
        st.success(t("demo_cleared"))
    if state.is_demo:
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.warning(t("demo_banner"), icon=":material/science:")
        if open_demo:
            text.caption(t("demo_open"))
        if can_clear and button.button(t("demo_clear"), key="demo_clear"):
            clear_demo(settings, user)
            st.session_state[_CLEARED_NOTICE] = True
            st.rerun()


def demo_guard(settings: Settings, *, can_clear: bool = True) -> cache.DbState:
    """demo_state + demo_banner (kept for callers that want both)."""
    state = demo_state(settings)
    demo_banner(settings, state, can_clear=can_clear)
    return state
