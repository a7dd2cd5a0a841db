"""社群 page through AppTest on the group fixture exports (tests/fixtures/groups): the group list, two member
snapshots (小红 left the big group between them, 刘洋 joined it) and the daily statistic.

Members behind the numbers (snapshot 03-10): 宝妈福利大群1群 张伟, 小红 (left), 阿May, 陈静, 刘洋 -> ever joined 5,
in now 4; 核心群·妈妈交流 张伟, 小红 -> 2, 2; 超级用户群VIP 张伟 -> 1, 1."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db.connection import ensure_schema, forget_schema_cache
from siyu.ingest import import_file
from siyu.ingest.group_layers import save_layer_rules
from siyu.ui.views import groups as view

APP = str(Path(__file__).resolve().parents[2] / "app.py")
FIX = Path(__file__).resolve().parents[1] / "fixtures" / "groups"
FILES = ("客户群列表_20240310.xlsx", "客户群成员_20240301.csv", "客户群成员_20240310.xlsx", "客户群统计_20240303.csv")


@pytest.fixture
def groups_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    forget_schema_cache()
    path = tmp_path / "groups.duckdb"
    ensure_schema(path)
    for name in FILES:
        assert import_file(path, FIX / name).ok, name
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path


def run_groups(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page("app_pages/groups.py")
    return at.run()


def _frames(at: AppTest) -> tuple:
    layers, scorecard = at.dataframe[0].value, at.dataframe[1].value
    return layers.set_index("layer_name"), scorecard.set_index("group_name")


def test_without_rules_every_group_is_other_and_the_editor_suggests_rules(groups_db: Path) -> None:
    at = run_groups()
    assert not at.exception and not at.error
    layers, scorecard = _frames(at)
    assert list(layers.index) == ["大群", "核心群", "超级用户群", "其他"]
    assert layers.loc["其他", "members"] == 5 and layers.loc["大群", "members"] == 0
    assert set(scorecard["layer_name"]) == {"其他"}
    assert any("还没有保存分层规则" in i.value for i in at.info)
    editor = at.dataframe[-1].value  # the rule editor: the suggestion, ready to save
    assert editor["pattern"].tolist() == ["超级用户", "VIP", "核心", "大群", "福利"]
    assert editor["layer"].tolist() == ["super", "super", "core", "mass", "mass"]


def test_scorecard_pyramid_and_trend_with_rules(groups_db: Path) -> None:
    save_layer_rules(groups_db, [("超级用户", "super"), ("核心", "core"), ("大群", "mass")])
    at = run_groups()
    assert not at.exception and not at.error
    layers, scorecard = _frames(at)
    assert list(layers.index) == ["大群", "核心群", "超级用户群"]
    assert layers[["groups", "members", "members_now"]].values.tolist() == [[1, 5, 4], [1, 2, 2], [1, 1, 1]]
    big = scorecard.loc["宝妈福利大群1群"]
    assert (big["layer_name"], big["joined"], big["members_now"]) == ("大群", 5, 4)
    assert scorecard.loc["超级用户群VIP", "joined"] == 1
    titles = [s.value for s in at.subheader]
    assert {"社群分层金字塔", "社群记分卡（点一行查看会员）", "分层流动（每月）", "社群每日活跃趋势", "群分层规则"} <= set(titles)
    assert "点表格中的一行，查看这一行数字背后的会员。" in [c.value for c in at.caption]


def test_the_page_in_english(groups_db: Path) -> None:
    at = run_groups()
    at.radio(key="lang").set_value("en").run()
    assert not at.exception and not at.error
    assert "The group pyramid" in [s.value for s in at.subheader]


def test_the_members_behind_a_number_match_it(groups_db: Path) -> None:
    """What a click on a scorecard row lists: group_members with the view's parameters, as many as the row says."""
    from siyu.db import reading
    from siyu.engine.catalog import run_metric

    with reading(groups_db) as con:
        card = run_metric(con, "groups", {})[1]
        for row in card.iter_rows(named=True):
            for measure in view.GROUP_MEASURES:
                who = run_metric(con, "group_members", view.member_params(group_id=row["group_id"], measure=measure))[1]
                assert who.height == row[measure], (row["group_name"], measure)


def test_an_empty_group_database_explains_what_to_import(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    forget_schema_cache()
    path = tmp_path / "orders.duckdb"
    ensure_schema(path)
    (tmp_path / "o.csv").write_text("order_id,member_id,paid_at,amount\no1,M1,2024-01-01 10:00,10\n", encoding="utf-8")
    assert import_file(path, tmp_path / "o.csv").ok
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    at = run_groups()
    assert not at.exception and not at.error
    assert any("还没有社群数据" in i.value for i in at.info)


def test_a_viewer_sees_the_rules_but_cannot_edit_them(groups_db: Path) -> None:
    from tests.pages.conftest import log_in_as

    at = AppTest.from_file(APP, default_timeout=60)
    log_in_as(at, groups_db, "viewer")
    at.switch_page("app_pages/groups.py")
    at.run()
    assert not at.exception
    assert "运营及以上角色可以修改分层规则。" in [c.value for c in at.caption]
    assert not [b for b in at.button if b.label == "保存规则"]


def test_file_stems_hold_no_path_characters() -> None:
    assert view.file_stem("group", "../宝妈群/\"x\"") == "group____宝妈群__x_"


def test_saving_the_suggested_rules_layers_the_groups(groups_db: Path) -> None:
    from siyu.ingest.group_layers import layer_rules

    at = run_groups()
    at.button(key="grp_rules_save").click().run()
    assert not at.exception and not at.error
    assert layer_rules(groups_db).rows() == [(1, "超级用户", "super"), (2, "VIP", "super"), (3, "核心", "core"),
                                              (4, "大群", "mass"), (5, "福利", "mass")]
    at.run()
    layers, _ = _frames(at)
    assert layers[["members", "members_now"]].values.tolist() == [[5, 4], [2, 2], [1, 1]]
