"""分群 page through AppTest on the hand-built fixture (tests/pages/small_db.py).

Buyers as of the last valid order (2024-02-15): recency days / purchase days / net spend
m5 229 / 1 / ¥30, m1 76 / 1 / ¥50, m2 0 / 2 / ¥160, m3 12 / 1 / ¥240. Means: R 79.25, F 1.25, M ¥120.
8-way split: m2 high/high/high 重要价值客户; m3 R high, F low, M high 重要发展客户; m1 R high only
一般发展客户; m5 all low 一般挽留客户. With M's cut at ¥300, m2 becomes 一般价值客户 and m3 一般发展客户.
"""

from __future__ import annotations

import os
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.pages.conftest import log_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_segments(role: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    if role:
        log_in_as(at, Path(os.environ["SIYU_DB"]), role)
    at.switch_page("app_pages/segments.py")
    return at.run()


def sizes(at: AppTest) -> dict[str, int]:
    summary = next(d.value for d in at.dataframe if "monetary_share" in d.value.columns)
    return {r["segment"]: r["members"] for r in summary.to_dict("records") if r["members"]}


def test_eight_way_split_and_a_recall_list(fixture_db):
    at = run_segments()
    assert not at.exception and not at.error
    assert sizes(at) == {"重要价值客户": 1, "重要发展客户": 1, "一般发展客户": 1, "一般挽留客户": 1}
    assert any("当前切分点：R ≤ 79 天，F ≥ 1.2 天，M ≥ ¥120.00" in c.value for c in at.caption)
    at.selectbox(key="seg_pick_cn").set_value("重要发展客户").run()
    listing = at.dataframe[-1].value
    assert listing[["display_name", "monetary"]].values.tolist() == [["丙", 240.0]]
    assert [b.label for b in at.get("download_button")][-2:] == ["下载会员明细 (CSV)", "下载会员明细 (Excel)"]


def test_cut_off_moves_a_member(fixture_db):
    at = run_segments()
    at.number_input(key="seg_m_cut").set_value(300.0).run()
    # m2 (¥160) and m3 (¥240) are now low on M
    assert sizes(at) == {"一般价值客户": 1, "一般发展客户": 2, "一般挽留客户": 1}


def test_classic_grid_names_in_chinese(fixture_db):
    at = run_segments(standard="classic")
    assert not at.exception
    names = set(next(d.value for d in at.dataframe if "monetary_share" in d.value.columns)["segment"])
    assert "冠军客户 Champions" in names


def test_viewers_cannot_open_segments(fixture_db):
    at = run_segments(role="viewer")
    assert at.title[0].value != "分群"  # not registered for viewers: the overview opens instead


def test_predictions_wait_for_the_toggle_on_a_large_brand(fixture_db, monkeypatch):
    """Above PREDICT_AUTO_BUYERS buyers (here: any) the list comes without the BG/NBD columns, says how to
    get them, and still downloads; switching the toggle on adds them."""
    monkeypatch.setattr("siyu.metrics.page_frames.PREDICT_AUTO_BUYERS", 0)
    at = run_segments()
    assert not at.exception and not at.error
    assert at.toggle(key="seg_predict").value is False
    listing = at.dataframe[-1].value
    assert "p_alive" not in listing.columns and listing["display_name"].tolist() == ["=cmd|' /C calc'!A0"]
    assert any("打开「计算预测价值」可加上存活概率和预测价值两列。" in c.value for c in at.caption)
    assert [b.label for b in at.get("download_button")][-2:] == ["下载会员明细 (CSV)", "下载会员明细 (Excel)"]
    at.toggle(key="seg_predict").set_value(True).run()
    assert not at.exception and "p_alive" in at.dataframe[-1].value.columns
