"""Global filters (channel, tier, store, staff): a scope on the connection (siyu/db/scope.py), in the URL,
allow-listed against the database's own values.

Fixture (tests/pages/small_db.py): channels m1 包裹卡, m2 裂变海报, m3 + m4 门店, m5 none; one staff member s1 (小王)
who befriended m1..m4. 门店 over all the data: members m3, m4 -> 2; buyers m3 -> 1; GMV ¥240 (200 + 40 on one day).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import reading
from siyu.db.scope import Scope, apply_scope
from siyu.engine import inputs
from siyu.engine.catalog import run_metric

APP = str(Path(__file__).resolve().parents[2] / "app.py")
ALL = {"start": "2023-06-01", "end": "2024-03-10"}


def run_page(path: str = "app_pages/overview.py", **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page(path)
    return at.run()


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_channel_in_the_url_scopes_every_figure(fixture_db):
    at = run_page(**ALL, channel="门店")
    assert not at.exception and not at.error
    got = cards(at)
    assert (got["会员数"], got["购买人数"], got["GMV（净额）"]) == ("2", "1", "¥240.00")
    assert at.selectbox(key="scope_channel").value == "门店"
    assert "当前范围：渠道：门店" in [c.value for c in at.caption]
    at.selectbox(key="scope_channel").set_value(None).run()
    assert cards(at)["会员数"] == "5" and "channel" not in at.query_params


def test_staff_scope_and_the_share_link(fixture_db):
    at = run_page(**ALL, staff="s1")
    assert cards(at)["会员数"] == "4"  # m5 was never anyone's friend
    link = at.code[-1].value
    assert "staff=s1" in link and "start=2023-06-01" in link


@pytest.mark.parametrize("hostile", ["门店' OR 1=1 --", "<script>alert(1)</script>", "不存在的渠道", "x" * 500])
def test_unknown_or_hostile_values_are_ignored_with_a_notice(fixture_db, hostile):
    at = run_page(**ALL, channel=hostile)
    assert not at.exception and not at.error
    assert "网址参数 channel 的值无效，已忽略，改用默认值。" in [w.value for w in at.warning]
    assert cards(at)["会员数"] == "5"
    assert "channel" not in at.query_params


def test_scope_applies_to_the_analysis_pages(fixture_db):
    at = run_page("app_pages/retention.py", **ALL, channel="门店")
    assert not at.exception
    import json

    heat = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert heat["y"] == ["2024年2月（1）"]  # only m3 (门店) has a first order


def test_scoped_runs_never_share_the_order_cache_with_unscoped_ones(fixture_db):
    inputs.clear_orders_cache()
    with reading(fixture_db) as con:
        full = run_metric(con, "retention", {})[1]
    with reading(fixture_db) as con:
        apply_scope(con, Scope(channel="门店"))
        scoped = run_metric(con, "retention", {})[1]
    with reading(fixture_db) as con:
        again = run_metric(con, "retention", {})[1]
    assert scoped["cohort"].unique().to_list() == [dt.date(2024, 2, 1)]
    assert again.equals(full) and full["cohort"].n_unique() == 4
