"""渠道 page through AppTest on the hand-built fixture (tests/pages/small_db.py).

Range 2023-06-01 .. 2024-03-10 (in the URL) (as of 2024-03-10). Member channels: m1 包裹卡, m2 裂变海报, m3 and m4 门店,
m5 none (未知). 门店: m3 added 2024-02-01 and deleted 2024-03-01 (29 days later), m4 added 2024-03-10.
 - deleted within 30 days: only m3's friendship is 30+ days old, and it ended after 29 days -> 100%;
 - deleted within 7 days: again only m3 is old enough, and it lasted longer -> 0%;
 - valid: m3 bought on 2024-02-03 (within 180 days), m4 is still a friend -> 2 of 2.
The friendships carry no channel QR code, so friend survival has one curve, 未知, over 4 friendships:
m1 open for 121 days (censored), m2 deleted after 46 days, m3 after 29, m4 added on the as-of day (censored at 0).
At day 29 three are at risk (m1, m2, m3) and one goes: survival(30) = 2/3.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_channels(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    # all the data: the default range ends on the last order day (2024-03-05), before m4's friendship
    at.query_params.update({"start": "2023-06-01", "end": "2024-03-10", **query})
    at.switch_page("app_pages/channels.py")
    return at.run()


def test_scorecard_row_and_invalid_view(fixture_db):
    at = run_channels()
    assert not at.exception and not at.error
    card = at.dataframe[0].value.set_index("channel")
    assert card.loc["门店", "added"] == 2
    assert card.loc["门店", "deleted_30d"] == 1.0
    assert card.loc["门店", "deleted_7d"] == 0.0
    assert card.loc["门店", "valid_share"] == 1.0
    assert sorted(card.index) == ["包裹卡", "未知", "裂变海报", "门店"]
    # no channel costs in the fixture: the cost section explains which file to import and offers the template
    assert any("还没有导入渠道成本" in i.value for i in at.info)
    template = [b for b in at.get("download_button") if "渠道成本模板" in b.proto.label]
    assert len(template) == 1


def test_template_lists_the_brands_channels_with_chinese_headers():
    import datetime as dt

    from siyu.ui.cost_view import template_csv

    text = template_csv(["门店", "包裹卡"], dt.date(2024, 3, 1)).decode("utf-8-sig")
    assert text.splitlines() == ["渠道,月份,投放费用（元）,备注", "门店,2024-03,,", "包裹卡,2024-03,,"]


def test_friend_survival_curve(fixture_db):
    at = run_channels()
    import json

    charts = at.get("plotly_chart")
    curve = json.loads(charts[0].proto.spec)["data"][0]
    assert curve["name"] == "未知"
    points = dict(zip(curve["x"], curve["y"], strict=True))
    # m4 (added on the as-of day) leaves the risk set at once; m3 is deleted at day 29 with 3 at risk
    assert points[1] == 1.0 and points[14] == 1.0
    assert points[30] == pytest.approx(2 / 3)


@pytest.mark.parametrize("hostile", ["'; DROP TABLE members;--", "channel"])
def test_hostile_by_is_ignored(fixture_db, hostile):
    at = run_channels(by=hostile)
    assert not at.exception
    assert "网址参数 by 的值无效，已忽略，改用默认值。" in [w.value for w in at.warning]
    assert at.query_params["by"] == "member"


def displayed(table) -> list[dict]:
    """The text a styled grid shows, cell by cell (the Styler's display values)."""
    import io

    import pyarrow as pa

    return pa.ipc.open_stream(io.BytesIO(table.proto.arrow_data.styler.display_values)).read_all().to_pylist()


def _import_costs(db, tmp_path, text: str) -> None:
    from siyu.ingest import import_file

    path = tmp_path / "costs.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(db, path)
    assert report.ok, report.refused


def test_cost_view_ranks_channels_by_cost_per_valid_member(fixture_db, tmp_path):
    """Range 2023-06-01 .. 2024-03-10 (in the URL). Costs: 门店 Feb 2024 ¥2,900 and March ¥3,100, of which 10 of 31
    days fall in the range: ¥1,000 -> ¥3,900 for 门店's 2 members, both valid (m3 bought 02-03, m4 is a friend):
    ¥1,950.00 per valid member. 裂变海报 (m2: deleted 02-20, bought 02-15, valid) cost ¥12,000 over 2024-01:
    ¥12,000 per valid member, ranked first; ROI = its 90-day GMV ¥160 / ¥12,000."""
    _import_costs(fixture_db, tmp_path, "渠道,月份,投放费用（元）\n门店,2024-02,\"¥2,900\"\n门店,2024年3月,3100元\n"
                                        "裂变海报,2024-01,\"12,000.00\"\n")
    at = run_channels()
    assert not at.exception and not at.error
    costs = at.dataframe[-1].value      # the styled ranking, last table on the page
    assert list(costs["channel"][:2]) == ["裂变海报", "门店"]
    row = costs.set_index("channel").loc["门店"]
    assert row["cost"] == 3900.0 and row["valid_members"] == 2 and row["cost_per_valid_member"] == 1950.0
    assert costs.set_index("channel").loc["裂变海报", "roi"] == pytest.approx(160 / 12000)
    # one money style per column, in full: ¥12,000.00 beside ¥3,900.00 (not ¥1.2万 beside ¥3,900.00)
    shown = {r["channel"]: r for r in displayed(at.dataframe[-1])}
    assert (shown["裂变海报"]["cost"], shown["门店"]["cost"]) == ("¥12,000.00", "¥3,900.00")
    assert shown["门店"]["cost_per_valid_member"] == "¥1,950.00" and shown["裂变海报"]["roi"] == "0.01"
    # the page joins its cached scorecard to channel_money; the CLI's channel_costs computes it all: the same table
    from siyu.db import reading
    from siyu.engine.catalog import run_metric

    with reading(fixture_db) as con:
        _, cli = run_metric(con, "channel_costs", {"start": "2023-06-01", "end": "2024-03-10"})
    # the grid's data holds a missing number as -inf (drawn as "—": a null would be drawn as "None")
    assert cli.to_pandas().fillna(-1).equals(costs.replace(-math.inf, math.nan).fillna(-1))
    totals = [c.value for c in at.caption if "有成本的渠道合计" in c.value]
    assert totals == ["有成本的渠道合计：花费 ¥1.59万，新会员 3，有效会员 3，平均每个有效会员 ¥5,300.00，ROI 0.03。"]
    at.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert [c.value for c in at.caption if c.value.startswith("Channels with a known cost")] == [
        "Channels with a known cost: spend ¥15.9K, 3 new members, 3 valid, ¥5,300.00 per valid member, ROI 0.03."]
    assert [r["cost"] for r in displayed(at.dataframe[-1])][:2] == ["¥12,000.00", "¥3,900.00"]


def test_cost_view_with_costs_outside_the_range_says_so(fixture_db, tmp_path):
    _import_costs(fixture_db, tmp_path, "渠道,月份,费用\n门店,2025-01,100\n")
    at = run_channels()
    assert not at.exception
    assert any("不覆盖所选期间" in i.value and "2025-01-01" in i.value for i in at.info)


def test_cost_view_follows_the_channel_filter_and_hides_for_staff(fixture_db, tmp_path):
    _import_costs(fixture_db, tmp_path, "渠道,月份,投放费用\n门店,2024-02,2900\n裂变海报,2024-01,12000\n")
    at = run_channels(channel="门店")
    assert not at.exception
    costs = at.dataframe[-1].value
    assert list(costs["channel"]) == ["门店"] and costs["cost"][0] == 2900.0   # not 裂变海报's spend
    at = run_channels(staff="s1")
    assert not at.exception
    assert any("按等级、门店或员工筛选" in i.value for i in at.info)


def test_hostile_gmv_window_is_ignored(fixture_db, tmp_path):
    _import_costs(fixture_db, tmp_path, "渠道,月份,投放费用\n门店,2024-02,2900\n")
    at = run_channels(gmv="'; DROP TABLE channel_costs;--")
    assert not at.exception
    assert "网址参数 gmv 的值无效，已忽略，改用默认值。" in [w.value for w in at.warning]
    assert at.query_params["gmv"] == "90"
    shown = at.dataframe[-1].value
    assert shown["channel"][0] == "门店" and shown["cost"][0] == 2900.0 and (shown["cost"][1:] == -math.inf).all()  # missing: -inf in the grid's data, drawn as "—"


def test_unknown_channel_is_never_coloured_best_or_worst(fixture_db):
    """m5 (no channel, a shop buyer) is the 未知 row: left white and out of the colour scale."""
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"start": "2023-06-01", "end": "2024-03-10"})
    at.switch_page("app_pages/channels.py")
    at.run()
    assert not at.exception
    card = at.dataframe[0]
    row = card.value["channel"].to_list().index("未知")
    styles = card.proto.arrow_data.styler.styles
    assert "background-color" in styles and f"_row{row}_" not in styles
    assert ("「未知」渠道（多为只在店铺下单、没有渠道记录的会员）不参与颜色比较：它不是一个可以投放的渠道。"
            in [c.value for c in at.caption])
