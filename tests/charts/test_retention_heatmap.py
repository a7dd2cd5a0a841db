"""The retention heatmap hatches exactly the cells whose period has not ended, and says so under the chart."""

from __future__ import annotations

import datetime as dt
import re

import polars as pl

from siyu.charts.retention import hatch_path, retention_heatmap

# Three monthly cohorts as of 2024-03-10: January's month 2 (March), February's month 1 and March's month 0
# are not over; everything else is.
TRIANGLE = pl.DataFrame({
    "cohort": [dt.date(2024, 1, 1)] * 3 + [dt.date(2024, 2, 1)] * 2 + [dt.date(2024, 3, 1)],
    "cohort_size": [10, 10, 10, 4, 4, 5],
    "period": [0, 1, 2, 0, 1, 0],
    "rate": [1.0, 0.4, 0.1, 1.0, 0.25, 1.0],
    "complete": [True, True, False, True, False, False],
})


def strokes(fig) -> list[tuple[float, float, float, float]]:
    paths = [s.path for s in fig.layout.shapes if s.type == "path"]
    assert len(paths) == 1
    return [tuple(map(float, m)) for m in re.findall(r"M([-\d.e]+),([-\d.e]+) L([-\d.e]+),([-\d.e]+)", paths[0])]


def test_only_the_unfinished_cells_are_hatched():
    fig = retention_heatmap(TRIANGLE, grain="month", lang="zh")
    cells: dict[tuple[int, int], int] = {}
    for x0, y0, x1, y1 in strokes(fig):
        cell = (round((x0 + x1) / 2), round((y0 + y1) / 2))  # (period, row: 0 = oldest cohort, on top)
        assert all(abs(v - c) < 0.5 for v, c in ((x0, cell[0]), (x1, cell[0]), (y0, cell[1]), (y1, cell[1])))
        assert x1 > x0 and y1 < y0  # rising to the right on the reversed cohort axis: a diagonal stroke
        cells[cell] = cells.get(cell, 0) + 1
    assert cells == {(2, 0): 5, (1, 1): 5, (0, 2): 5}
    note = [a.text for a in fig.layout.annotations]
    assert note == ["▨ 斜线格：周期还没结束（截至结束日），数字偏低不代表流失"]
    assert fig.layout.shapes[0].layer == "above" and fig.layout.shapes[0].yref == "y"
    assert fig.data[1].text[0][2] == "10%…" and fig.data[0].z[0][2] is None  # grey layer holds the open cell


def test_english_note_and_no_marks_when_every_period_is_over():
    en = retention_heatmap(TRIANGLE, lang="en")
    assert [a.text for a in en.layout.annotations][0].startswith("▨ Hatched cells: the period has not ended yet")
    done = retention_heatmap(TRIANGLE.with_columns(pl.lit(True).alias("complete")), lang="zh")
    assert not done.layout.shapes and not done.layout.annotations


def test_hatch_path_geometry():
    assert hatch_path([]) == ""
    # corner to corner of the inner square of cell (period 3, row 1), and the four strokes beside it
    segments = re.findall(r"M([-\d.]+),([-\d.]+) L([-\d.]+),([-\d.]+)", hatch_path([(3, 1)]))
    assert ("2.56", "1.44", "3.44", "0.56") in segments and len(segments) == 5
    far = re.findall(r"M([-\d.]+),", hatch_path([(120, 300)]))  # a daily triangle: no rounding drift
    assert far == ["119.56", "119.56", "119.56", "119.86", "120.16"]
