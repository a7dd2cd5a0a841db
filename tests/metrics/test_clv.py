"""`metric clv` / `metric clv_members` end to end: the raw CDNOW log imported into siyu reproduces
the published BG/NBD and Gamma-Gamma fits through siyu's own RFM summary."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from pathlib import Path

import polars as pl
import pytest

from siyu.cli import main

_spec = importlib.util.spec_from_file_location("cdnow_db", Path(__file__).with_name("cdnow_db.py"))
cdnow_db = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(cdnow_db)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cdnow_db.build_cdnow_db(tmp_path_factory.mktemp("cdnow") / "cdnow.duckdb")


def _json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


def test_clv_reproduces_the_papers_parameters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "metric", "clv", "--db", str(db), "--param", "calibration_end=1997-09-30", "--format", "json")
    b, g = out["bgnbd"], out["gamma_gamma"]
    assert set(b) >= {"r", "alpha", "a", "b", "loglik", "n_customers"}
    assert set(g) >= {"p", "q", "v", "n_customers"}
    assert (round(b["r"], 3), round(b["alpha"], 3), round(b["a"], 3), round(b["b"], 3)) == (0.243, 4.414, 0.793, 2.426)
    assert round(b["loglik"], 1) == -9582.4
    assert b["n_customers"] == 2357 and b["converged"] is True
    assert g["p"] == pytest.approx(6.25, abs=0.01) and g["q"] == pytest.approx(3.74, abs=0.01)
    assert g["v"] == pytest.approx(15.44, abs=0.01) and g["n_customers"] == 946
    assert out["holdout"] is None and out["unit"] == "week"


def test_holdout_counts_actual_purchase_days(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = _json(capsys, "metric", "clv", "--db", str(db), "--param", "calibration_end=1997-09-30",
                "--param", "holdout_end=1998-06-30")
    hold = out["holdout"]
    # independent count: distinct (customer, day) pairs after calibration, up to the holdout end
    log = cdnow_db.cdnow_orders()
    expected = log.filter((pl.col("day") > dt.date(1997, 9, 30)) & (pl.col("day") <= dt.date(1998, 6, 30))) \
        .select("customer", "day").unique().height
    assert hold["actual_total"] == pytest.approx(expected)
    assert hold["length"] == pytest.approx(273 / 7)
    buckets = {row["bucket"]: row for row in hold["buckets"]}
    assert list(buckets) == ["0", "1", "2", "3", "4", "5", "6", "7+", "total"]
    assert sum(buckets[k]["customers"] for k in list(buckets)[:-1]) == buckets["total"]["customers"] == 2357
    assert buckets["0"]["customers"] == 1411  # the paper: 1,411 of 2,357 made no repeat purchase
    # the model's total forecast lies within 15% of what happened
    assert hold["predicted_total"] == pytest.approx(hold["actual_total"], rel=0.15)


def test_clv_members_one_row_per_buyer(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "metric", "clv_members", "--db", str(db), "--param", "calibration_end=1997-09-30")
    assert len(rows) == 2357
    first = next(r for r in rows if r["member_id"] == "siyu:4")  # no identifiers in this fixture
    assert first["siyu_id"] == 4
    # customer 4: purchases on 01-01, 01-18, 08-02 before the cut-off -> x = 2, t_x = 213/7, T = 272/7
    assert (first["frequency"], first["recency"], first["T"]) == (2, 213 / 7, 272 / 7)
    assert first["monetary_value"] == pytest.approx((29.73 + 14.96) / 2)
    params = (0.2425946, 4.4136020, 0.7929225, 2.4259106)
    r, alpha, a, b = params
    p_alive = 1 / (1 + a / (b + 1) * ((alpha + 272 / 7) / (alpha + 213 / 7)) ** (r + 2))
    assert first["p_alive"] == pytest.approx(p_alive, rel=1e-5)
    for row in rows:
        assert 0 <= row["p_alive"] <= 1
        assert 0 <= row["expected_purchases_30d"] <= row["expected_purchases_90d"] <= row["expected_purchases_365d"]
        assert row["clv"] >= 0 and row["model"] == "bgnbd"


def test_empty_database_gives_empty_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = str(tmp_path / "empty.duckdb")
    out = _json(capsys, "metric", "clv", "--db", empty)
    assert out["bgnbd"]["n_customers"] == 0 and out["bgnbd"]["converged"] is False
    assert _json(capsys, "metric", "clv_members", "--db", empty) == []
    assert main(["metric", "clv_members", "--db", empty, "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("member_id,siyu_id,frequency,recency,T,monetary_value,p_alive")


def test_bad_parameters(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metric", "clv", "--db", str(db), "--param", "calibration_end=1997-09-30",
                 "--param", "holdout_end=1997-01-01"]) == 1
    assert "holdout_end" in capsys.readouterr().err
    assert main(["metric", "clv", "--db", str(db), "--param", "unit=month"]) == 1
    assert "unit" in capsys.readouterr().err


def test_at_risk_super_users_on_cdnow(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "metric", "at_risk_super_users", "--db", str(db), "--param", "calibration_end=1997-09-30")
    assert rows, "CDNOW has valuable buyers who went quiet"
    for row in rows:
        assert row["value_rank_share"] <= 0.2 and row["p_alive"] < 0.5 and row["p_alive_drop"] > 0
        assert row["days_since_last"] > 0
    clvs = [r["clv"] for r in rows]
    assert clvs == sorted(clvs, reverse=True)
