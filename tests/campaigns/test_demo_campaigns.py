"""The demo's two past recalls tell both stories: one clear lift over its holdout, one interval around zero whose
sent group deleted the brand (a friend deleted or a customer group left) more."""

from __future__ import annotations

import polars as pl
import pytest

from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric


@pytest.fixture(scope="module")
def lift(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    summary = write_demo(path, seed=7)  # the default brand, 20,000 members
    assert summary["rows"]["campaign_sends"] == 1435 * 2 + 717 + 791 + 88
    with reading(path) as con:
        return run_metric(con, "campaign_lift", {"windows": "14"})[1]


def test_spring_recall_worked_in_both_variants(lift: pl.DataFrame) -> None:
    spring = lift.filter(pl.col("campaign") == "2026 春季老客召回（短信）")
    assert spring.select("variant", "sent", "holdout", "sent_buyers", "holdout_buyers").rows() == [
        ("A 满减券", 1435, 717, 71, 12), ("B 新品试用", 1435, 717, 78, 12)]
    assert spring["significant"].all() and (spring["lift_low"] > 0).all()
    assert spring["cost"].to_list() == [71.75, 71.75]  # 1,435 SMS at ¥0.05


def test_welcome_push_did_nothing_but_make_people_delete(lift: pl.DataFrame) -> None:
    row = lift.filter(pl.col("campaign") == "新好友欢迎群发（企微）").row(0, named=True)
    assert (row["sent"], row["holdout"], row["sent_buyers"], row["holdout_buyers"]) == (791, 88, 316, 35)
    assert row["lift_low"] < 0 < row["lift_high"] and not row["significant"]
    assert row["verdict"].startswith("看不出效果")
    # the sent group deleted a friend or left a group more: 94/791 vs 3/88 (61 vs 2 deleted, 43 vs 2 left)
    assert row["deleted_lift_low"] > 0
    assert (round(row["sent_deleted_7d_rate"] * 791), round(row["holdout_deleted_7d_rate"] * 88)) == (94, 3)
    assert (round(row["sent_friend_deleted_7d_rate"] * 791), round(row["holdout_friend_deleted_7d_rate"] * 88)) == (61, 2)
    assert (round(row["sent_left_group_7d_rate"] * 791), round(row["holdout_left_group_7d_rate"] * 88)) == (43, 2)
