"""Addresses that are not a page of their own but should open one.

Streamlit serves the default page (总览) at the app root and answers its own pathname with an English
"Page not found" box; people type or bookmark /overview all the same. A hidden page takes that pathname
and switches to the overview, keeping the query (filters, language).
"""

from __future__ import annotations

import streamlit as st

OVERVIEW_ALIASES = ("overview",)
HOME_PATH = "home"  # the default page's own pathname (never shown: the default page lives at /)


def _to_default(page: st.Page):
    def open_default() -> None:
        st.switch_page(page, query_params={k: st.query_params.get_all(k) for k in st.query_params})

    return open_default


def with_aliases(pages: list[st.Page]) -> list[st.Page]:
    """`pages` with a hidden page per alias that opens the default page (first, so the real pages win
    any lookup by title or path)."""
    default = next((page for page in pages if page.url_path == ""), None)  # the default page's path is ""
    if default is None:
        return pages
    aliases = [st.Page(_to_default(default), title=default.title, url_path=alias, visibility="hidden")
               for alias in OVERVIEW_ALIASES]
    return [*aliases, *pages]
