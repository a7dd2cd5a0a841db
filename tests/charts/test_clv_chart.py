"""The holdout chart shows actual and predicted bars per bucket, without the total row."""

from __future__ import annotations

import polars as pl

from siyu.charts.clv import holdout_chart


def test_holdout_chart_bars_and_labels() -> None:
    buckets = pl.DataFrame({"bucket": ["0", "1", "2+", "total"], "customers": [10, 5, 2, 17],
                            "actual": [0.1, 0.5, 2.0, 0.4], "predicted": [0.12, 0.45, 1.8, 0.39]})
    fig = holdout_chart(buckets)
    assert [t.name for t in fig.data] == ["实际", "模型预测"]
    assert list(fig.data[0].x) == ["0", "1", "2+"] and list(fig.data[1].y) == [0.12, 0.45, 1.8]
    assert holdout_chart(buckets, "en").data[0].name == "Actual"
