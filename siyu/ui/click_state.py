"""A chart click that moves a picker: applied once per click, so the picker stays free afterwards."""

from __future__ import annotations

from collections.abc import Hashable

import streamlit as st


def apply_click(picked: Hashable | None, stem: str, applied_key: str, picks: dict[str, object], *,
                drawn: bool = True) -> None:
    """When `picked` (what the click names, None for no click) is new for this view (`stem`), set each
    widget key of `picks` to its value; remember the click under `applied_key` (forgotten without a click).
    drawn=False: the click names nothing the page drew (forged): ignored."""
    if picked is None:
        st.session_state.pop(applied_key, None)
    elif drawn and st.session_state.get(applied_key) != (stem, picked):
        st.session_state[applied_key] = (stem, picked)
        for key, value in picks.items():
            st.session_state[key] = value
