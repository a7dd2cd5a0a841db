"""Empty states blame the filters when the filters emptied the page, and the data when it is missing.

The fixture (tests/pages/small_db.py + the tier ladder of test_members_page.py): 门店 members are m3 and m4;
the only 金卡会员 (latest member export) is m1. channel=门店 and tier=金卡会员 together match nobody, while
orders, tiers and two member exports are all there.
"""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.test_members_page import tier_db  # noqa: F401 - the fixture

APP = str(Path(__file__).resolve().parents[2] / "app.py")
BLAME = ("所选筛选（渠道：门店，会员等级（最近一次会员导出）：金卡会员）下没有任何会员，所以这里是空的——数据本身并不缺。"
         "放宽或清除上面的「更多筛选」即可看到。")


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]


def test_retention_blames_the_filters_not_a_missing_export(tier_db):  # noqa: F811
    at = run("retention", channel="门店", tier="金卡会员")
    assert not at.exception
    assert infos(at) == [BLAME]
    assert not any("需要**订单导出**" in i for i in infos(at))


def test_members_page_blames_the_filters_for_tiers_migration_and_orders(tier_db):  # noqa: F811
    at = run("members", channel="门店", tier="金卡会员")
    assert not at.exception
    assert infos(at) == [BLAME, BLAME, BLAME]  # tiers, tier migration, concentration
    assert not any("0 次" in i or "还没有会员等级" in i for i in infos(at))


def test_data_really_missing_still_says_what_to_import(fixture_db):
    at = run("members", channel="门店")
    assert not at.exception
    assert infos(at)[0].startswith("还没有会员等级：导入一份**会员导出**")  # no tiers at all: not the filter's fault
    assert "等级迁移需要至少两次会员导出（不同日期）。目前有 0 次" in infos(at)[1]


def test_english_and_escaped_values(tier_db):  # noqa: F811
    at = run("retention", channel="门店", tier="金卡会员", lang="en")
    assert not at.exception
    assert infos(at) == ["The filters in force (Channel: 门店, Tier (latest member export): 金卡会员) match no members, "
                         "so this is empty; the data itself is there. Widen or clear “More filters” above to see it."]


def test_filter_values_are_escaped_for_markdown():
    from siyu.ui.empty_state import literal

    assert literal("**粗体** [链接](http://x)") == r"\*\*粗体\*\* \[链接\]\(http\://x\)"
