"""Global filters applied in memory to the cached order frame give exactly what the scope's views give.

siyu.engine.frame_cache keeps the unscoped order frames and filters it with the scope read
back from the connection (member ids, store); with SCOPE_IN_MEMORY = False a scoped connection fetches its
frame through the temp views of siyu.db.scope instead, as before. Every metric the pages ask for, with the
parameters the pages pass, must give the same frame both ways, for each kind of filter, on a generated
brand (1,500 members, 9k orders, 8 channels, 4 stores, 14 staff) rather than a hand-made one, so the
filters cut real populations. The KPI and CLV runners also read the cached frame now: they are checked
against the frames fetched through the views directly.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from siyu.db import reading
from siyu.db.scope import Scope, apply_scope
from siyu.demo import write_demo
from siyu.engine import frame_cache, inputs
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
from siyu.metrics.kpis import kpis
from siyu.metrics.periods import DateRange

RANGE = {"start": "2025-11-01", "end": "2026-10-31"}
PAGE_METRICS: list[tuple[str, dict[str, str]]] = [
    ("kpis", RANGE), ("kpi_trend", {**RANGE, "grain": "month"}),
    ("retention", {**RANGE, "cohort": "first_order", "grain": "month", "measure": "members", "mode": "on"}),
    ("retention", {**RANGE, "cohort": "channel", "grain": "week", "measure": "revenue", "mode": "on"}),
    ("retention", {"cohort": "joined", "grain": "month", "measure": "members", "mode": "on_or_after"}),
    ("lifecycle", {**RANGE, "grain": "month"}),
    ("cohort_members", {"cohort": "first_order", "grain": "month", "mode": "on", "cohort_start": "2025-11-01",
                        "period": "1", "end": "2026-10-31"}),
    ("tiers", RANGE), ("tier_migration", {}), ("concentration", RANGE), ("super_users", RANGE),
    ("clv_members", {}), ("at_risk_super_users", {}),
    ("clv", {"calibration_end": "2026-05-04", "holdout_end": "2026-10-31"}),
    ("k_factor", {"by": "month"}), ("k_factor", {"by": "generation"}),
    ("referral_leaderboard", {"top": "50", "exclude_deleted": "true", "exclude_coupon_only": "false"}),
    ("referred_vs_organic", {}),
    ("channels", {**RANGE, "by": "member"}), ("channel_money", {**RANGE, "by": "member", "gmv_days": "90"}),
    ("rfm_segments", {}), ("segment_members", {"standard": "cn", "segment": "重要价值客户"}),
]
SCOPES = [Scope(channel="包裹卡"), Scope(store="上海静安嘉里茶空间"), Scope(tier="金卡会员", staff="kf_WuHao"),
          Scope(channel="门店", store="不存在的门店")]


@pytest.fixture(scope="module")
def brand(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("scope") / "brand.duckdb"
    write_demo(path, members=1500, seed=3)
    return path


def run(db: Path, scope: Scope, name: str, params: dict[str, str], *, in_memory: bool, monkeypatch) -> pl.DataFrame:
    monkeypatch.setattr(frame_cache, "SCOPE_IN_MEMORY", in_memory)
    with reading(db) as con:
        apply_scope(con, scope)
        return run_metric(con, name, params)[1]


@pytest.mark.parametrize("scope", SCOPES, ids=lambda s: "+".join(f"{k}" for k, _ in s.key()))
def test_every_page_metric_is_the_same_scoped_in_memory_and_through_the_views(brand, scope, monkeypatch):
    inputs.clear_orders_cache()
    with reading(brand) as con:  # the unscoped frame is cached first, as on a dashboard already in use
        run_metric(con, "rfm", {})
    compared = 0
    for name, params in PAGE_METRICS:
        memory = run(brand, scope, name, params, in_memory=True, monkeypatch=monkeypatch)
        views = run(brand, scope, name, params, in_memory=False, monkeypatch=monkeypatch)
        try:
            assert_frame_equal(memory, views, check_exact=True)
        except AssertionError as exc:
            raise AssertionError(f"{name} {params}: {exc}") from exc
        compared += memory.height
    assert compared > 0


def test_the_scope_really_narrows_the_cached_frame(brand):
    inputs.clear_orders_cache()
    with reading(brand) as con:
        everyone = inputs.valid_orders_cached(read_context(con)).collect()
        everyone_days = inputs.valid_order_days_cached(read_context(con)).collect()
    with reading(brand) as con:
        apply_scope(con, Scope(channel="包裹卡", store="山茶集线上旗舰店"))
        scoped = inputs.valid_orders_cached(read_context(con)).collect()
        through_views = con.sql("SELECT member_id, paid_at, net_cents FROM valid_orders").pl()
        members = con.execute("SELECT count(*) FROM members").fetchone()[0]
    assert 0 < scoped.height < everyone.height and members < 1500
    assert_frame_equal(scoped.sort("member_id", "paid_at", "net_cents"),
                       through_views.sort("member_id", "paid_at", "net_cents"), check_exact=True)
    assert everyone.columns == ["member_id", "paid_at", "net_cents"]
    assert_frame_equal(everyone, everyone.sort("member_id", "paid_at", maintain_order=True))
    # valid_order_days_cached == the DuckDB group-by it replaces (queries/m_valid_order_days.sql)
    with reading(brand) as con:
        fetched = inputs.valid_order_days(read_context(con)).collect()
    assert_frame_equal(everyone_days, fetched.sort("member_id", "day"), check_exact=True)


def test_kpis_from_the_cached_frame_equal_kpis_from_the_views(brand):
    inputs.clear_orders_cache()
    for scope in [Scope(), *SCOPES[:2]]:
        with reading(brand) as con:
            apply_scope(con, scope)
            got = run_metric(con, "kpis", RANGE)[1].drop("start", "end")
            rng = DateRange(dt.date(2025, 11, 1), dt.date(2026, 10, 31))
            direct = kpis(inputs.members(read_context(con)), inputs.valid_orders(read_context(con)), inputs.friends(read_context(con)), lo=rng.lo, hi=rng.hi)
        assert_frame_equal(got, direct, check_exact=True)


def test_last_day_and_snapshot_dates_from_memory_equal_the_queries(brand, tmp_path):
    """data_last_day and snapshot_dates are computed from the frames kept in memory; the SQL they replace
    (queries/m_data_last_day.sql, the distinct snapshot dates) must agree in every scope, including a store
    whose only orders are invalid (the last day reads every order, valid or not) and one nobody is in."""
    import shutil

    from siyu.db import writing

    db = tmp_path / "brand.duckdb"
    shutil.copy(brand, db)
    with writing(db) as con:  # a refunded order, later than any other, in a store with no valid order
        con.execute("INSERT INTO orders (order_id, member_id, paid_at, paid_cents, refunded_cents, status, store,"
                    " batch_id) SELECT 'late-refund', min(member_id), TIMESTAMP '2030-01-02 10:00', 1000, 1000,"
                    " 'refunded', '只有退款的店', 1 FROM members")
    inputs.clear_orders_cache()
    checked = []
    for scope in [Scope(), *SCOPES, Scope(store="只有退款的店"), Scope(channel="不存在的渠道")]:
        with reading(db) as con:
            apply_scope(con, scope)
            memory = inputs.data_last_day(read_context(con)), inputs.snapshot_dates(read_context(con))
            sql = (con.sql("SELECT CAST(greatest((SELECT max(joined_at) FROM members), (SELECT max(paid_at) FROM orders),"
                           " (SELECT max(added_at) FROM friends), (SELECT max(deleted_at) FROM friends)) AS DATE)")
                   .fetchall()[0][0],
                   [r[0] for r in con.sql("SELECT DISTINCT snapshot_date FROM member_snapshots ORDER BY 1 DESC").fetchall()])
        assert memory == sql, scope
        checked.append(memory[0])
    assert checked[0] == dt.date(2030, 1, 2)  # the refunded order counts for the data's last day
    assert dt.date(2030, 1, 2) in checked[1:]  # ... and under its store's filter
    assert checked[-1] is None  # nobody in scope: no day
