"""Page-level choices mirrored in the URL (?cohort=joined&measure=revenue), so a copied link reopens the
same view. Values are taken from an allow-list only: anything else is dropped with a notice and never
reaches a metric or SQL."""

from __future__ import annotations

import streamlit as st

from siyu.ui.i18n import t


def _on_pick(key: str, saved_key: str) -> None:
    st.session_state[saved_key] = st.session_state[key]


def url_choice(label: str, name: str, options: tuple[str, ...], names: dict[str, str], *, default: str,
               container=None, disabled: bool = False) -> str:
    """A horizontal radio whose value lives in the URL parameter `name` (one radio per language: its
    option labels change with the language, and a radio whose labels change shows no selection). The value
    is kept under a plain session key and set into the widget before each draw: Streamlit resets a widget
    on a page switch, and the choice must still be there when the user comes back to the page."""
    from siyu.ui.i18n import current_lang

    state = st.session_state
    saved_key, key = f"_siyu_pick_{name}", f"pick_{name}_{current_lang()}"
    value = state.get(saved_key)
    if value not in options:
        raw = st.query_params.get(name)
        if raw is not None and raw not in options:
            st.warning(t("bad_param", name=name))
        value = state[saved_key] = raw if raw in options else default
    state[key] = value
    (container or st).radio(label, options, key=key, format_func=names.__getitem__, horizontal=True,
                            disabled=disabled, on_change=_on_pick, args=(key, saved_key))
    st.query_params[name] = value
    return value


def url_pick(prefix: str, name: str, options: tuple[str, ...], *, container=None, disabled: bool = False) -> str:
    """`url_choice` labelled by the page's own words: t("{prefix}_{name}") for the radio and
    t("{prefix}_{name}_{option}") for each option; the first option is the default."""
    return url_choice(t(f"{prefix}_{name}"), name, options, {k: t(f"{prefix}_{name}_{k}") for k in options},
                      default=options[0], container=container, disabled=disabled)
