"""Every money axis reads as money: ¥ ticks in 万 (zh) or K (en) from siyu.charts.ticks, not bare numbers.
Expected ticks by hand: the data tops out at 26,000, the nice step is 10,000, so 0 .. 30,000."""

from __future__ import annotations

import polars as pl
import pytest

from siyu.charts.channel_costs import cost_per_valid_member
from siyu.charts.membership import cohort_lines, comparison

ZH = ["¥0", "¥1万", "¥2万", "¥3万"]
EN = ["¥0", "¥10K", "¥20K", "¥30K"]
TICKS = [0, 10_000, 20_000, 30_000]


@pytest.mark.parametrize(("lang", "texts"), [("zh", ZH), ("en", EN)])
def test_cohort_ltv_axis_is_money(lang, texts):
    cohorts = pl.DataFrame({"first_tier": ["银卡", "银卡", "金卡"], "period": [0, 1, 0],
                            "retention": [1.0, 0.5, 1.0], "cum_ltv": [12_000.0, 26_000.0, 8_000.0]})
    axis = cohort_lines(cohorts, "cum_ltv", lang).layout.yaxis
    assert (list(axis.tickvals), list(axis.ticktext)) == (TICKS, texts)
    assert cohort_lines(cohorts, "retention", lang).layout.yaxis.tickformat == ".0%"    # a rate stays a rate


@pytest.mark.parametrize(("lang", "texts"), [("zh", ZH), ("en", EN)])
def test_gmv_per_member_axis_of_a_comparison_is_money(lang, texts):
    summary = {"redeemer_repurchase": 0.4, "control_repurchase": 0.3, "redeemer_gmv": 26_000.0, "control_gmv": 9_000.0}
    fig = comparison(summary, "兑换者", "对照", "redeemer", lang)
    assert (list(fig.layout.yaxis2.ticktext), fig.layout.yaxis.tickformat) == (texts, ".0%")


@pytest.mark.parametrize(("lang", "texts"), [("zh", ZH), ("en", EN)])
def test_cost_per_valid_member_axis_is_money(lang, texts):
    frame = pl.DataFrame({"channel": ["门店", "裂变海报"], "cost_per_valid_member": [1_950.0, 26_000.0],
                          "cost": [3_900.0, 26_000.0], "valid_members": [2, 1], "roi": [None, 0.01]})
    axis = cost_per_valid_member(frame, lang).layout.xaxis
    assert (list(axis.tickvals), list(axis.ticktext)) == (TICKS, texts)
