"""Money axes in 万/亿 (siyu/charts/ticks.py), by hand."""

from __future__ import annotations

from siyu.charts.ticks import money_axis, money_tick, nice_step


def test_money_ticks():
    assert [money_tick(v) for v in (0, 800, 25_000, 1_500_000, 120_000_000)] == ["¥0", "¥800", "¥2.5万", "¥150万", "¥1.2亿"]
    assert [money_tick(v, "en") for v in (800, 25_000, 1_500_000, 1.2e9)] == ["¥800", "¥25K", "¥1.5M", "¥1.2B"]
    assert money_tick(-30_000) == "-¥3万"


def test_axis_over_gmv_of_one_and_a_half_million():
    axis = money_axis([1_200_000, 1_500_000, None, 300_000])
    assert nice_step(1_500_000) == 500_000
    assert axis["tickvals"] == [0, 500_000, 1_000_000, 1_500_000]
    assert axis["ticktext"] == ["¥0", "¥50万", "¥100万", "¥150万"]
    assert axis["range"] == [0, 1_530_000]


def test_axis_of_nothing_is_still_an_axis():
    assert money_axis([])["ticktext"] == ["¥0", "¥0.2", "¥0.4", "¥0.6", "¥0.8", "¥1"]
