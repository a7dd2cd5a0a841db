"""Sortable tables for the analysis pages: numeric columns stay numbers (so a click on a header sorts
them), labelled in the reader's language and formatted by column_config (¥, %, thousands).

    table(frame, columns, key=...)   columns: {name: (label key in the catalogs, kind)}
    kinds: "text", "int", "money" and "money2" (both ¥1,234.56: one money format on every page), "pct",
    "float", "date" (2024年3月5日 / 5 Mar 2024)

Money in a table is always written out in full (¥11,600.00), never ¥1.16万: a column is read by comparing
its cells, which needs one style per column, and a shared 万 unit would round a small channel's ¥93 to
¥0.01万. The compact 万/K forms are for cards, captions and chart labels, where one number is read alone.

Tables up to LAZY_ROWS rows are drawn through a pandas Styler: the grid shows siyu.format's text (and "—",
or the caller's `blanks` text, for a missing number instead of Streamlit's "None") while each column keeps
its numbers, so a click on a header still sorts by value. Longer tables use column_config formats.
"""

from __future__ import annotations

import math

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.privacy import mask_phones
from siyu.ui.i18n import STRINGS, current_lang, t
from siyu.ui.member_ids import own_ids

# pct columns are shown ×100 with one decimal (Streamlit's "percent" drops trailing zeros: 34% next to 47.38%).
LAZY_ROWS = 2_000
"""Tables longer than this are loaded lazily (st.dataframe(lazy=True)): the rows on screen are sent, sorting
runs on the server; the full list is in the page's download buttons."""

ROW_PX = 35
"""Height of one grid row, and of the header row, in Streamlit's data grid (its default row height)."""


def fitted_height(rows: int, cap: int) -> int:
    """A grid's height for `rows` rows, at most `cap` px: two super users in a 360 px box left it mostly empty;
    a short table now ends under its last row (header + rows + the 3 px frame) and a long one scrolls at `cap`."""
    return min(cap, (rows + 1) * ROW_PX + 3)


_FORMATS = {"int": "localized", "money": "¥%,.2f", "money2": "¥%,.2f", "pct": "%.1f%%", "float": "%,.2f"}
_DATE_FORMATS = {"zh": "YYYY年M月D日", "en": "D MMM YYYY"}  # moment.js, as siyu.format.date writes them


Width = str | int
"""A column's width: "small", "medium", "large" or pixels (st.column_config's ColumnWidth)."""


def column_config(columns: dict[str, tuple[str, str]], widths: dict[str, Width] | None = None) -> dict[str, object]:
    config: dict[str, object] = {}
    widths = widths or {}
    for name, (label, kind) in columns.items():
        width = widths.get(name)
        if kind == "text":
            config[name] = st.column_config.TextColumn(t(label), width=width)
        elif kind == "date":
            config[name] = st.column_config.DateColumn(t(label), format=_DATE_FORMATS.get(current_lang(), "YYYY-MM-DD"),
                                                       width=width)
        else:
            config[name] = st.column_config.NumberColumn(t(label), format=_FORMATS[kind], width=width)
    return config


def labelled(labels: dict[str, str], widths: dict[str, Width] | None = None) -> dict[str, object]:
    """{column: its header text}, or a column with that header and a width where `widths` names one (then
    the header is also its tooltip: a narrow column cuts a long header). Widths keep a wide table on the
    page: left to itself the grid sizes each column to its longest text and pushes the last ones off screen."""
    widths = widths or {}
    return {c: st.column_config.Column(text, width=widths[c], help=text) if c in widths else text
            for c, text in labels.items()}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))


def guarded(show, blank: str = "—"):
    """`show` for one cell, but a missing number (null, or the -inf `drawable` puts there) as `blank`, and a
    text `drawable` already wrote (a time column with a gap) as it is."""
    return lambda v: v if isinstance(v, str) else (blank if _missing(v) else show(v))


def drawable(data, lang: str):
    """A pandas frame the grid draws without "None": Streamlit's data grid draws a null cell as a grey
    "None" whatever the Styler's text for it (na_rep is ignored for nulls), so no cell may stay null.
    Missing numbers become -inf (they sort first, and `guarded` formats show them as "—" or the caller's
    reason); missing texts "—"; a date/time column with a gap becomes its text (it then sorts as text)."""
    from pandas.api.types import is_bool_dtype, is_datetime64_any_dtype, is_numeric_dtype

    data = data.copy()
    for column in data.columns:
        values = data[column]
        if not values.isna().any():
            continue
        if is_numeric_dtype(values) and not is_bool_dtype(values):
            data[column] = values.astype(float).fillna(-math.inf)
        elif is_datetime64_any_dtype(values):
            data[column] = ["—" if v is None or v != v else _plain_text(v, lang) for v in values.astype(object)]
        else:
            data[column] = values.astype(object).where(values.notna(), "—")
    return data


def cell_format(kind: str, lang: str, *, scaled: bool = True):
    """value -> text for one kind of column (pct values arrive ×100 when `scaled`, else as ratios)."""
    def pct(v: float) -> str:
        v = v if scaled else v * 100
        return "<0.1%" if 0 < v < 0.05 else f"{v:.1f}%"

    return {"int": lambda v: fmt.number(int(v), lang), "money": lambda v: fmt.money(v, lang),
            "money2": lambda v: fmt.money(v, lang), "pct": pct, "float": lambda v: f"{v:,.2f}",
            "date": lambda v: fmt.date(v.date() if hasattr(v, "date") else v, lang)}.get(kind)


def _styled(shown: pl.DataFrame, columns: dict[str, tuple[str, str]], blanks: dict[str, str]):
    lang = current_lang()
    data = drawable(shown.to_pandas(), lang)
    formats = {c: f for c, (_l, kind) in columns.items() if c in data.columns and (f := cell_format(kind, lang))}
    styler = data.style
    for column, show in formats.items():
        styler = styler.format(guarded(show, blanks.get(column, "—")), subset=[column])
    return styler


def table(frame: pl.DataFrame, columns: dict[str, tuple[str, str]], *, key: str, phone_columns: tuple[str, ...] = (),
          height: int | None = None, blanks: dict[str, str] | None = None,
          widths: dict[str, Width] | None = None) -> None:
    """The listed columns of `frame` in that order, sortable; phones masked whatever the role.
    height: the most px the grid takes (fewer rows: less, fitted_height); none: Streamlit's own (up to 10 rows).
    blanks: {column: text shown where the value is missing} (default "—"). widths: see `labelled`."""
    shown = own_ids(frame.select([c for c in columns if c in frame.columns]))  # members by their own ids
    if phone_columns:
        shown = mask_phones(shown, [c for c in phone_columns if c in shown.columns])
    pcts = [c for c, (_l, kind) in columns.items() if kind == "pct" and c in shown.columns]
    shown = shown.with_columns(pl.col(pcts) * 100) if pcts else shown
    bools = [c for c in shown.columns if shown[c].dtype == pl.Boolean]  # 是/否, never true/false
    shown = shown.with_columns(pl.col(bools).replace_strict({True: t("yes"), False: t("no")},
                                                            return_dtype=pl.String)) if bools else shown
    texts = [c for c, (_l, kind) in columns.items() if kind == "text" and c in shown.columns]
    shown = shown.with_columns(pl.col(texts).cast(pl.String).fill_null("—")) if texts else shown
    kwargs = {"height": fitted_height(shown.height, height)} if height else {}
    # Long lists (a segment's 140k members) go to the browser a screenful at a time, sorted on the server:
    # sending every row made the page wait seconds for the transfer and the grid. Short ones stay whole.
    lazy = shown.height > LAZY_ROWS
    if not lazy:
        st.dataframe(_styled(shown, columns, blanks or {}), hide_index=True,
                     column_config=labelled({c: t(label) for c, (label, _k) in columns.items() if c in shown.columns},
                                            widths), key=key, **kwargs)
        return
    shown = lazy_ready(shown, columns, blanks or {})
    kinds = {c: (label, "text" if c in shown.columns and shown[c].dtype == pl.String else kind)
             for c, (label, kind) in columns.items()}  # a column turned into words is drawn as text
    st.dataframe(shown, hide_index=True, column_config=column_config(kinds, widths), key=key, lazy=lazy,
                 placeholder="—", **kwargs)


def lazy_ready(shown: pl.DataFrame, columns: dict[str, tuple[str, str]], blanks: dict[str, str]) -> pl.DataFrame:
    """A long table for the lazy grid, which takes no Styler: NaN becomes null (the grid draws every null
    as the one `placeholder`, "—"), and a column with nothing but missing values and its own reason (an
    unknown P(alive)) becomes that text. A column only partly missing stays numeric so its header still
    sorts by value: there the grid's single placeholder "—" stands for the reason."""
    floats = [c for c in shown.columns if shown[c].dtype.is_float()]
    shown = shown.with_columns(pl.col(floats).fill_nan(None)) if floats else shown
    reasons = {c: text for c, text in blanks.items()
               if c in shown.columns and shown.height and shown[c].null_count() == shown.height}
    return shown.with_columns(pl.lit(text, dtype=pl.String).alias(c) for c, text in reasons.items())


def shaded_table(frame: pl.DataFrame, columns: dict[str, tuple[str, str]], shading: dict[str, bool], *, key: str,
                 selectable: bool = False, unshaded: tuple[int, ...] = ()) -> list[int]:
    """`table` with conditional colouring: each column in `shading` is shaded green (better) to red (worse);
    True means higher is better. Values stay numbers, so the headers still sort.
    selectable: a click on a row reruns the page; returns the selected row positions in `frame` (else []).
    unshaded: row positions left white and kept out of the colour scale (a row that is not comparable)."""
    from siyu.charts.channels import shade

    lang = current_lang()
    shown = frame.select([c for c in columns if c in frame.columns]).to_pandas()
    styler = drawable(shown, lang).style
    for column, good in shading.items():
        if column in shown.columns:
            values = [None if v != v or i in unshaded else v for i, v in enumerate(shown[column].tolist())]  # NaN -> None
            css = shade(values, good)
            styler = styler.apply(lambda _s, css=css: css, subset=[column])
    for column, (_l, kind) in columns.items():
        show = cell_format(kind, lang, scaled=False)
        if show is not None and column in shown.columns:
            styler = styler.format(guarded(show), subset=[column])
    config = {c: t(label) for c, (label, _k) in columns.items()}
    if not selectable:
        st.dataframe(styler, hide_index=True, column_config=config, key=key)
        return []
    event = st.dataframe(styler, hide_index=True, column_config=config, key=key, on_select="rerun",
                         selection_mode="single-row")
    return [int(r) for r in event.selection.rows if isinstance(r, int) and 0 <= r < frame.height]


def _plain_text(value: object, lang: str) -> str:
    """One cell of a record table: 是/否 for booleans, 2024年3月5日 14:05 for times, 9 for 9.0."""
    import datetime as dt

    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return f"{fmt.date(value, lang)} {value:%H:%M}"
    if isinstance(value, dt.date):
        return fmt.date(value, lang)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "—"
        return fmt.number(int(value), lang) if value.is_integer() else f"{value:,.2f}"
    if isinstance(value, int):
        return str(value)
    return str(value)


def record_table(frame: pl.DataFrame, labels: dict[str, str], *, key: str | None = None,
                 hide: tuple[str, ...] = (), height: int | None = None, widths: dict[str, Width] | None = None,
                 pinned: tuple[str, ...] = ()) -> None:
    """A table of records (accounts, the audit log, import batches, rejected cells): columns labelled by
    `labels` ({column: catalog key}), `hide` left out (internal ids, hashes), booleans as 是/否, times
    as 2024年3月5日 14:05, missing values as "—"; the values stay the frame's, so headers still sort.
    widths: see `labelled`; pinned: columns kept in view while the others scroll sideways."""
    lang = current_lang()
    shown = frame.drop([c for c in hide if c in frame.columns])
    data = drawable(shown.to_pandas(), lang)
    styler = data.style.format(lambda v: _plain_text(v, lang))
    kwargs = {"height": fitted_height(shown.height, height)} if height else {}
    config = labelled({c: t(labels[c]) for c in shown.columns if labels.get(c) in STRINGS}, widths)
    for column in pinned:  # stays in view while the rest scrolls sideways
        config[column] = st.column_config.Column(t(labels[column]), pinned=True, width=(widths or {}).get(column))
    st.dataframe(styler, hide_index=True, key=key, column_config=config, **kwargs)


ERROR_LABELS = {"row": "col_i_row", "column": "col_i_column", "value": "col_i_value", "message": "col_i_message"}
"""The import page's rejected-cell table (row, column, value, message), on screen."""
ERROR_COLUMNS = {c: (key, "int" if c == "row" else "text") for c, key in ERROR_LABELS.items()}
"""The same, for its CSV/XLSX (siyu.ui.export column labels and kinds)."""


def setting_text(value: object) -> str:
    """A setting's value for people: 未设置 for None, 是/否, 9 for 9.0."""
    if value is None:
        return t("not_set")
    return _plain_text(value, current_lang())
