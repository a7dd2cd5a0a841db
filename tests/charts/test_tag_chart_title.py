"""The 标签与分群 chart's title names the two series it draws (it once promised GMV per member, which it never drew)."""

from __future__ import annotations

import polars as pl
import pytest

from siyu.charts.staff import tag_shares
from siyu.locales import text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_title_names_the_drawn_series(lang):
    fig = tag_shares(pl.DataFrame({"tag": ["新客"], "buyer_share": [0.5], "friend_retention": [0.9]}), lang=lang)
    title = text("tag_chart", lang).lower()
    assert [trace.name for trace in fig.data] == (["购买人占比", "好友留存"] if lang == "zh"
                                                 else ["Buyer share", "Friend retention"])
    assert all(trace.name.lower() in title for trace in fig.data)
    assert "gmv" not in title
