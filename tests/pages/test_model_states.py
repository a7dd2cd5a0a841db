"""The prediction models' three states on 会员与等级 and 分群 (siyu/ui/views/model.py), through AppTest.

- too little data: the hand-built fixture (tests/pages/small_db.py) has 4 buyers, 1 repeat buyer (m2).
- fallback: the fixture plus twelve steady buyers (tests/pages/steady_buyers.py): 16 buyers, 13 repeat
  buyers, and a BG/NBD fit that really does not converge (the dropout parameter a runs to its bound).
In both, P(alive) reads "无法估计" (never None), the at-risk list says it cannot be drawn up (not "nobody
is at risk"), downloads carry no empty p_alive column, and the parameters shown are the fit used.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.steady_buyers import add_steady_buyers

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def run(page: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params.update(query)
    at.switch_page(f"app_pages/{page}.py")
    return at.run()


def shown(element) -> list[dict]:
    """The texts a table draws (the Styler's display values), row by row."""
    raw = element.proto.arrow_data.styler.display_values
    table = pa.ipc.open_stream(io.BytesIO(raw)).read_all() if raw else None
    assert table is not None, "the table has no display values"
    return table.to_pylist()


def frame_with(at: AppTest, column: str):
    return next(d for d in at.dataframe if column in d.value.columns)


def texts(at: AppTest) -> str:
    return " ".join(e.value for kind in ("warning", "success", "info", "caption") for e in at.get(kind))


@pytest.fixture
def steady_db(fixture_db):
    return add_steady_buyers(fixture_db)


def test_members_page_names_a_fit_that_did_not_converge(steady_db):
    at = run("members")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert "预测模型没有收敛（BG/NBD 拟合未收敛（参数落在边界或优化器未完成），改用历史购买频率估计。）" in warning
    assert "存活概率无法估计" in warning
    assert "流失风险名单要靠模型算出的存活概率，而这次模型没有收敛，所以无法列出——这不代表没有会员有流失风险。" in texts(at)
    assert "没有处于流失风险的高价值会员。" not in texts(at)
    super_table = frame_with(at, "p_alive")
    cells = shown(super_table)
    assert cells and all(row["p_alive"] == "无法估计" for row in cells)
    assert "None" not in str(cells)
    params = frame_with(at, "parameter").value.set_index("parameter")
    assert params.loc["BG/NBD 收敛", "used"] == "否"
    assert params.loc["拟合用的购买者", "used"] == "16"
    assert params.loc["拟合用的复购者", "used"] == "13"
    assert params.loc["a（流失概率）", "used"] == "0.0001"   # on its bound: why it did not converge
    assert params.loc["BG/NBD 收敛", "holdout"] == "—"       # no 180-day holdout in 9 months of data


def test_members_page_names_too_little_data(fixture_db):
    at = run("members")
    assert not at.exception
    assert "数据太少，还不能拟合预测模型：4 位购买者、1 位复购者（至少要 10 位购买者和 2 位复购者）。" in " ".join(
        w.value for w in at.warning)
    assert "而这次数据太少、无法拟合模型，所以无法列出" in texts(at)
    assert {row["p_alive"] for row in shown(frame_with(at, "p_alive"))} == {"无法估计"}


def test_segments_page_names_the_state_and_never_shows_none(steady_db):
    at = run("segments")
    assert not at.exception
    assert "预测模型没有收敛" in " ".join(w.value for w in at.warning)
    listing = at.dataframe[-1]
    assert "p_alive" in listing.value.columns and (listing.value["p_alive"] == -math.inf).all()  # missing, drawn as the text below
    assert {row["p_alive"] for row in shown(listing)} == {"无法估计"}


def test_english_names_the_fallback(steady_db):
    at = run("members", lang="en")
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert ("The prediction model did not converge (BG/NBD fit did not converge (CONVERGENCE: RELATIVE REDUCTION OF "
            "F <= FACTR*EPSMCH); using the historical-rate fallback.) P(alive) cannot be estimated") in warning
    assert {row["p_alive"] for row in shown(frame_with(at, "p_alive"))} == {"unknown"}
