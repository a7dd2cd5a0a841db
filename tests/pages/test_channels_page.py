"""渠道 page through AppTest on the hand-built fixture (tests/pages/small_db.py).

Default range 2023-06-01 .. 2024-03-10 (as of 2024-03-10). Member channels: m1 包裹卡, m2 裂变海报, m3 and m4 门店,
m5 none (未知). 门店: m3 added 2024-02-01 and deleted 2024-03-01 (29 days later), m4 added 2024-03-10.
 - deleted within 30 days: only m3's friendship is 30+ days old, and it ended after 29 days -> 100%;
 - deleted within 7 days: again only m3 is old enough, and it lasted longer -> 0%;
 - valid: m3 bought on 2024-02-03 (within 180 days), m4 is still a friend -> 2 of 2.
The friendships carry no channel QR code, so friend survival has one curve, 未知, over 4 friendships:
m1 open for 121 days (censored), m2 deleted after 46 days, m3 after 29, m4 added on the as-of day (censored at 0).
At day 29 three are at risk (m1, m2, m3) and one goes: survival(30) = 2/3.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_channels(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
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
    assert any("还不能导入渠道成本" in c.value for c in at.caption)


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
