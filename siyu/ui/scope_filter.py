"""The global filters beyond the date range — channel, tier, store, staff — part of the session's one
filter state (siyu/ui/filters.py), mirrored in the URL (?channel=门店&tier=黑金会员&store=…&staff=…), and
the copy-share-link box.

A URL value is accepted only when it is one of the values the database holds (queries/pg_scope_options.sql):
anything else is dropped with a notice. Accepted values become a frozen siyu.db.scope.Scope, which the
cache passes to siyu.db.scope.apply_scope, where they are bound as parameters, never formatted into SQL.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.db.scope import FILTERS, Scope
from siyu.ui import filters
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal


def _picked(options: pl.DataFrame, kind: str) -> tuple[list[str], dict[str, str]]:
    rows = options.filter(pl.col("kind") == kind)
    lang = current_lang()
    labels = {r["value"]: (r["label"] if r["label"] == r["value"] else f"{r['label']} ({r['value']})")
              + ("" if r["n"] is None else f" · {fmt.number(r['n'], lang)}")  # a saved segment has no fixed size
              for r in rows.iter_rows(named=True)}
    return rows["value"].to_list(), labels


def _on_scope(key: str, kind: str) -> None:
    filters.store(filters.current().with_scope(**{kind: st.session_state.get(key)}))


def global_filters(options: pl.DataFrame) -> Scope:
    """Draw the four filters (in an expander under the date range) and return the scope in force: the
    session's filter state (siyu/ui/filters.py), less any value the database does not hold."""
    state = st.session_state
    filters.show_url_notices()
    chosen = filters.current().scope_values()
    for kind in FILTERS:
        values, _ = _picked(options, kind)
        if chosen[kind] is not None and chosen[kind] not in values:
            st.warning(t("bad_param", name=kind))  # a typed or stale value: not in this data
            chosen[kind] = None
    filters.store(filters.current().with_scope(**chosen))
    on = sum(value is not None for value in chosen.values())
    with st.expander(t("scope_active", n=on) if on else t("scope_title"), expanded=False):
        cols = st.columns(len(FILTERS))
        for col, kind in zip(cols, FILTERS, strict=True):
            values, labels = _picked(options, kind)
            all_label = t("scope_all")
            key = f"scope_{kind}"
            state[key] = chosen[kind]  # the widget shows the state (it is reset on a page switch otherwise)
            col.selectbox(t(f"scope_{kind}"), [None, *values], key=key, on_change=_on_scope, args=(key, kind),
                          format_func=lambda v, labels=labels, all_label=all_label: all_label if v is None else labels[v],
                          disabled=not values)
        st.markdown(f":gray[{t('scope_note')}]")  # markdown, not caption: pages number their captions
    filters.keep_in_url()
    scope = Scope(**chosen)
    if not scope.empty:
        st.caption(t("scope_caption", what="，".join(f"{t(f'scope_{k}')}：{literal(v)}" for k, v in scope.key())))
    return scope


def share_link() -> None:
    """The address of this exact view (page, range, filters, language), with Streamlit's copy button."""
    try:
        url = st.context.url
    except Exception:  # no browser context
        url = None
    base = urlsplit(url if isinstance(url, str) and url else "http://127.0.0.1:8501/")  # AppTest has no URL
    query = urlencode({k: st.query_params[k] for k in st.query_params})
    st.caption(t("share_link"))
    st.code(urlunsplit((base.scheme, base.netloc, base.path, query, "")), language=None, wrap_lines=True)
