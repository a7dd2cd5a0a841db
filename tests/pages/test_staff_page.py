"""导购 and 标签与分群 pages through AppTest on the hand-built fixture (tests/pages/small_db.py).

Range 2023-06-01 .. 2024-03-10 (as of 2024-03-10, end of day 2024-03-11 00:00). One staff member, s1 小王, with
four friends: m1 added 2023-11-10 (open), m2 added 2024-01-05 and deleted by the customer 46 days later, m3
added 2024-02-01 12:00 and deleted by staff 29 days later, m4 added 2024-03-10 15:00 (open, 9 hours old).
 - friends 4, still friends 2 (m1, m4);
 - deleted within 7 days: m1, m2, m3 are old enough and none left that fast -> 0%;
 - deleted within 30 days: the same three are old enough; m3 left after 29 days, by staff -> 1/3, all by staff;
 - buyers: m1 (¥50 on 2023-12-01), m2 (¥100 + ¥60 on two days), m3 (¥200 + ¥40 on one day) -> 3, GMV ¥450,
   repeat 1/3;
 - credited (lasted 7+ days): m1, m2, m3 -> 3 (m4 is too young to credit).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import writing

APP = str(Path(__file__).resolve().parents[2] / "app.py")
RANGE = {"start": "2023-06-01", "end": "2024-03-10"}


def run_page(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({**RANGE, **query})
    at.switch_page(page)
    return at.run()


def test_staff_scorecard_and_leaderboard(fixture_db):
    at = run_page("app_pages/staff.py")
    assert not at.exception and not at.error
    card = at.dataframe[0].value.set_index("staff_name")
    row = card.loc["小王"]
    assert (row["friends"], row["active"], row["buyers"]) == (4, 2, 3)
    assert row["deleted_7d"] == 0.0
    assert row["gmv"] == 450.0 and row["repeat_rate"] == pytest.approx(1 / 3)
    # the finer deletion rates (and groups owned, before any group data) fold away: the main table stays on screen
    assert list(card.columns) == ["friends", "active", "deleted_7d", "buyer_30d", "buyer_90d", "buyers", "gmv",
                                  "gmv_per_friend", "repeat_rate"]
    more = next(e for e in at.expander if e.label == "更多删除率：1 天内、7 天内客户删 / 导购删、30 天内")
    detail = more.dataframe[0].value.set_index("staff_name")
    assert list(detail.columns) == ["deleted_1d", "deleted_7d_customer", "deleted_7d_staff", "deleted_30d"]
    assert detail.loc["小王", "deleted_30d"] == pytest.approx(1 / 3)
    board = at.dataframe[2].value
    assert board["credited_friends"].tolist() == [3] and board["rank"].tolist() == [1]
    assert len(at.get("plotly_chart")) == 2
    assert "群主（社群数）将在社群数据导入后显示。" in [c.value for c in at.caption]  # no group data yet


def test_staff_page_filtered_to_nothing_says_so(fixture_db):
    at = run_page("app_pages/staff.py", channel="包裹卡", tier="nope")
    assert not at.exception
    assert at.dataframe[0].value.set_index("staff_name").loc["小王", "friends"] == 1  # m1 alone


def _tag(db: Path) -> None:
    with writing(db) as con:
        con.executemany("INSERT INTO member_tags (member_id, tag_group, tag, batch_id) VALUES (?, ?, ?, 1)",
                        [(2, "孩子年龄", "7岁"), (3, "孩子年龄", "7岁"), (1, "孩子年龄", "3岁"), (1, "", "高意向")])


def test_tags_breakdown_and_tag_filter(fixture_db):
    _tag(fixture_db)
    at = run_page("app_pages/audience.py")
    assert not at.exception and not at.error
    rows = at.dataframe[0].value.set_index("tag")
    # 7岁: m2 (¥160) and m3 (¥240) both bought -> buyer share 100%, GMV ¥400.
    assert rows.loc["7岁", "members"] == 2 and rows.loc["7岁", "gmv"] == 400.0
    assert rows.loc["3岁", "members"] == 1
    # The tag as a global filter on another page: the staff scorecard counts m2 and m3 only.
    staff = run_page("app_pages/staff.py", tag="孩子年龄:7岁")
    assert staff.dataframe[0].value.set_index("staff_name").loc["小王", "friends"] == 2


def test_save_a_segment_and_use_it_on_another_page(fixture_db):
    _tag(fixture_db)
    at = run_page("app_pages/audience.py", tag="孩子年龄:7岁")
    at.text_input(key="sgm_name").input("七岁")
    next(b for b in at.button if b.label == "保存分群").click()
    at.run()
    assert not at.exception and not at.error
    assert any("已保存分群" in s.value for s in at.success)
    staff = run_page("app_pages/staff.py", segment="七岁")
    assert not staff.exception and not staff.warning
    assert staff.dataframe[0].value.set_index("staff_name").loc["小王", "friends"] == 2
    # The WeCom list of the segment: m2's friendship ended, m3's too -> nobody reachable.
    back = run_page("app_pages/audience.py")
    assert any("0 段好友关系可触达" in c.value for c in back.caption)


def test_viewer_cannot_save(fixture_db):
    from tests.pages.conftest import log_in_as

    at = AppTest.from_file(APP, default_timeout=60)
    log_in_as(at, fixture_db, "viewer")
    at.query_params.update(RANGE)
    at.switch_page("app_pages/audience.py")
    at.run()
    assert not at.exception
    assert next(b for b in at.button if b.label == "保存分群").disabled


def test_hostile_tag_and_segment_in_the_url_are_dropped_with_a_notice(fixture_db):
    _tag(fixture_db)
    at = run_page("app_pages/staff.py", tag="<img src=x onerror=alert(1)>", segment="[x](http://evil.example)")
    assert not at.exception and not at.error
    assert len(at.warning) == 2  # both ignored: not values the database holds
    assert at.dataframe[0].value.set_index("staff_name").loc["小王", "friends"] == 4


def test_a_segment_name_is_text_not_markup(fixture_db):
    from siyu.segments import SegmentRules, save_segment

    save_segment(fixture_db, "**粗体**[链接](http://evil.example)", SegmentRules(channel="门店"), by="tests")
    at = run_page("app_pages/audience.py")
    assert not at.exception and not at.error
    shown = [m.value for m in at.markdown if "粗体" in m.value]
    assert shown and all("\\*\\*粗体\\*\\*\\[链接\\]" in v for v in shown)


def test_save_a_segment_with_a_group_layer(fixture_db):
    from siyu.db import reading
    from siyu.segments import list_segments

    with writing(fixture_db) as con:
        con.execute("INSERT INTO groups (group_id, group_name, owner_id, group_type, batch_id) "
                    "VALUES ('g1', '核心群A', 's1', 'core', 1)")
        con.executemany("INSERT INTO group_memberships (group_id, member_id, joined_at, left_at, batch_id) "
                        "VALUES ('g1', ?, ?, ?, 1)", [(1, "2023-12-01", None), (2, "2023-12-01", "2024-01-01")])
    at = run_page("app_pages/audience.py")
    assert at.selectbox(key="sgm_group").options == ["不限", "核心群A（核心群）"]
    at.text_input(key="sgm_name").input("核心群里的")
    at.selectbox(key="sgm_layer").set_value("core")
    next(b for b in at.button if b.label == "保存分群").click()
    at.run()
    assert not at.exception and not at.error
    with reading(fixture_db) as con:
        assert list_segments(con)["definition"].to_list() == ['{"layer": "core"}']
    # m1 is in 核心群A now; m2 left it: the 导购 page counts one friend of 小王.
    staff = run_page("app_pages/staff.py", segment="核心群里的")
    assert not staff.exception
    assert staff.dataframe[0].value.set_index("staff_name").loc["小王", "friends"] == 1
    # 小王 (s1) is 核心群A's 群主: the scorecard shows the group owned.
    owned = run_page("app_pages/staff.py")
    assert owned.dataframe[0].value.set_index("staff_name").loc["小王", "groups_owned"] == 1
    assert "群主（社群数）将在社群数据导入后显示。" not in [c.value for c in owned.caption]  # the data is there
