"""RFM summary with lifetimes semantics: a literal table, the cut-offs, and a pandas cross-check."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from siyu.errors import MetricError
from siyu.metrics.rfm import rfm_summary
from tests.metrics import analytics_db

D, T = dt.date, dt.datetime

ORDERS = [  # member, paid_at, net_cents
    (7, T(2024, 1, 1, 9), 10000), (7, T(2024, 1, 1, 20), 2000),   # one purchase day worth 120
    (7, T(2024, 1, 8, 9), 3000), (7, T(2024, 1, 29, 9), 5000),    # repeat days: 30, 50 -> mean 40
    (3, T(2024, 1, 15, 9), 0),                                    # a free sample is a purchase day
    (12, T(2024, 1, 10, 9), 9900), (12, T(2024, 2, 5, 9), 100),   # 02-05 is after calibration_end below
]


def frame(rows=ORDERS) -> pl.LazyFrame:
    return pl.LazyFrame(rows, schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64},
                        orient="row")


def test_days_default_observation_end_is_the_last_order_day() -> None:
    got = rfm_summary(frame())
    assert got.columns == ["member_id", "frequency", "recency", "T", "monetary_value"]
    assert got.rows() == [
        ("3", 0, 0.0, 21.0, 0.0),      # 01-15 .. 02-05
        ("7", 2, 28.0, 35.0, 40.0),
        ("12", 1, 26.0, 26.0, 1.0),
    ]


def test_weeks_and_explicit_observation_end() -> None:
    got = rfm_summary(frame(), observation_end=D(2024, 2, 12), unit="week")
    assert got.rows() == [("3", 0, 0.0, 4.0, 0.0), ("7", 2, 4.0, 6.0, 40.0), ("12", 1, 26 / 7, 33 / 7, 1.0)]


def test_calibration_end_ignores_later_orders() -> None:
    got = rfm_summary(frame(), observation_end=D(2024, 3, 1), calibration_end=D(2024, 1, 20))
    assert got.rows() == [("3", 0, 0.0, 5.0, 0.0), ("7", 1, 7.0, 19.0, 30.0), ("12", 0, 0.0, 10.0, 0.0)]
    with pytest.raises(MetricError):
        rfm_summary(frame(), observation_end=D(2024, 1, 1), calibration_end=D(2024, 1, 20))


def test_empty() -> None:
    assert rfm_summary(frame([])).schema == pl.Schema(
        {"member_id": pl.String, "frequency": pl.Int64, "recency": pl.Float64, "T": pl.Float64,
         "monetary_value": pl.Float64})


def pandas_rfm(rows: list[tuple], end: dt.date) -> pd.DataFrame:
    """The definition the straightforward pandas way (as lifetimes computes it)."""
    df = pd.DataFrame(rows, columns=["member_id", "paid_at", "net_cents"])
    df["day"] = df.paid_at.dt.normalize()
    df = df[df.day <= pd.Timestamp(end)]
    daily = df.groupby(["member_id", "day"], as_index=False).net_cents.sum().sort_values(["member_id", "day"])
    g = daily.groupby("member_id")
    out = pd.DataFrame({"frequency": g.size() - 1, "first": g.day.min(), "last": g.day.max()})
    out["recency"] = (out["last"] - out["first"]).dt.days.astype(float)
    out["T"] = (pd.Timestamp(end) - out["first"]).dt.days.astype(float)
    repeat = daily[daily.duplicated("member_id")].groupby("member_id").net_cents.mean() / 100
    out["monetary_value"] = repeat.reindex(out.index).fillna(0.0)
    out.index = out.index.astype(str)
    return out[["frequency", "recency", "T", "monetary_value"]]


@pytest.mark.parametrize("seed", [1, 2])
def test_matches_pandas_on_random_orders(seed: int) -> None:
    rng = random.Random(seed)
    rows = [(rng.randint(1, 80), T(2023, 1, 1) + dt.timedelta(minutes=rng.randint(0, 500 * 1440)),
             rng.choice([0, 100, 4990, 12000])) for _ in range(600)]
    end = D(2024, 3, 1)
    got = rfm_summary(frame(rows), observation_end=end).to_pandas().set_index("member_id")
    want = pandas_rfm(rows, end)
    assert sorted(got.index) == sorted(want.index)
    got = got.loc[want.index]
    assert (got.frequency.to_numpy() == want.frequency.to_numpy()).all()
    for col in ("recency", "T", "monetary_value"):
        assert got[col].to_numpy() == pytest.approx(want[col].to_numpy(), rel=1e-12)


def test_cli_csv_and_empty(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    code, text = analytics_db.run_cli(db, "rfm", "unit=week", fmt="csv")
    assert code == 0
    # Valid orders: 1 on 01-03 and 02-10 (100, 50 yuan); 2 on 01-21 (150); 3 on 02-02 (0) and 03-20 (80).
    assert text.splitlines() == [
        "member_id,siyu_id,frequency,recency,T,monetary_value",  # siyu:N: no identifiers in this fixture
        "siyu:1,1,1,5.428571428571429,11.0,50.0",             # 38 days, T 77 days (to 03-20, the last order day)
        "siyu:2,2,0,0.0,8.428571428571429,0.0",               # T 59 days (2024 is a leap year)
        "siyu:3,3,1,6.714285714285714,6.714285714285714,80.0",  # 47 days
    ]
    code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", "rfm", fmt="csv")
    assert code == 0 and text == "member_id,siyu_id,frequency,recency,T,monetary_value\n"


def test_presorted_fast_path_matches() -> None:
    from siyu.metrics.order_runs import sort_by_member_day

    rng = random.Random(5)
    rows = [(rng.randint(1, 50), T(2023, 1, 1) + dt.timedelta(minutes=rng.randint(0, 400 * 1440)),
             rng.randint(0, 9000)) for _ in range(500)]
    presorted = sort_by_member_day(frame(rows)).collect().lazy()
    assert rfm_summary(frame(rows), unit="week").equals(rfm_summary(presorted, unit="week", assume_sorted=True))
