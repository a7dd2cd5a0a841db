"""A click on a segment's bar (分群) names that segment, and its member list is as long as the bar, for every
segment of both standards on the hand-built fixture (tests/pages/small_db.py: 4 buyers)."""

from __future__ import annotations

import pytest

from siyu.charts.segments import segment_bars, segment_name
from siyu.db import reading
from siyu.engine.catalog import run_metric
from siyu.engine.cohorts import SEGMENT_STANDARDS
from siyu.metrics.page_frames import segment_summary
from siyu.ui.views.clicks import clicked_category
from tests.pages.small_db import build_fixture


@pytest.mark.parametrize("standard", ["cn", "classic"])
def test_every_segment_bar_drills_to_its_count(tmp_path, standard):
    db = build_fixture(tmp_path / "small.duckdb")
    with reading(db) as con:
        rfm = run_metric(con, "rfm_segments", {})[1]
        summary = segment_summary(rfm, SEGMENT_STANDARDS[standard])
        fig = segment_bars(summary)
        bars = [list(c) for c in fig.data[0].customdata]
        assert sum(n for _s, n in bars) == 4
        drawn = summary.filter(summary["members"] > 0)["segment"].to_list()
        for segment, members in bars:
            picked = clicked_category([{"customdata": [segment, members]}], drawn)
            if members == 0:
                assert picked is None  # an empty segment is not offered
                continue
            listing = run_metric(con, "segment_members", {"standard": standard, "segment": picked})[1]
            assert listing.height == members, segment


def test_forged_or_malformed_clicks_name_nothing():
    drawn = ["重要价值客户"]
    assert clicked_category([{"customdata": ["不存在的分群", 1]}], drawn) is None
    assert clicked_category([{"customdata": [1, 1]}, {"customdata": None}, "x"], drawn) is None
    assert clicked_category([{"customdata": ["重要价值客户", 3]}], drawn) == "重要价值客户"


def test_the_eight_way_split_is_translated_in_english():
    assert segment_name("重要价值客户", "en") == "Important value (重要价值客户)"
    assert segment_name("一般挽留客户", "en") == "General to win back (一般挽留客户)"
    assert segment_name("重要价值客户", "zh") == "重要价值客户"
    assert segment_name("Champions", "zh") == "冠军客户 Champions"
