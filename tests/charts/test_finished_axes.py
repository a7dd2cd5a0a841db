"""Chart axes that read right: friend survival never runs past 100%."""

from __future__ import annotations

import polars as pl

from siyu.charts.channels import survival_curves


def test_survival_axis_stops_at_100_percent_even_for_a_flat_line():
    flat = pl.DataFrame({"channel": ["门店"] * 3, "days": [1, 7, 30], "at_risk": [5, 5, 5],
                         "friends": [5, 5, 5], "survival": [1.0, 1.0, 1.0]})
    fig = survival_curves(flat)
    assert list(fig.layout.yaxis.range) == [0, 1.04]
    assert list(fig.layout.yaxis.tickvals)[-1] == 1.0
