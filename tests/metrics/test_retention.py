"""Retention triangles written out by hand (PostHog style), invariants, and a plain-Python cross-check."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from pathlib import Path

import polars as pl
import pytest

from siyu.errors import MetricError
from siyu.metrics.retention import cohort_retention
from tests.metrics import analytics_db

D = dt.date
T = dt.datetime
AS_OF = D(2024, 4, 10)

# member, paid_at, net_cents
ORDERS = [
    (1, T(2024, 1, 3, 10), 10000), (1, T(2024, 2, 10, 9), 5000), (1, T(2024, 4, 1, 9), 2000),
    (2, T(2024, 1, 31, 23, 59), 20000),
    (3, T(2024, 2, 1, 0, 0), 1000), (3, T(2024, 2, 15, 12), 3000), (3, T(2024, 3, 31, 8), 4000),
    (4, T(2024, 3, 5, 8), 0),  # a free sample is a valid order: member 4 is a March buyer
]


def orders(rows=ORDERS) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64},
                        orient="row")


def table(frame: pl.DataFrame, *cols: str) -> list[tuple]:
    return [tuple(r) for r in frame.select(cols).iter_rows()]


def test_monthly_members_on() -> None:
    got = cohort_retention(orders(), as_of=AS_OF)
    assert got.columns == ["cohort", "cohort_size", "period", "value", "rate", "complete"]
    assert table(got, "cohort", "cohort_size", "period", "value", "rate", "complete") == [
        (D(2024, 1, 1), 2, 0, 2, 1.0, True),
        (D(2024, 1, 1), 2, 1, 1, 0.5, True),
        (D(2024, 1, 1), 2, 2, 0, 0.0, True),
        (D(2024, 1, 1), 2, 3, 1, 0.5, False),   # April has not ended on 04-10
        (D(2024, 2, 1), 1, 0, 1, 1.0, True),
        (D(2024, 2, 1), 1, 1, 1, 1.0, True),
        (D(2024, 2, 1), 1, 2, 0, 0.0, False),
        (D(2024, 3, 1), 1, 0, 1, 1.0, True),
        (D(2024, 3, 1), 1, 1, 0, 0.0, False),
    ]


def test_monthly_members_on_or_after() -> None:
    got = cohort_retention(orders(), as_of=AS_OF, mode="on_or_after")
    assert table(got, "cohort", "period", "value") == [
        (D(2024, 1, 1), 0, 2), (D(2024, 1, 1), 1, 1), (D(2024, 1, 1), 2, 1), (D(2024, 1, 1), 3, 1),
        (D(2024, 2, 1), 0, 1), (D(2024, 2, 1), 1, 1), (D(2024, 2, 1), 2, 0),
        (D(2024, 3, 1), 0, 1), (D(2024, 3, 1), 1, 0),
    ]


def test_monthly_revenue_with_cumulative_ltv() -> None:
    got = cohort_retention(orders(), as_of=D(2024, 4, 30), measure="revenue")
    assert got.columns == ["cohort", "cohort_size", "period", "value", "rate", "complete", "cumulative"]
    expected = [  # cohort, period, value (yuan), rate (per member), cumulative, complete
        (D(2024, 1, 1), 0, 300.0, 150.0, 150.0, True),
        (D(2024, 1, 1), 1, 50.0, 25.0, 175.0, True),
        (D(2024, 1, 1), 2, 0.0, 0.0, 175.0, True),
        (D(2024, 1, 1), 3, 20.0, 10.0, 185.0, True),   # 04-30 is April's last day: complete
        (D(2024, 2, 1), 0, 40.0, 40.0, 40.0, True),
        (D(2024, 2, 1), 1, 40.0, 40.0, 80.0, True),
        (D(2024, 2, 1), 2, 0.0, 0.0, 80.0, True),
        (D(2024, 3, 1), 0, 0.0, 0.0, 0.0, True),
        (D(2024, 3, 1), 1, 0.0, 0.0, 0.0, True),
    ]
    rows = table(got, "cohort", "period", "value", "rate", "cumulative", "complete")
    assert len(rows) == len(expected)
    for row, exp in zip(rows, expected, strict=True):
        assert row[:2] == exp[:2] and row[5] == exp[5]
        assert row[2:5] == pytest.approx(exp[2:5], rel=1e-12)


def test_weekly_grain_starts_on_monday() -> None:
    rows = [(1, T(2024, 1, 7, 20), 100), (1, T(2024, 1, 8, 1), 100),   # Sunday, then Monday
            (2, T(2024, 1, 8, 9), 100), (2, T(2024, 1, 21, 9), 100)]
    got = cohort_retention(orders(rows), as_of=D(2024, 1, 21), grain="week")
    assert table(got, "cohort", "cohort_size", "period", "value", "complete") == [
        (D(2024, 1, 1), 1, 0, 1, True), (D(2024, 1, 1), 1, 1, 1, True), (D(2024, 1, 1), 1, 2, 0, True),
        (D(2024, 1, 8), 1, 0, 1, True), (D(2024, 1, 8), 1, 1, 1, True),  # 01-21 is a Sunday: week complete
    ]
    got = cohort_retention(orders(rows), as_of=D(2024, 1, 20), grain="week")
    assert got["complete"].to_list() == [True, True, False, True, False]


def test_daily_grain_and_start_end_pick_cohorts() -> None:
    rows = [(1, T(2024, 1, 1, 9), 1), (1, T(2024, 1, 3, 9), 1), (2, T(2024, 1, 2, 9), 1),
            (2, T(2024, 1, 3, 9), 1), (3, T(2024, 1, 3, 9), 1), (3, T(2024, 1, 5, 9), 1)]
    got = cohort_retention(orders(rows), as_of=D(2024, 1, 4), grain="day", start=D(2024, 1, 2), end=D(2024, 1, 3))
    # member 1 (first order 01-01) is outside the cohorts; member 3's 01-05 order is after as_of.
    assert table(got, "cohort", "period", "value", "complete") == [
        (D(2024, 1, 2), 0, 1, True), (D(2024, 1, 2), 1, 1, True), (D(2024, 1, 2), 2, 0, True),
        (D(2024, 1, 3), 0, 1, True), (D(2024, 1, 3), 1, 0, True),
    ]


MEMBERS = pl.LazyFrame(
    [(1, T(2024, 1, 3, 12), "包裹卡"), (2, T(2024, 1, 20, 9), None), (3, T(2024, 2, 1, 0), "包裹卡"),
     (4, T(2024, 3, 1, 0), "门店"), (6, T(2024, 1, 9, 9), "包裹卡")],
    schema={"member_id": pl.Int64, "joined_at": pl.Datetime("us"), "channel": pl.String}, orient="row")


def test_joined_cohort_counts_non_buyers_and_ignores_orders_before_joining() -> None:
    got = cohort_retention(orders(), MEMBERS, as_of=AS_OF, cohort="joined")
    # Jan: members 1, 2, 6 (6 never buys; 1's 01-03 10:00 order precedes their 12:00 join).
    assert table(got, "cohort", "cohort_size", "period", "value") == [
        (D(2024, 1, 1), 3, 0, 1), (D(2024, 1, 1), 3, 1, 1), (D(2024, 1, 1), 3, 2, 0), (D(2024, 1, 1), 3, 3, 1),
        (D(2024, 2, 1), 1, 0, 1), (D(2024, 2, 1), 1, 1, 1), (D(2024, 2, 1), 1, 2, 0),
        (D(2024, 3, 1), 1, 0, 1), (D(2024, 3, 1), 1, 1, 0),
    ]
    assert got["rate"].to_list()[:4] == pytest.approx([1 / 3, 1 / 3, 0, 1 / 3])


def test_channel_cohort_splits_joined_cohorts() -> None:
    got = cohort_retention(orders(), MEMBERS, as_of=D(2024, 2, 29), cohort="channel")
    assert got.columns[:2] == ["cohort", "channel"]
    assert table(got, "cohort", "channel", "cohort_size", "period", "value") == [
        (D(2024, 1, 1), "包裹卡", 2, 0, 0), (D(2024, 1, 1), "包裹卡", 2, 1, 1),
        (D(2024, 1, 1), "未知", 1, 0, 1), (D(2024, 1, 1), "未知", 1, 1, 0),
        (D(2024, 2, 1), "包裹卡", 1, 0, 1),
    ]


def test_first_order_period_zero_is_always_full() -> None:
    got = cohort_retention(orders(_random_orders(7)), as_of=D(2024, 12, 31), grain="week")
    zero = got.filter(pl.col("period") == 0)
    assert (zero["value"] == zero["cohort_size"]).all() and (zero["rate"] == 1.0).all()


def test_empty_and_bad_parameters() -> None:
    empty = orders([])
    assert cohort_retention(empty, as_of=None).height == 0
    assert cohort_retention(empty, MEMBERS.clear(), as_of=AS_OF, cohort="channel", measure="revenue").columns == [
        "cohort", "channel", "cohort_size", "period", "value", "rate", "complete", "cumulative"]
    with pytest.raises(MetricError):
        cohort_retention(orders(), as_of=AS_OF, grain="quarter")
    with pytest.raises(MetricError):
        cohort_retention(orders(), as_of=AS_OF, measure="revenue", mode="on_or_after")


def _random_orders(seed: int, n: int = 400) -> list[tuple]:
    rng = random.Random(seed)
    return [(rng.randint(1, 60), T(2024, 1, 1) + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60)),
             rng.choice([0, 990, 15000, 39900])) for _ in range(n)]


def _month(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def _reference(rows: list[tuple], as_of: dt.date, members: dict | None = None) -> dict:
    """Plain-Python monthly retention: {(cohort_index, k): (size, buyers_on, buyers_on_or_after, net)}."""
    if members is None:
        first: dict[int, dt.date] = {}
        for m, t, _ in rows:
            if t.date() <= as_of:
                first[m] = min(first.get(m, t.date()), t.date())
        cohort_of = {m: _month(d) for m, d in first.items()}
        joined = {m: dt.datetime.min for m in first}
    else:
        cohort_of = {m: _month(j.date()) for m, j in members.items() if j.date() <= as_of}
        joined = members
    active, net = defaultdict(set), defaultdict(int)
    for m, t, c in rows:
        if m in cohort_of and t.date() <= as_of and t >= joined[m]:
            k = _month(t.date()) - cohort_of[m]
            active[(cohort_of[m], k)].add(m)
            net[(cohort_of[m], k)] += c
    sizes = defaultdict(int)
    for c in cohort_of.values():
        sizes[c] += 1
    out = {}
    for c, size in sizes.items():
        for k in range(_month(as_of) - c + 1):
            later = set().union(*(active[(c, j)] for j in range(k, _month(as_of) - c + 1)))
            out[(c, k)] = (size, len(active[(c, k)]), len(later), net[(c, k)] / 100)
    return out


def _as_dict(on: pl.DataFrame, after: pl.DataFrame, revenue: pl.DataFrame) -> dict:
    out = {}
    for a, b, r in zip(on.iter_rows(named=True), after.iter_rows(named=True), revenue.iter_rows(named=True), strict=True):
        out[(_month(a["cohort"]), a["period"])] = (a["cohort_size"], a["value"], b["value"], r["value"])
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_plain_python_on_random_orders(seed: int) -> None:
    rows, as_of = _random_orders(seed), D(2024, 11, 15)
    runs = [cohort_retention(orders(rows), as_of=as_of, mode=m, measure=s)
            for m, s in (("on", "members"), ("on_or_after", "members"), ("on", "revenue"))]
    got, want = _as_dict(*runs), _reference(rows, as_of)
    assert got.keys() == want.keys()
    for key in want:
        assert got[key][:3] == want[key][:3] and got[key][3] == pytest.approx(want[key][3], rel=1e-12)


def test_joined_matches_plain_python_on_random_orders() -> None:
    rows, as_of = _random_orders(11), D(2024, 11, 15)
    rng = random.Random(5)
    joined = {m: T(2024, 1, 1) + dt.timedelta(minutes=rng.randint(0, 330 * 24 * 60)) for m in range(1, 75)}
    members = pl.LazyFrame({"member_id": list(joined), "joined_at": list(joined.values()),
                            "channel": ["x"] * len(joined)})
    runs = [cohort_retention(orders(rows), members, as_of=as_of, cohort="joined", mode=m, measure=s)
            for m, s in (("on", "members"), ("on_or_after", "members"), ("on", "revenue"))]
    got, want = _as_dict(*runs), _reference(rows, as_of, joined)
    assert got.keys() == want.keys()
    for key in want:
        assert got[key][:3] == want[key][:3] and got[key][3] == pytest.approx(want[key][3], rel=1e-12)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return analytics_db.build(tmp_path_factory.mktemp("ret") / "brand.duckdb")


def test_cli_runs_every_combination(db: Path) -> None:
    for cohort in ("first_order", "joined", "channel"):
        for grain in ("day", "week", "month"):
            rows = analytics_db.run_json(db, "retention", f"cohort={cohort}", f"grain={grain}")
            assert rows and all(r["value"] <= r["cohort_size"] for r in rows)
    rows = analytics_db.run_json(db, "retention", "measure=revenue")
    # Data ends 2024-03-20 (o5). Jan cohort: members 1 and 2 (net 100 + 150 yuan), member 1 again in Feb.
    assert [(r["cohort"], r["period"], r["value"], r["cumulative"]) for r in rows] == [
        ("2024-01-01", 0, 250.0, 125.0), ("2024-01-01", 1, 50.0, 150.0), ("2024-01-01", 2, 0.0, 150.0),
        ("2024-02-01", 0, 0.0, 0.0), ("2024-02-01", 1, 80.0, 80.0),
    ]


def test_cli_csv_and_empty_database(tmp_path: Path) -> None:
    code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", "retention", fmt="csv")
    assert code == 0 and text == "cohort,cohort_size,period,value,rate,complete\n"
    code, _ = analytics_db.run_cli(tmp_path / "empty.duckdb", "retention", "grain=year")
    assert code == 1


def test_presorted_fast_path_matches() -> None:
    from siyu.metrics.order_runs import sort_by_member_day

    rows = orders(_random_orders(21, 800))
    presorted = sort_by_member_day(rows).collect().lazy()
    for measure, mode in (("members", "on"), ("members", "on_or_after"), ("revenue", "on")):
        a = cohort_retention(rows, as_of=D(2024, 12, 31), measure=measure, mode=mode, grain="week", start=D(2024, 2, 1))
        b = cohort_retention(presorted, as_of=D(2024, 12, 31), measure=measure, mode=mode, grain="week",
                             start=D(2024, 2, 1), assume_sorted=True)
        assert a.equals(b)
