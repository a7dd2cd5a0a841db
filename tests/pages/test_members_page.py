"""会员与等级 page through AppTest on the hand-built fixture plus a tier ladder and two member exports.

Added here (tests/pages/small_db.py explains the rest): tiers 普通会员 (rank 1) < 金卡会员 (rank 2);
snapshot 2024-01-01: m1 普通, m2 普通; snapshot 2024-03-01: m1 金卡, m2 普通, m3 普通.
Range 2023-06-01 .. 2024-03-10 (in the URL) (all the data): tiers as of 2024-03-01:
  金卡会员 m1 (buyer, ¥50), 普通会员 m2 (¥160) + m3 (¥240) -> 2 members, 2 buyers, ¥400, ARPU ¥200;
  未定级 m4, m5 (m5 bought ¥30).
Migration 2024-01-01 -> 2024-03-01: m1 普通 -> 金卡 (up), m2 普通 -> 普通 (same).
Buyers by net spend: m3 240, m2 160, m1 50, m5 30; total 480.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import writing
from tests.pages.conftest import log_in_as
from tests.pages.small_db import insert_batch

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def tier_db(fixture_db):
    with writing(fixture_db) as con:
        b = insert_batch(con, "member_export")
        con.executemany("INSERT INTO tiers VALUES (?, ?)", [("普通会员", 1), ("金卡会员", 2)])
        con.executemany("INSERT INTO member_snapshots (member_id, snapshot_date, tier, batch_id) VALUES (?, ?, ?, ?)", [
            (1, dt.date(2024, 1, 1), "普通会员", b), (2, dt.date(2024, 1, 1), "普通会员", b),
            (1, dt.date(2024, 3, 1), "金卡会员", b), (2, dt.date(2024, 3, 1), "普通会员", b),
            (3, dt.date(2024, 3, 1), "普通会员", b),
        ])
    return fixture_db


def run_members(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    # all the data: the default range ends on the last order day (2024-03-05), before m4's friendship
    at.query_params.update({"start": "2023-06-01", "end": "2024-03-10", **query})
    at.switch_page("app_pages/members.py")
    return at.run()


def frame_with(at: AppTest, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_tiers_migration_concentration_and_super_users(tier_db):
    at = run_members()
    assert not at.exception and not at.error
    tiers = frame_with(at, "gmv_per_member")
    rows = {r["tier"]: (r["members"], r["buyers"], round(r["gmv"], 2), round(r["arpu"], 2))
            for r in tiers.to_dict("records")}
    assert rows == {"普通会员": (2, 2, 400.0, 200.0), "金卡会员": (1, 1, 50.0, 50.0), "未定级": (2, 1, 30.0, 30.0)}
    assert at.selectbox(key="mig_from").value == dt.date(2024, 1, 1)
    assert at.selectbox(key="mig_to").value == dt.date(2024, 3, 1)
    captions = [c.value for c in at.caption]
    assert "升级 1 人，降级 0 人，不变 1 人，退出（之后不在会员导出里）0 人。绿色为升级，红色为降级。" in captions
    # the top 20% of 4 buyers is one buyer: m3 with ¥240 of ¥480
    assert any(c.startswith("基尼系数") and "前 20% 贡献了 50.0%" in c for c in captions)
    supers = frame_with(at, "score")
    assert supers["display_name"].tolist()[0] == "丙"  # m3: the biggest spender ranks first
    assert supers["phone"].tolist()[0] == "—"
    assert len(at.get("plotly_chart")) >= 4


def test_no_tiers_and_short_history_explain_themselves(fixture_db):
    at = run_members()
    assert not at.exception and not at.error
    infos = [i.value for i in at.info]
    assert any("会员导出" in i for i in infos)                          # no tier ladder yet
    assert "等级迁移需要至少两次会员导出（不同日期）。目前有 0 次；再导入一份较新的会员导出即可。" in infos
    assert "订单历史不足 360 天，无法留出 180 天检验模型。" in infos


def test_viewers_see_the_recall_list_but_get_no_member_file(tier_db):
    at = AppTest.from_file(APP, default_timeout=60)
    log_in_as(at, tier_db, "viewer")
    at.switch_page("app_pages/members.py")
    at.run()
    assert not at.exception
    labels = [b.label for b in at.get("download_button")]
    assert labels and all(label.startswith("下载数据") for label in labels)  # chart CSVs only
    assert "会员明细（含手机号）只有运营和管理员可以下载。" in [c.value for c in at.caption]


def test_english(tier_db):
    at = run_members(lang="en")
    assert not at.exception
    assert "Tier distribution and ARPU" in [s.value for s in at.subheader]
    assert "No tier" in frame_with(at, "gmv_per_member")["tier"].tolist()

