"""Missing values in tables: no null reaches the grid (Streamlit draws a null as a grey "None" whatever the
Styler's text), each is shown as "—" or the caller's reason, and numbers keep their order."""

from __future__ import annotations

import datetime as dt
import json
import math

import polars as pl

from siyu.ui import tables


def test_missing_numbers_texts_and_times_are_drawable_with_their_reason():
    frame = pl.DataFrame({"arpu": [12.5, None, 1972.52], "role": ["admin", None, "viewer"],
                          "locked": [None, dt.datetime(2024, 3, 5, 14, 5), None]})
    data = tables.drawable(frame.to_pandas(), "zh")
    assert not data.isna().any().any()
    assert data["arpu"].tolist() == [12.5, -math.inf, 1972.52]  # still numbers: the header sorts them
    assert data["role"].tolist() == ["admin", "—", "viewer"]
    assert data["locked"].tolist() == ["—", "2024年3月5日 14:05", "—"]
    show = tables.guarded(lambda v: f"¥{v:,.2f}", "— 无购买人")
    assert [show(v) for v in data["arpu"]] == ["¥12.50", "— 无购买人", "¥1,972.52"]


def _long_table_page():
    import polars as pl

    from siyu.ui import page_text  # noqa: F401 - registers the column labels
    from siyu.ui.tables import table

    n = 2_500  # over LAZY_ROWS: drawn by st.dataframe(lazy=True), which takes no Styler
    frame = pl.DataFrame({"display_name": [None if i % 2 else f"m{i}" for i in range(n)],
                          "monetary": [None if i % 3 == 0 else float(i) for i in range(n)],
                          "frequency": [float("nan") if i % 5 == 0 else 1.0 for i in range(n)],
                          "p_alive": [None] * n, "subscribed": [i % 2 == 0 for i in range(n)]},
                         schema_overrides={"p_alive": pl.Float64})
    table(frame, {"display_name": ("col_name", "text"), "monetary": ("col_monetary", "money2"),
                  "frequency": ("col_frequency", "float"), "p_alive": ("col_p_alive", "pct"),
                  "subscribed": ("col_name", "text")}, key="long", blanks={"p_alive": "— 模型未收敛"})


def test_a_long_lazy_table_shows_no_none_nan_or_true():
    import pyarrow as pa
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_long_table_page, default_timeout=30).run()
    assert not at.exception
    grid = at.dataframe[0].proto
    assert grid.placeholder == "—"  # what the grid draws for every null instead of "None"
    data = pa.ipc.open_stream(grid.arrow_data.data).read_all()
    assert data.num_rows == 2_500
    assert data.column("display_name").to_pylist()[:2] == ["m0", "—"]
    monetary = data.column("monetary").to_pylist()
    assert monetary[:4] == [None, 1.0, 2.0, None]  # numbers stay numbers: the header sorts by value
    frequency = data.column("frequency").to_pylist()
    assert frequency[:2] == [None, 1.0] and not any(v != v for v in frequency if v is not None)  # no NaN left
    assert set(data.column("p_alive").to_pylist()) == {"— 模型未收敛"}  # the reason, as text
    assert data.column("subscribed").to_pylist()[:2] == ["是", "否"]
    kinds = {c: v["type_config"]["type"] for c, v in json.loads(grid.columns).items() if c != "_index"}
    assert kinds == {"display_name": "text", "monetary": "number", "frequency": "number", "p_alive": "text",
                     "subscribed": "text"}


def test_lazy_ready_keeps_a_partly_missing_column_numeric():
    frame = pl.DataFrame({"p_alive": [0.5, None, float("nan")]})
    ready = tables.lazy_ready(frame, {"p_alive": ("col_p_alive", "pct")}, {"p_alive": "— 模型未收敛"})
    assert ready["p_alive"].to_list() == [0.5, None, None]
