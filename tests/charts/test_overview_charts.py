"""Overview chart builders: literal frames in, the labels and numbers a reader will see out."""

import datetime as dt

import polars as pl

from siyu.charts import overview as charts

TREND = pl.DataFrame({
    "period": [dt.date(2024, 1, 1), dt.date(2024, 2, 1), dt.date(2024, 3, 1)],
    "new_members": [1, 1, 1], "friends_added": [1, 1, 1], "friends_deleted": [0, 1, 1],
    "buyers": [1, 2, 0], "orders": [1, 3, 0], "gmv": [100.0, 300.0, 0.0], "arpu": [100.0, 150.0, 0.0],
})
KPIS = pl.DataFrame({"vanity_headcount": [5], "valid_members": [4]})


def test_months_are_labelled_categories_weeks_and_days_dates_spelled_in_chinese():
    days = [dt.date(2024, 3, 4)]
    assert charts.period_values(days, "month", "zh") == ["2024年3月"]
    assert charts.period_values(days, "month", "en") == ["Mar 2024"]
    assert charts.period_values(days, "week", "zh") == days
    fig = charts.gmv_buyers(TREND, grain="day")
    assert (fig.layout.xaxis.type, fig.layout.xaxis.tickformat) == ("date", "%Y年%-m月%-d日")
    assert fig.layout.xaxis.hoverformat == "%Y年%-m月%-d日"
    assert charts.gmv_buyers(TREND, grain="week").layout.xaxis.hoverformat == "%Y年%-m月%-d日当周"


def test_gmv_buyers_draws_gmv_bars_and_a_buyers_line_with_chinese_labels():
    fig = charts.gmv_buyers(TREND, grain="month")
    bars, line = fig.data
    assert bars.type == "bar" and list(bars.x) == ["2024年1月", "2024年2月", "2024年3月"]
    assert list(bars.y) == [100.0, 300.0, 0.0] and bars.name == "GMV（净额，元）"
    assert line.type == "scatter" and list(line.y) == [1, 2, 0] and line.name == "购买人数"
    assert fig.layout.xaxis.title.text == "月份" and fig.layout.xaxis.type == "category"
    assert list(fig.layout.yaxis.ticktext) == ["¥0", "¥100", "¥200", "¥300"]  # money ticks (万/亿 when large)
    big = charts.gmv_buyers(TREND.with_columns(gmv=TREND["gmv"] * 5000))
    assert list(big.layout.yaxis.ticktext) == ["¥0", "¥50万", "¥100万", "¥150万"]
    # fewer than 5 buyers: whole-number ticks only
    assert (fig.layout.yaxis2.tickmode, fig.layout.yaxis2.dtick) == ("linear", 1)
    many = charts.gmv_buyers(TREND.with_columns(buyers=TREND["buyers"] * 1000))
    assert many.layout.yaxis2.tickmode == "auto"  # its own ticks, not a copy of the GMV grid


def test_members_vs_deleted_in_english_by_week():
    fig = charts.members_vs_deleted(TREND, grain="week", lang="en")
    assert [t.name for t in fig.data] == ["New members", "Friends deleted"]
    assert list(fig.data[1].y) == [0, 1, 1]
    assert fig.layout.xaxis.title.text == "Week (from Monday)"
    assert fig.layout.xaxis.hoverformat == "week of %-d %b %Y"


def test_valid_vs_vanity_splits_the_headcount():
    frame = charts.valid_vs_vanity_frame(KPIS)
    assert frame.to_dicts() == [{"label": "虚荣人数", "people": 5}, {"label": "有效私域用户", "people": 4},
                                {"label": "无效私域", "people": 1}]
    fig = charts.valid_vs_vanity(KPIS, lang="en")
    assert list(fig.data[0].y) == ["Vanity headcount", "Valid users", "Invalid"]
    assert list(fig.data[0].text) == ["5", "4", "1"]


def test_partial_periods_are_pale_and_labelled():
    from siyu.charts.overview import gmv_buyers

    trend = TREND.with_columns(pl.Series("complete", [False] + [True] * (TREND.height - 1)))
    bars = gmv_buyers(trend).data[0]
    assert list(bars.marker.opacity) == [0.4] + [1.0] * (TREND.height - 1)
    assert bars.customdata[0] == "（不完整周期）" and bars.customdata[1] == ""
