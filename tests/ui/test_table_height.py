"""A table's height follows its rows up to the caller's cap (the 超级用户 list once showed two rows in a
fixed 360 px box). Streamlit's grid: 35 px per row, 35 px header, a 3 px frame."""

from __future__ import annotations

import polars as pl

from siyu.ui import tables


def test_fitted_height_by_hand():
    assert [tables.fitted_height(n, 360) for n in (0, 2, 8, 9, 500)] == [38, 108, 318, 353, 360]


def test_a_two_row_table_asks_for_two_rows_of_height(monkeypatch):
    asked = []
    monkeypatch.setattr(tables.st, "dataframe", lambda *a, **kw: asked.append(kw.get("height")))
    columns = {"display_name": ("col_name", "text"), "monetary": ("col_monetary", "money")}
    two = pl.DataFrame({"display_name": ["甲", "乙"], "monetary": [1.0, 2.0]})
    tables.table(two, columns, key="two", height=360)
    tables.table(pl.concat([two] * 20), columns, key="forty", height=360)
    tables.table(two, columns, key="plain")    # no cap: Streamlit's own height
    tables.record_table(two, {}, key="records", height=300)
    assert asked == [108, 360, None, 108]


def test_widths_and_a_pinned_column_reach_the_grid(monkeypatch):
    """A wide table keeps its columns on the page by widths (the header also as tooltip), and a record
    table can pin its name column while the rest scrolls."""
    asked = []
    monkeypatch.setattr(tables.st, "dataframe", lambda *a, **kw: asked.append(kw["column_config"]))
    columns = {"display_name": ("col_name", "text"), "monetary": ("col_monetary", "money")}
    two = pl.DataFrame({"display_name": ["甲", "乙"], "monetary": [1.0, 2.0]})
    tables.table(two, columns, key="w", widths={"display_name": 215})
    tables.record_table(two, {"display_name": "col_name", "monetary": "col_monetary"}, key="r",
                        widths={"monetary": 90}, pinned=("display_name",))
    short, records = ({c: {k: v for k, v in spec.items() if v is not None} if isinstance(spec, dict) else spec
                       for c, spec in config.items()} for config in asked)    # unset options left out
    assert short["display_name"] == {"label": "昵称", "width": 215, "help": "昵称"} and short["monetary"] == "净消费"
    assert records["display_name"] == {"label": "昵称", "pinned": True}
    assert records["monetary"] == {"label": "净消费", "width": 90, "help": "净消费"}
