"""The 召回 plan's source list: RFM segments in their usual order and named in the reader's language (the English
page showed bare 一般价值客户 first; the Chinese page showed bare Champions)."""

from __future__ import annotations

import polars as pl

from siyu.ui.views.campaigns import source_label, source_options

RFM = pl.DataFrame({"cn_segment": ["一般挽留客户", "重要价值客户", "一般价值客户", None],
                    "segment": ["Lost", "Champions", None, "Lost"]})


def test_sources_in_the_segments_usual_order():
    assert source_options(RFM) == ["rfm:重要价值客户", "rfm:一般价值客户", "rfm:一般挽留客户", "rfm:Champions", "rfm:Lost",
                                   "at_risk", "file"]


def test_sources_named_in_each_language():
    assert source_label("rfm:一般价值客户", "en") == "General value (一般价值客户)"
    assert source_label("rfm:一般价值客户", "zh") == "一般价值客户"
    assert source_label("rfm:Champions", "zh") == "冠军客户 Champions"
    assert source_label("rfm:Champions", "en") == "Champions"
    assert source_label("at_risk", "zh") == "高价值流失预警"
    assert source_label("file", "en").startswith("Upload")
