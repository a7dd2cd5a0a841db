"""The Segments page's frames (siyu/ui/views/segments.py) on tests/pages/small_db.py: four buyers as of the last
order day 2024-03-05, (recency days, orders, net): m1 (76, 1, ¥50), m2 (0, 2, ¥160), m3 (12, 1, ¥240),
m5 (229, 1, ¥30). Default cut-offs are the means: R 79.25 days, F 1.25 orders, M ¥120."""

from __future__ import annotations

import polars as pl

from siyu.ui.views import segments as view
from siyu.ui.views.model import FALLBACK, FITTED, ModelStatus


def test_the_eight_way_split_by_hand(load):
    frames = view.segment_frames(load, standard="cn", cuts={}, lang="zh")
    assert frames is not None
    assert frames.cuts_used == {"r": "79", "f": "1.2", "m": "¥120.00"}
    assert dict(frames.rfm.select("member_id", "cn_segment").rows()) == {
        "1": "一般发展客户", "2": "重要价值客户", "3": "重要发展客户", "5": "一般挽留客户"}
    assert frames.present == ["重要价值客户", "重要发展客户", "一般发展客户", "一般挽留客户"]
    assert frames.summary["members"].to_list() == [1, 0, 1, 0, 0, 0, 1, 1]  # all eight, in the standard's order
    assert frames.stem == "cn_"


def test_names_in_english_and_the_classic_grid(load):
    frames = view.segment_frames(load, standard="cn", cuts={}, lang="en")
    assert frames.summary_view["segment"][0] == "Important value (重要价值客户)"
    assert frames.summary["segment"][0] == "重要价值客户"  # codes stay for the chart and the CSV
    classic = view.segment_frames(load, standard="classic", cuts=view.cut_params({"r_cut": 30.0, "f_cut": None}),
                                  lang="zh")
    assert classic.cuts_used is None and classic.stem == "classic_r_cut30.0"


def test_a_segments_recall_list_and_its_file(load):
    listing = view.segment_listing(load, standard="cn", segment="重要价值客户", cuts={}, predict=True)
    assert listing["member_id"].to_list() == ["2"]
    assert {"p_alive", "expected_purchases_90d", "clv"} <= set(listing.columns)
    unpredicted = view.segment_listing(load, standard="cn", segment="重要价值客户", cuts={}, predict=False)
    assert "p_alive" not in unpredicted.columns
    fitted, failed = ModelStatus(FITTED, 4, 1, ""), ModelStatus(FALLBACK, 40, 5, "未收敛 / did not converge")
    assert "p_alive" in view.download_frame(listing, fitted).columns
    assert view.download_frame(listing, failed).columns == [
        "member_id", "display_name", "phone", "last_order", "recency_days", "frequency", "monetary",
        "expected_purchases_90d", "clv", "segment"]


def test_nobody_bought_is_empty():
    def load(name, **params):
        return pl.DataFrame()

    assert view.segment_frames(load, standard="cn", cuts={}, lang="zh") is None
