"""Referral forest, K-factor, leaderboard and referred-vs-organic on hand-checked graphs."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import polars as pl
import pytest

from siyu.metrics.k_factor import k_factor
from siyu.metrics.referral_leaderboard import referral_leaderboard
from siyu.metrics.referrals import referral_forest, referral_trees
from siyu.metrics.referred_vs_organic import referred_vs_organic
from tests.metrics import analytics_db

D, T = dt.date, dt.datetime
EDGE_SCHEMA = {"referee_id": pl.Int64, "referrer_id": pl.Int64, "referred_at": pl.Datetime("us")}


def edges(rows: list[tuple]) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema=EDGE_SCHEMA, orient="row")


GRAPH = edges([
    (2, 1, T(2024, 1, 1)), (3, 1, T(2024, 1, 2)), (4, 2, T(2024, 1, 3)), (5, 4, T(2024, 1, 4)),
    (6, 5, T(2024, 1, 5)), (7, 6, T(2024, 1, 6)), (8, 7, T(2024, 1, 7)),
    (4, 3, T(2024, 1, 9)),                      # a second referrer for 4: the first (2) wins
    (9, 9, T(2024, 1, 9)),                      # self-referral
    (10, 11, T(2024, 2, 1)), (11, 12, T(2024, 2, 2)), (12, 10, T(2024, 2, 3)),  # a cycle, closed on 02-03
    (13, 12, T(2024, 2, 4)),
])


def test_forest_literal_with_duplicate_self_referral_and_cycle() -> None:
    nodes, issues = referral_forest(GRAPH)
    assert nodes.columns == ["member_id", "referrer_id", "root", "depth", "referees_direct", "descendants",
                             "tree_size", "tree_depth", "cycle_broken"]
    assert nodes.rows() == [
        (1, None, 1, 0, 2, 7, 8, 6, False),
        (2, 1, 1, 1, 1, 5, 8, 6, False),
        (3, 1, 1, 1, 0, 0, 8, 6, False),
        (4, 2, 1, 2, 1, 4, 8, 6, False),
        (5, 4, 1, 3, 1, 3, 8, 6, False),
        (6, 5, 1, 4, 1, 2, 8, 6, False),
        (7, 6, 1, 5, 1, 1, 8, 6, False),
        (8, 7, 1, 6, 0, 0, 8, 6, False),
        (10, 11, 12, 2, 0, 0, 4, 2, False),
        (11, 12, 12, 1, 1, 1, 4, 2, False),
        (12, None, 12, 0, 2, 3, 4, 2, True),    # the edge 10 -> 12 closed the cycle and was dropped
        (13, 12, 12, 1, 0, 0, 4, 2, False),
    ]
    assert issues.select("kind", "referee_id", "referrer_id", "referred_at").rows() == [
        ("self_referral", 9, 9, T(2024, 1, 9)),
        ("duplicate_referee", 4, 3, T(2024, 1, 9)),
        ("cycle", 12, 10, T(2024, 2, 3)),
    ]
    assert referral_trees(nodes).rows() == [(1, 8, 6, 2), (12, 4, 2, 2)]


def test_forest_empty() -> None:
    nodes, issues = referral_forest(edges([]))
    assert nodes.height == 0 and issues.height == 0 and referral_trees(nodes).height == 0


def _plain_forest(pairs: list[tuple[int, int]]) -> dict[int, tuple]:
    parent = dict(pairs)
    nodes = set(parent) | set(parent.values())
    kids: dict[int, list[int]] = {n: [] for n in nodes}
    for c, p in pairs:
        kids[p].append(c)

    def up(n: int) -> tuple[int, int]:
        d = 0
        while n in parent:
            n, d = parent[n], d + 1
        return n, d

    def size(n: int) -> int:
        return 1 + sum(size(k) for k in kids[n])

    out = {}
    for n in nodes:
        root, depth = up(n)
        out[n] = (root, depth, len(kids[n]), size(n) - 1, size(root))
    return out


def test_forest_matches_plain_python_on_a_random_forest() -> None:
    rng = random.Random(4)
    pairs = [(i, rng.randrange(0, i) if rng.random() < 0.9 else -i) for i in range(1, 600)]
    pairs = [(c, p) for c, p in pairs if p >= 0]
    nodes, issues = referral_forest(edges([(c, p, T(2024, 1, 1)) for c, p in pairs]))
    want = _plain_forest(pairs)
    got = {r[0]: (r[2], r[3], r[4], r[5], r[6]) for r in nodes.rows()}
    assert got == want and issues.height == 0
    assert nodes["depth"].max() >= 6


def test_forest_on_300k_edges_is_fast() -> None:
    import time
    n = 300_000
    rng = random.Random(1)
    parents = [rng.randrange(max(0, i - 5000), i) for i in range(1, n + 1)]
    frame = pl.LazyFrame({"referee_id": range(1, n + 1), "referrer_id": parents,
                          "referred_at": [T(2024, 1, 1)] * n})
    started = time.perf_counter()
    nodes, _ = referral_forest(frame)
    assert nodes.height == n + 1 and time.perf_counter() - started < 5


ORDERS = pl.LazyFrame(
    [(1, D(2024, 1, 1), 100), (2, D(2024, 1, 6), 100), (3, D(2024, 1, 10), 1), (3, D(2024, 2, 10), 1),
     (4, D(2024, 3, 3), 1)],
    schema={"member_id": pl.Int64, "paid_at": pl.Date, "net_cents": pl.Int64}, orient="row")
CHAIN = edges([(2, 1, T(2024, 1, 5)), (3, 1, T(2024, 1, 20)), (4, 2, T(2024, 2, 3))])


def test_k_factor_by_month_literal() -> None:
    got = k_factor(CHAIN, ORDERS, as_of=D(2024, 3, 15))
    # Jan: 2 converts (bought 01-06 after being referred 01-05); 3 had bought before being referred.
    assert got.rows() == [
        (D(2024, 1, 1), 2, 1, 3, 1 / 3, True),
        (D(2024, 2, 1), 1, 0, 1, 0.0, True),
        (D(2024, 3, 1), 0, 1, 1, 1.0, False),
    ]


def test_k_factor_by_generation_literal() -> None:
    got = k_factor(CHAIN, ORDERS, by="generation", as_of=D(2024, 3, 15))
    assert got.rows() == [(0, 1, 1, 1.0, None), (1, 2, 1, 0.5, 1.0), (2, 1, 1, 1.0, 1.0)]
    assert k_factor(edges([]), ORDERS.clear(), by="generation", as_of=None).height == 0


FLAGGED = pl.LazyFrame(
    [(2, T(2024, 1, 2), 10000, 10000, 0, False),
     (3, T(2024, 1, 3), 990, 990, 1000, True),      # coupon-only (9.90 yuan after a coupon)
     (4, T(2024, 1, 4), 0, 0, 0, False),            # free sample
     (5, T(2024, 1, 5), 5000, 5000, 0, False)],
    schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64, "paid_cents": pl.Int64,
            "discount_cents": pl.Int64, "has_coupon": pl.Boolean}, orient="row")
FRIENDS = pl.LazyFrame(
    [(5, T(2024, 1, 1), None), (6, T(2024, 1, 1), T(2024, 1, 2))],
    schema={"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us")}, orient="row")
TEAM = edges([(2, 1, T(2024, 1, 1)), (3, 1, T(2024, 1, 1)), (4, 2, T(2024, 1, 1)), (5, 2, T(2024, 1, 1)),
              (6, 2, T(2024, 1, 1))])


def test_leaderboard_literal_and_exclusions() -> None:
    got = referral_leaderboard(TEAM, FLAGGED, FRIENDS)
    assert got.columns == ["rank", "member_id", "referees", "referee_buyers", "referee_gmv", "excluded_referees",
                           "descendants"]
    assert got.rows() == [(1, 1, 2, 2, 109.9, 0, 5), (2, 2, 3, 2, 50.0, 0, 3)]
    got = referral_leaderboard(TEAM, FLAGGED, FRIENDS, exclude_coupon_only=True)
    assert got.rows() == [(1, 1, 1, 1, 100.0, 1, 5), (2, 2, 2, 1, 50.0, 1, 3)]
    got = referral_leaderboard(TEAM, FLAGGED, FRIENDS, exclude_coupon_only=True, exclude_deleted=True, top=1)
    assert got.rows() == [(1, 1, 1, 1, 100.0, 1, 5)]
    assert referral_leaderboard(edges([]), FLAGGED, FRIENDS).height == 0


def test_referred_vs_organic_literal() -> None:
    members = pl.LazyFrame({"member_id": [1, 2, 3, 4],
                            "joined_at": [T(2024, 1, 1), T(2024, 1, 10), T(2024, 12, 1), T(2024, 2, 1)]})
    orders = pl.LazyFrame(
        [(1, T(2023, 12, 31, 9), 50000),   # before joining: ignored
         (1, T(2024, 1, 5, 9), 10000), (1, T(2024, 3, 1, 9), 20000), (1, T(2024, 8, 1, 9), 5000),
         (2, T(2024, 1, 10, 12), 30000), (2, T(2024, 5, 1, 9), 10000), (3, T(2024, 12, 2, 9), 1000)],
        schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}, orient="row")
    got = referred_vs_organic(members, edges([(2, 1, T(2024, 1, 10)), (3, 2, T(2024, 12, 1))]), orders,
                              as_of=D(2024, 12, 31))
    assert got.columns == ["group", "members", "buyers", "mature_members", "conversion_90", "repeat_rate",
                           "retention_90", "ltv_90"]
    assert got.rows() == [
        ("referred", 2, 2, 1, 1.0, 0.5, 0.0, 300.0),   # 2 bought again only on 05-01, > 90 days later
        ("organic", 2, 1, 2, 0.5, 1.0, 1.0, 150.0),    # 1: 100 + 200 yuan in 90 days; 4 never buys
    ]
    assert referred_vs_organic(members, edges([]), orders, as_of=None).height == 0


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analytics_db.build(tmp_path_factory.mktemp("refs") / "brand.duckdb")


def test_cli(db: Path, tmp_path: Path) -> None:
    rows = analytics_db.run_json(db, "referrals")
    # member_id is the member's own id (siyu:N: this fixture has no identifiers), siyu_id and root siyu's ids.
    assert [(r["member_id"], r["siyu_id"], r["root"], r["root_member_id"], r["depth"], r["descendants"]) for r in rows] == [
        ("siyu:1", 1, 1, "siyu:1", 0, 2), ("siyu:3", 3, 1, "siyu:1", 1, 1), ("siyu:4", 4, 1, "siyu:1", 2, 0)]
    assert analytics_db.run_json(db, "referrals", "view=trees") == [
        {"root": 1, "root_member_id": "siyu:1", "tree_size": 3, "tree_depth": 2, "referees_direct": 1}]
    assert analytics_db.run_json(db, "referrals", "view=issues") == []
    # root=: one tree's members (the Referrals page draws one tree); a root nobody has gives no rows.
    assert [r["siyu_id"] for r in analytics_db.run_json(db, "referrals", "view=members", "root=1")] == [1, 3, 4]
    assert analytics_db.run_json(db, "referrals", "view=members", "root=3") == []
    board = analytics_db.run_json(db, "referral_leaderboard", "exclude_coupon_only=true")
    assert [(r["siyu_id"], r["referees"], r["referee_buyers"], r["excluded_referees"]) for r in board] == [
        (1, 1, 1, 0), (3, 1, 0, 0)]   # 4's only order was fully refunded: a referee, not a buyer, not excluded
    assert len(analytics_db.run_json(db, "k_factor", "by=generation")) == 3
    assert [r["group"] for r in analytics_db.run_json(db, "referred_vs_organic")] == ["referred", "organic"]
    for name in ("referrals", "k_factor", "referral_leaderboard", "referred_vs_organic"):
        code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", name, fmt="csv")
        assert code == 0 and text.count("\n") == 1
