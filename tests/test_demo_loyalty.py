"""The demo's membership programme (issue #19): a consistent points ledger, snapshot points that are its balance,
paid VIP terms, and every points / tier-economics metric with something to say on first start."""

from __future__ import annotations

from pathlib import Path

import pytest

from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric

MEMBERS = 3_000


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("loyalty") / "demo.duckdb"
    write_demo(path, members=MEMBERS, seed=7)
    return path


def sql(path: Path, text: str) -> list[tuple]:
    with reading(path) as con:
        return con.execute(text).fetchall()


def test_ledger_balances_are_running_sums_and_never_negative(demo: Path) -> None:
    assert sql(demo, """SELECT count(*) FROM (SELECT balance_after, sum(delta) OVER (PARTITION BY member_id
                        ORDER BY occurred_at, entry_key ROWS UNBOUNDED PRECEDING) AS running FROM points_ledger)
                        WHERE balance_after < 0 OR balance_after <> running""") == [(0,)]
    kinds = dict(sql(demo, "SELECT kind, count(*) FROM points_ledger GROUP BY ALL"))
    assert set(kinds) == {"purchase", "checkin", "share", "review", "redeem", "expire"}
    # expiries only at the yearly clearance, of points earned before that year
    assert sql(demo, "SELECT DISTINCT strftime(occurred_at, '%m-%d %H:%M:%S') FROM points_ledger WHERE kind = 'expire'") == [
        ("12-31 23:59:59",)]
    assert sql(demo, "SELECT count(*) FROM points_ledger WHERE (delta < 0) <> (kind IN ('redeem', 'expire'))") == [(0,)]


def test_snapshot_points_are_the_ledger_balance_on_the_snapshot_day(demo: Path) -> None:
    assert sql(demo, """
        SELECT count(*) FROM member_snapshots s
        LEFT JOIN LATERAL (SELECT sum(delta) AS bal FROM points_ledger p
                           WHERE p.member_id = s.member_id AND p.occurred_at < s.snapshot_date + INTERVAL 1 DAY) b ON true
        WHERE s.points <> coalesce(b.bal, 0)""") == [(0,)]


def test_paid_vip_terms(demo: Path) -> None:
    rows = sql(demo, "SELECT count(*), count(DISTINCT member_id), min(fee_cents), max(fee_cents), "
                     "count(*) FILTER (WHERE expires_at - started_at <> INTERVAL 365 DAY - INTERVAL 1 SECOND) "
                     "FROM paid_memberships")
    terms, members, lo, hi, odd = rows[0]
    assert terms > members > 50 and (lo, hi, odd) == (19900, 19900, 0)


@pytest.mark.parametrize(("name", "params", "column"), [
    ("points_flow", {}, "issued"), ("points_liability", {}, "liability"), ("redeemer_uplift", {}, "matched"),
    ("tier_cohorts", {}, "members"), ("tier_upgrade_survival", {}, "upgraded"), ("tier_upgrade_spend", {}, "upgrades"),
    ("tier_downgrades", {}, "downgrades"), ("near_next_tier", {}, "gap"), ("paid_members", {}, "renewed"),
    ("paid_members", {"view": "comparison"}, "matched"),
])
def test_every_chart_has_something_to_say(demo: Path, name: str, params: dict, column: str) -> None:
    with reading(demo) as con:
        _, frame = run_metric(con, name, params)
    assert frame.height > 0 and frame[column].sum() > 0, (name, frame)
