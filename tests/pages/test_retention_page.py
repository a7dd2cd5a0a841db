"""留存 page through AppTest on the hand-built fixture (tests/pages/small_db.py).

First valid orders (monthly cohorts): m5 2023-07, m1 2023-12, m2 2024-01 (¥100; again 2024-02-15 ¥60),
m3 2024-02 (¥200 + ¥40 on one day). The data ends 2024-03-10, so every March cell is unfinished.
Cohort 2024年1月 (1 member): period 0 100%, period 1 100% (m2 in February), period 2 0% (March, unfinished).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import log_in_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run_retention(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    at.switch_page("app_pages/retention.py")
    return at.run()


def heatmap(at: AppTest) -> list[dict]:
    return json.loads(at.get("plotly_chart")[0].proto.spec)["data"]


def row_text(traces: list[dict], label_start: str) -> list[str]:
    """The cell texts of one cohort row, finished and unfinished traces merged."""
    done, open_ = traces[:2]  # the third trace is the clickable overlay of every cell
    i = next(n for n, y in enumerate(done["y"]) if y.startswith(label_start))
    cells = [a or b for a, b in zip(done["text"][i], open_["text"][i], strict=True)]
    while cells and not cells[-1]:  # periods after the as-of day are empty
        cells.pop()
    return cells


def test_heatmap_cells_and_unfinished_marks(fixture_db):
    at = run_retention()
    assert not at.exception and not at.error
    traces = heatmap(at)
    assert [y for y in traces[0]["y"]] == ["2023年7月（1）", "2023年12月（1）", "2024年1月（1）", "2024年2月（1）"]
    assert row_text(traces, "2024年1月") == ["100%", "100%", "0%…"]   # March is not over on 2024-03-10
    assert row_text(traces, "2024年2月") == ["100%", "0%…"]
    assert row_text(traces, "2023年12月") == ["100%", "0%", "0%", "0%…"]
    assert "灰色、带斜线和「…」的格子属于还没结束的周期" in " ".join(c.value for c in at.caption)
    assert len(at.get("plotly_chart")) == 4  # heatmap, retention curves, LTV curves, lifecycle


def test_revenue_heatmap_and_url(fixture_db):
    at = run_retention(measure="revenue")
    assert at.query_params["measure"] == "revenue"
    assert row_text(heatmap(at), "2024年2月") == ["¥240", "¥0…"]
    assert row_text(heatmap(at), "2024年1月") == ["¥100", "¥60", "¥0…"]


def test_members_behind_a_cell(fixture_db):
    at = run_retention()
    at.selectbox(key="ret_cell_first_order_month_zh").set_value("2024年1月").run()
    at.selectbox(key="ret_period_first_order_month").set_value(1).run()
    assert not at.exception
    assert "2024年1月 同期群第 1 期：1 人" in [c.value for c in at.caption]
    listing = next(d.value for d in at.dataframe if "net" in d.value.columns)
    assert listing[["member_id", "orders", "net"]].values.tolist() == [["siyu:2", 1, 60.0]]  # no export id in the fixture
    assert [b.label for b in at.get("download_button")][-2:] == ["下载会员明细 (CSV)", "下载会员明细 (Excel)"]


def test_viewer_gets_no_member_file(fixture_db):
    at = AppTest.from_file(APP, default_timeout=60)
    log_in_as(at, fixture_db, "viewer")
    at.switch_page("app_pages/retention.py").run()
    assert not at.exception
    assert all(b.label.startswith("下载数据") for b in at.get("download_button"))
    assert "会员明细（含手机号）只有运营和管理员可以下载。" in [c.value for c in at.caption]


@pytest.mark.parametrize("hostile", ["x'; DROP TABLE orders;--", "<script>", "JOINED"])
def test_hostile_cohort_is_ignored_with_a_notice(fixture_db, hostile):
    at = run_retention(cohort=hostile)
    assert not at.exception and not at.error
    assert "网址参数 cohort 的值无效，已忽略，改用默认值。" in [w.value for w in at.warning]
    assert at.query_params["cohort"] == "first_order"


def test_joined_cohorts_in_english(fixture_db):
    at = run_retention(cohort="joined", lang="en")
    assert not at.exception
    assert at.subheader[0].value == "Cohort retention heatmap"
    assert heatmap(at)[0]["y"][0] == "Jun 2023 (1)"
