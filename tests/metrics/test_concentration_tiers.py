"""GMV concentration, tier distribution and tier migration on hand-checked fixtures."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest

from siyu.metrics.concentration import gmv_concentration
from siyu.metrics.tier_migration import tier_migration
from siyu.metrics.tiers import tier_distribution
from tests.metrics import analytics_db

D, T = dt.date, dt.datetime


def spend(cents: list[int]) -> pl.LazyFrame:
    return pl.LazyFrame({"member_id": list(range(1, len(cents) + 1)), "net_cents": cents})


def test_concentration_literal() -> None:
    got = gmv_concentration(spend([300, 0, 100, 500, 100]))  # total 10 yuan over 5 buyers
    assert got.columns == ["kind", "buyer_share", "buyers", "gmv", "gmv_share", "gini"]
    assert got.select("kind", "buyer_share", "buyers", "gmv", "gmv_share").rows() == [
        ("top", 0.01, 1, 5.0, 0.5),
        ("top", 0.05, 1, 5.0, 0.5),
        ("top", 0.1, 1, 5.0, 0.5),
        ("top", 0.2, 1, 5.0, 0.5),
        ("top", 0.5, 3, 9.0, 0.9),        # ceil(2.5) = 3 buyers: 5 + 3 + 1
        ("lorenz", 0.0, 0, 0.0, 0.0),
        ("lorenz", 0.2, 1, 0.0, 0.0),
        ("lorenz", 0.4, 2, 1.0, 0.1),
        ("lorenz", 0.6, 3, 2.0, 0.2),
        ("lorenz", 0.8, 4, 5.0, 0.5),
        ("lorenz", 1.0, 5, 10.0, 1.0),
    ]
    # (-4*0 - 2*100 + 0*100 + 2*300 + 4*500) / (5 * 1000); also 1 - 2 * trapezoid area 0.26
    assert got["gini"].unique().to_list() == [pytest.approx(0.48)]


def test_concentration_invariants_and_gini_cross_check() -> None:
    rng = random.Random(3)
    cents = [int(rng.paretovariate(1.2) * 1000) for _ in range(2500)]
    got = gmv_concentration(spend(cents))
    lorenz = got.filter(pl.col("kind") == "lorenz")
    assert lorenz.height == 101 and lorenz.row(0)[1:5] == (0.0, 0, 0.0, 0.0)
    assert lorenz["buyer_share"][-1] == 1.0 and lorenz["gmv_share"][-1] == pytest.approx(1.0)
    assert lorenz["gmv_share"].is_sorted()
    n, mean = len(cents), sum(cents) / len(cents)
    mad = sum(abs(a - b) for a in cents[:400] for b in cents[:400])  # plain Gini on a subsample
    sub = cents[:400]
    gini_sub = mad / (2 * len(sub) ** 2 * (sum(sub) / len(sub)))
    assert gmv_concentration(spend(sub))["gini"][0] == pytest.approx(gini_sub, rel=1e-12)
    top = got.filter(pl.col("kind") == "top")
    biggest = sorted(cents, reverse=True)
    assert top["gmv"].to_list() == pytest.approx([sum(biggest[: -(-p * n // 100)]) / 100 for p in (1, 5, 10, 20, 50)])
    assert 0 < got["gini"][0] < 1 and mean > 0


def test_concentration_empty_and_all_free() -> None:
    assert gmv_concentration(spend([])).height == 0
    free = gmv_concentration(spend([0, 0]))
    assert free["gmv_share"].null_count() == free.height and free["gini"][0] is None


MEMBERS = pl.LazyFrame({"member_id": [1, 2, 3, 4, 5],
                        "joined_at": [T(2024, 1, 3), T(2024, 1, 20), T(2024, 2, 1), T(2024, 3, 1), T(2024, 5, 1)]})
SNAPSHOTS = pl.LazyFrame(
    [(1, D(2024, 1, 31), "普通"), (2, D(2024, 1, 31), "高级"), (1, D(2024, 3, 31), "高级"),
     (3, D(2024, 3, 31), "普通"), (4, D(2024, 3, 31), "黑卡"), (1, D(2024, 5, 31), "尊享")],
    schema={"member_id": pl.Int64, "snapshot_date": pl.Date, "tier": pl.String}, orient="row")
TIERS = pl.LazyFrame({"tier": ["高级", "普通", "尊享"], "rank": [2, 1, 3]})
ORDERS = pl.LazyFrame(
    [(1, T(2024, 3, 1, 9), 10000), (2, T(2024, 2, 1, 9), 5000), (2, T(2024, 4, 15, 9), 2000),
     (6, T(2024, 3, 10, 9), 3000)],   # member 6 is a shop buyer not (yet) in members: unranked
    schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}, orient="row")


def test_tier_distribution_literal() -> None:
    got = tier_distribution(MEMBERS, SNAPSHOTS, TIERS, ORDERS, start=D(2024, 1, 1), end=D(2024, 3, 31))
    assert got.columns == ["tier", "rank", "members", "share", "buyers", "gmv", "gmv_share", "arpu", "gmv_per_member"]
    expected = [
        ("普通", 1, 1, 0.2, 0, 0.0, 0.0, 0.0, 0.0),
        ("高级", 2, 2, 0.4, 2, 150.0, 150 / 180, 75.0, 75.0),
        ("尊享", 3, 0, 0.0, 0, 0.0, 0.0, 0.0, 0.0),       # on the ladder: shown with zeros
        ("黑卡", None, 1, 0.2, 0, 0.0, 0.0, 0.0, 0.0),     # not on the ladder: after it
        ("未定级", None, 1, 0.2, 1, 30.0, 30 / 180, 30.0, 30.0),
    ]
    for row, exp in zip(got.rows(), expected, strict=True):
        assert row[:3] == exp[:3] and row[4] == exp[4]
        assert row[3:] == pytest.approx(exp[3:])
    assert got["share"].sum() == pytest.approx(1.0) and got["gmv_share"].sum() == pytest.approx(1.0)


def test_tier_migration_literal_matrix() -> None:
    got = tier_migration(SNAPSHOTS, TIERS, from_date=D(2024, 1, 31), to_date=D(2024, 3, 31))
    assert got.columns == ["from_tier", "from_rank", "to_tier", "to_rank", "members", "share_of_from", "direction"]
    assert got.select("from_tier", "to_tier", "members", "share_of_from", "direction").rows() == [
        ("普通", "普通", 0, 0.0, "same"), ("普通", "高级", 1, 1.0, "up"),
        ("普通", "黑卡", 0, 0.0, "other"), ("普通", "未定级", 0, 0.0, "exit"),
        ("高级", "普通", 0, 0.0, "down"), ("高级", "高级", 1, 1.0, "same"),
        ("高级", "黑卡", 0, 0.0, "other"), ("高级", "未定级", 0, 0.0, "exit"),
        ("黑卡", "普通", 0, None, "other"), ("黑卡", "高级", 0, None, "other"),
        ("黑卡", "黑卡", 0, None, "other"), ("黑卡", "未定级", 0, None, "exit"),
        ("未定级", "普通", 1, 0.5, "enter"), ("未定级", "高级", 0, 0.0, "enter"),
        ("未定级", "黑卡", 1, 0.5, "enter"), ("未定级", "未定级", 0, 0.0, "enter"),
    ]


def test_tier_migration_empty() -> None:
    assert tier_migration(SNAPSHOTS.clear(), TIERS, from_date=D(2024, 1, 1), to_date=D(2024, 2, 1)).height == 0


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analytics_db.build(tmp_path_factory.mktemp("tiers") / "brand.duckdb")


def test_cli(db: Path, tmp_path: Path) -> None:
    rows = analytics_db.run_json(db, "tiers")
    assert [(r["tier"], r["members"], r["buyers"], r["gmv"]) for r in rows] == [
        # as of 03-20 (the data's last day) only the 01-31 snapshot counts; 3, 4, 5 are unranked
        ("普通", 1, 1, 150.0), ("高级", 1, 1, 150.0), ("尊享", 0, 0, 0.0), ("未定级", 3, 1, 80.0)]
    rows = analytics_db.run_json(db, "tier_migration")
    assert [(r["from_tier"], r["to_tier"], r["members"]) for r in rows if r["members"]] == [
        ("普通", "高级", 1), ("高级", "高级", 1), ("未定级", "普通", 1)]
    rows = analytics_db.run_json(db, "concentration", "start=2024-01-01", "end=2024-01-31")
    assert [(r["kind"], r["buyers"], r["gmv"]) for r in rows if r["kind"] == "top"][-1] == ("top", 1, 150.0)
    for name in ("tiers", "tier_migration", "concentration"):
        code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", name, fmt="csv")
        assert code == 0 and text.count("\n") == 1


def test_tiers_from_snapshots_sorted_by_member_then_date_equal_the_group_by() -> None:
    """The pages pass the cached snapshot frame (sorted by member then date) with assume_sorted=True: the
    latest snapshot is read as the last row of each member's run. Same answers as the group-by, on the
    literal fixture and on 3,000 random snapshots whose input order is shuffled before sorting."""
    rng = random.Random(7)
    tiers = ["普通", "高级", "尊享", "黑卡"]
    rows = [(m, D(2024, 1, 1) + dt.timedelta(days=30 * k), rng.choice(tiers))
            for m in range(1, 800) for k in rng.sample(range(12), rng.randint(1, 6))]
    rng.shuffle(rows)
    generated = pl.LazyFrame(rows, schema={"member_id": pl.Int64, "snapshot_date": pl.Date, "tier": pl.String}, orient="row")
    for snapshots in (SNAPSHOTS, generated):
        ordered = snapshots.sort("member_id", "snapshot_date")
        for day in (D(2024, 1, 31), D(2024, 3, 31), D(2024, 7, 1)):
            assert tier_distribution(MEMBERS, ordered, TIERS, ORDERS, start=D(2024, 1, 1), end=day,
                                     assume_sorted=True).equals(
                tier_distribution(MEMBERS, snapshots, TIERS, ORDERS, start=D(2024, 1, 1), end=day))
        for lo, hi in ((D(2024, 1, 31), D(2024, 3, 31)), (D(2024, 2, 1), D(2024, 9, 30))):
            fast = tier_migration(ordered, TIERS, from_date=lo, to_date=hi, assume_sorted=True)
            assert fast.equals(tier_migration(snapshots, TIERS, from_date=lo, to_date=hi)) and fast["members"].sum() > 0
    # Unsorted input read as sorted would be wrong: the test above is not vacuous.
    shuffled = generated.collect().sample(fraction=1.0, shuffle=True, seed=1).lazy()
    assert not tier_migration(shuffled, TIERS, from_date=D(2024, 2, 1), to_date=D(2024, 9, 30), assume_sorted=True).equals(
        tier_migration(generated, TIERS, from_date=D(2024, 2, 1), to_date=D(2024, 9, 30)))
