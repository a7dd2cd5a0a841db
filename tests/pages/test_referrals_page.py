"""裂变 page through AppTest on the hand-built fixture plus three referrals.

Added here (tests/pages/small_db.py explains the rest): m1 老客甲 referred m2 (2024-01-05) and m3 (2024-02-01);
m2 referred m4 (2024-03-10). One tree: root m1, 4 members, depth 2.
Leaderboard: m1 has 2 referees, both bought (m2 ¥160, m3 ¥240 -> ¥400); m2 has 1 referee (m4, no valid order).
m2 and m3 later deleted their only friendship: excluding such referees leaves m1 with 0 and 2 excluded.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.db import writing
from tests.pages.small_db import insert_batch

APP = str(Path(__file__).resolve().parents[2] / "app.py")


@pytest.fixture
def referral_db(fixture_db):
    with writing(fixture_db) as con:
        b = insert_batch(con, "referrals")
        con.executemany("INSERT INTO referrals (referee_id, referrer_id, referred_at, batch_id) VALUES (?, ?, ?, ?)", [
            (2, 1, dt.datetime(2024, 1, 5, 10), b), (3, 1, dt.datetime(2024, 2, 1, 12), b),
            (4, 2, dt.datetime(2024, 3, 10, 15), b)])
    return fixture_db


def run_referrals(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    # all the data: the default range ends on the last order day (2024-03-05), before m4's friendship
    at.query_params.update({"start": "2023-06-01", "end": "2024-03-10", **query})
    at.switch_page("app_pages/referrals.py")
    return at.run()


def board(at: AppTest):
    return next(d.value for d in at.dataframe if "referee_buyers" in d.value.columns)


def test_leaderboard_rows_and_exclusion_toggle(referral_db):
    at = run_referrals()
    assert not at.exception and not at.error
    rows = board(at)[["rank", "display_name", "referees", "referee_buyers", "referee_gmv", "excluded_referees"]]
    assert rows.values.tolist()[0] == [1, "老客甲", 2, 2, 400.0, 0]
    assert rows.values.tolist()[1][1:4] == ["=cmd|' /C calc'!A0", 1, 0]
    at.toggle(key="ref_excl_deleted").set_value(True).run()
    by_name = {r["display_name"]: r for r in board(at).to_dict("records")}
    assert (by_name["老客甲"]["referees"], by_name["老客甲"]["excluded_referees"]) == (0, 2)


def test_tree_is_drawn_with_its_layout(referral_db):
    at = run_referrals()
    assert at.selectbox(key="ref_tree").value == 1
    assert "推荐树：老客甲 发起" in [s.value for s in at.subheader]
    tree = json.loads(at.get("plotly_chart")[-1].proto.spec)["data"][1]
    # root centred over its two children; m4 under m2
    assert sorted(zip(tree["x"], tree["y"], strict=True)) == [(0.0, -2), (0.0, -1), (0.5, 0), (1.0, -1)]


def test_k_factor_by_generation(referral_db):
    at = run_referrals()
    gen = next(d.value for d in at.dataframe if "buyer_rate" in d.value.columns)
    # generation 0: m1 (bought); 1: m2, m3 (both bought) -> K 2.0; 2: m4 (no order) -> K 0
    assert gen[["generation", "members", "buyers"]].values.tolist() == [[0, 1, 1], [1, 2, 2], [2, 1, 0]]
    assert gen["k_factor"].tolist()[1:] == [2.0, 0.0]


def test_no_referrals_says_what_to_import(fixture_db):
    at = run_referrals()
    assert not at.exception
    assert "还没有推荐关系" in at.info[0].value


def test_generation_zero_k_factor_is_named_not_none(referral_db):
    import io

    import pyarrow as pa

    at = run_referrals()
    assert not at.exception
    gen = next(d for d in at.dataframe if "buyer_rate" in d.value.columns)
    shown = pa.ipc.open_stream(io.BytesIO(gen.proto.arrow_data.styler.display_values)).read_all().to_pylist()
    assert shown[0]["generation"] == "0" and shown[0]["k_factor"] == "不适用（发起人）"
    assert "None" not in str(shown)
