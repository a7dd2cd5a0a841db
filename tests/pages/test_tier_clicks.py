"""A click on a tier's bar (会员与等级) lists that tier's members, as many as the bar counts, for every tier
of the tier fixture of test_members_page.py: 普通会员 m2 + m3, 金卡会员 m1, 未定级 m4 + m5."""

from __future__ import annotations

from siyu.charts.members import tier_bars
from siyu.db import reading
from siyu.engine.catalog import run_metric
from siyu.ui.views.clicks import clicked_category
from tests.pages.test_members_page import run_members, tier_db  # noqa: F401 - the fixture


def test_every_tier_bar_drills_to_its_count(tier_db):  # noqa: F811
    with reading(tier_db) as con:
        tiers = run_metric(con, "tiers", {"start": "2023-06-01", "end": "2024-03-10"})[1]
        bars = [list(c) for c in tier_bars(tiers).data[0].customdata]
        assert bars == [["普通会员", 2], ["金卡会员", 1], ["未定级", 2]]
        drawn = tiers["tier"].to_list()
        got = {}
        for tier, members in bars:
            picked = clicked_category([{"customdata": [tier, members]}], drawn)
            who = run_metric(con, "tier_members", {"start": "2023-06-01", "end": "2024-03-10", "tier": picked})[1]
            assert who.height == members
            got[tier] = who.rows()
    assert got == {"普通会员": [(3, 240.0), (2, 160.0)], "金卡会员": [(1, 50.0)], "未定级": [(5, 30.0), (4, 0.0)]}


def test_members_page_invites_the_click(tier_db):  # noqa: F811
    at = run_members()
    assert not at.exception
    assert "点击上图任一等级的柱子，即可列出这个等级的会员（人数与柱子一致）。" in [c.value for c in at.caption]
