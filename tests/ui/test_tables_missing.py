"""Missing values in tables: no null reaches the grid (Streamlit draws a null as a grey "None" whatever the
Styler's text), each is shown as "—" or the caller's reason, and numbers keep their order."""

from __future__ import annotations

import datetime as dt
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
