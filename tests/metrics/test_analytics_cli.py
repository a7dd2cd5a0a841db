"""Every analytics metric runs from the CLI on the demo brand and on an empty database."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from siyu.demo import write_demo
from tests.metrics import analytics_db

RUNS = [  # metric, params
    ("retention", []), ("retention", ["cohort=joined", "grain=week"]), ("retention", ["cohort=channel", "measure=revenue"]),
    ("retention", ["mode=on_or_after", "grain=day", "start=2026-01-01"]),
    ("lifecycle", []), ("tiers", []), ("tier_migration", []), ("concentration", []),
    ("super_users", ["top=50"]), ("referrals", []), ("referrals", ["view=trees"]), ("referrals", ["view=issues"]),
    ("k_factor", []), ("k_factor", ["by=generation"]),
    ("referral_leaderboard", ["exclude_deleted=true", "exclude_coupon_only=true"]), ("referred_vs_organic", []),
    ("channels", []), ("channels", ["by=add_way"]), ("friend_survival", []),
    ("channel_costs", []), ("channel_costs", ["by=friend_channel", "gmv_days=30"]), ("channel_cost_rows", []),
    ("channel_money", ["start=2026-01-01", "gmv_days=30"]),
    ("rfm", []), ("rfm", ["unit=week", "calibration_end=2026-06-30"]), ("rfm_segments", []),
    ("rfm_segments", ["view=cutoffs"]),
]
MAY_BE_EMPTY = {("referrals", "view=issues")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    write_demo(path, members=1500, seed=3)
    return path


@pytest.mark.parametrize(("name", "params"), RUNS, ids=[f"{n}-{'-'.join(p)}" for n, p in RUNS])
def test_runs_on_demo_and_empty(demo: Path, tmp_path: Path, name: str, params: list[str]) -> None:
    code, text = analytics_db.run_cli(demo, name, *params, fmt="csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(text)))
    if (name, *params) not in MAY_BE_EMPTY:
        assert len(rows) > 1, f"{name} {params}: no rows on the demo brand"
    assert all(len(r) == len(rows[0]) for r in rows)
    code, empty = analytics_db.run_cli(tmp_path / "empty.duckdb", name, *params, fmt="csv")
    assert code == 0 and empty == text.splitlines()[0] + "\n"
