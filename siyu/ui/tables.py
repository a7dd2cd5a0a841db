"""Sortable tables for the analysis pages: numeric columns stay numbers (so a click on a header sorts
them), labelled in the reader's language and formatted by column_config (¥, %, thousands).

    table(frame, columns, key=...)   columns: {name: (label key in page_text, kind)}
    kinds: "text", "int", "money" (¥, whole yuan in the grid), "money2" (¥ with fen), "pct", "float", "date"
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu.privacy import mask_phones
from siyu.ui.i18n import t
from siyu.ui.member_ids import own_ids

# pct columns are shown ×100 with one decimal (Streamlit's "percent" drops trailing zeros: 34% next to 47.38%).
LAZY_ROWS = 2_000
"""Tables longer than this are loaded lazily (st.dataframe(lazy=True)): the rows on screen are sent, sorting
runs on the server; the full list is in the page's download buttons."""

_FORMATS = {"int": "localized", "money": "yen", "money2": "¥%.2f", "pct": "%.1f%%", "float": "%.2f"}


def column_config(columns: dict[str, tuple[str, str]]) -> dict[str, object]:
    config: dict[str, object] = {}
    for name, (label, kind) in columns.items():
        if kind == "text":
            config[name] = st.column_config.TextColumn(t(label))
        elif kind == "date":
            config[name] = st.column_config.DateColumn(t(label), format="YYYY-MM-DD")
        else:
            config[name] = st.column_config.NumberColumn(t(label), format=_FORMATS[kind])
    return config


def table(frame: pl.DataFrame, columns: dict[str, tuple[str, str]], *, key: str, phone_columns: tuple[str, ...] = (),
          height: int | None = None) -> None:
    """The listed columns of `frame` in that order, sortable; phones masked whatever the role."""
    shown = own_ids(frame.select([c for c in columns if c in frame.columns]))  # members by their own ids
    if phone_columns:
        shown = mask_phones(shown, [c for c in phone_columns if c in shown.columns])
    pcts = [c for c, (_l, kind) in columns.items() if kind == "pct" and c in shown.columns]
    shown = shown.with_columns(pl.col(pcts) * 100) if pcts else shown
    texts = [c for c, (_l, kind) in columns.items() if kind == "text" and c in shown.columns]
    shown = shown.with_columns(pl.col(texts).cast(pl.String).fill_null("—")) if texts else shown
    kwargs = {"height": height} if height else {}
    # Long lists (a segment's 140k members) go to the browser a screenful at a time, sorted on the server:
    # sending every row made the page wait seconds for the transfer and the grid. Short ones stay whole.
    lazy = shown.height > LAZY_ROWS
    st.dataframe(shown, hide_index=True, column_config=column_config(columns), key=key, lazy=lazy, **kwargs)


_STYLER_FORMATS = {"int": "{:,.0f}", "money": "¥{:,.0f}", "money2": "¥{:,.2f}", "pct": "{:.1%}", "float": "{:.2f}"}


def shaded_table(frame: pl.DataFrame, columns: dict[str, tuple[str, str]], shading: dict[str, bool], *, key: str) -> None:
    """`table` with conditional colouring: each column in `shading` is shaded green (better) to red (worse);
    True means higher is better. Values stay numbers, so the headers still sort."""
    from siyu.charts.channels import shade

    shown = frame.select([c for c in columns if c in frame.columns]).to_pandas()
    styler = shown.style
    for column, good in shading.items():
        if column in shown.columns:
            values = [None if v != v else v for v in shown[column].tolist()]  # NaN -> None
            css = shade(values, good)
            styler = styler.apply(lambda _s, css=css: css, subset=[column])
    formats = {c: _STYLER_FORMATS[kind] for c, (_l, kind) in columns.items() if kind in _STYLER_FORMATS and c in shown}
    styler = styler.format(formats, na_rep="—")
    st.dataframe(styler, hide_index=True, column_config={c: t(label) for c, (label, _k) in columns.items()}, key=key)
