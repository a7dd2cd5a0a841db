"""Spark parity (siyu.spark): every metric that runs on Spark equals the local engine's output over the
database the lake was exported from — same rows, floats within 1e-9 relative — on the demo brand and on a
hand-built fixture whose figures are written out below. One Spark session (local[2]) for the module."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from siyu.cli import main
from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric as run_local
from siyu.lake.export import export_lake
from siyu.spark.catalog import PLANS
from siyu.spark.job import run_metric as run_spark
from siyu.spark.job import session
from tests.spark.test_lake_export import imported

pytestmark = pytest.mark.slow

GRAINS = ("month", "week", "day")
RETENTION = [
    {"cohort": cohort, "measure": measure, "mode": mode, "grain": GRAINS[i % 3]}
    for i, (cohort, (measure, mode)) in enumerate(
        (c, mm) for c in ("first_order", "joined", "channel")
        for mm in (("members", "on"), ("members", "on_or_after"), ("revenue", "on")))
]
"""Every cohort x measure/mode, each grain three times (9 runs instead of 27: the grain is a calendar
index the combine step does not see)."""

CASES = [
    ("kpis", {}), ("kpis", {"start": "2025-01-01", "end": "2025-06-30"}),
    *(("retention", p) for p in RETENTION),
    ("retention", {"start": "2025-03-01", "end": "2025-12-31"}),
    ("lifecycle", {}), ("lifecycle", {"grain": "week", "start": "2025-01-06"}),
    ("concentration", {}), ("concentration", {"start": "2025-01-01", "end": "2025-03-31"}),
    ("rfm", {}), ("rfm", {"unit": "week", "calibration_end": "2025-06-30"}),
    ("tiers", {}), ("tiers", {"start": "2025-01-01", "end": "2025-12-31"}),
    ("k_factor", {}), ("k_factor", {"by": "generation"}),
    ("clv", {}),
]


@pytest.fixture(scope="module")
def spark() -> Iterator[object]:
    s = session("local[2]", {"spark.sql.shuffle.partitions": "4"})
    yield s
    s.stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("spark_demo")
    db = root / "demo.duckdb"
    write_demo(db, members=600, seed=11)
    with reading(db) as con:
        export_lake(con, root / "lake", buckets=5)
    return db, root / "lake"


def _local(db: Path, name: str, params: dict[str, str]) -> pl.DataFrame:
    with reading(db) as con:
        return run_local(con, name, params)[1]


def _same(got: pl.DataFrame, want: pl.DataFrame, name: str) -> None:
    if name == "clv":  # one row of nested fit results: compare the parameters
        g, w = got.row(0, named=True), want.row(0, named=True)
        assert (g["calibration_end"], g["unit"], g["holdout"]) == (w["calibration_end"], w["unit"], w["holdout"])
        for model in ("bgnbd", "gamma_gamma"):
            for key, value in w[model].items():
                if isinstance(value, float):
                    assert g[model][key] == pytest.approx(value, rel=1e-9, abs=1e-12), (model, key)
                else:
                    assert g[model][key] == value, (model, key)
        return
    assert got.columns == want.columns
    assert_frame_equal(got, want, check_dtypes=False, rel_tol=1e-9, abs_tol=1e-12)


def test_every_plan_is_tested() -> None:
    assert {name for name, _ in CASES} == set(PLANS)


@pytest.mark.parametrize(("name", "params"), CASES, ids=[f"{n}-{'-'.join(p.values()) or 'default'}" for n, p in CASES])
def test_demo_parity(spark: object, demo: tuple[Path, Path], name: str, params: dict[str, str]) -> None:
    db, lake = demo
    want = _local(db, name, params)
    assert want.height > 0  # a parity of two empty frames would prove nothing
    _, got = run_spark(name, lake, params, spark=spark)
    _same(got, want, name)


def test_fixture_figures_by_hand(spark: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """tests/spark/test_lake_export.ORDERS: M1 Jan 5 ¥100, Feb 10 ¥50; M2 Jan 20 ¥30 (its Mar 15 order is
    refunded in full); M3 Feb 3 ¥20, Mar 4 ¥40. Members 1, 3 are in bucket 1, member 2 in bucket 0."""
    db = imported(tmp_path)
    lake = tmp_path / "lake"
    assert main(["lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "2"]) == 0
    capsys.readouterr()
    code = main(["metric", "kpis", "--engine", "spark", "--lake", str(lake), "--master", "local[2]",
                 "--param", "start=2024-01-01", "--param", "end=2024-03-31"])
    kpis = json.loads(capsys.readouterr().out)
    assert code == 0
    # 5 valid orders, ¥240 from 3 buyers (¥80 each); M1 and M3 bought on two days: 2 of 3.
    assert (kpis["orders"], kpis["gmv"], kpis["buyers"], kpis["arpu"]) == (5, 240.0, 3, 80.0)
    assert kpis["repurchase_rate"] == pytest.approx(2 / 3)
    _, triangle = run_spark("retention", lake, {}, spark=spark)
    # First-order cohorts by month, as of Mar 15: Jan = {M1, M2}: 2, then M1 in Feb, nobody in Mar;
    # Feb = {M3}: 1, then M3 in Mar.
    assert triangle.select("cohort", "cohort_size", "period", "value").rows() == [
        (dt.date(2024, 1, 1), 2, 0, 2), (dt.date(2024, 1, 1), 2, 1, 1), (dt.date(2024, 1, 1), 2, 2, 0),
        (dt.date(2024, 2, 1), 1, 0, 1), (dt.date(2024, 2, 1), 1, 1, 1)]
    assert triangle["rate"].to_list() == [1.0, 0.5, 0.0, 1.0, 1.0]
    _same(triangle, _local(db, "retention", {}), "retention")
    capsys.readouterr()
    assert main(["metric", "rfm", "--engine", "spark", "--lake", str(lake), "--format", "csv"]) == 0
    on_spark = capsys.readouterr().out
    assert main(["metric", "rfm", "--db", str(db), "--format", "csv"]) == 0
    # The members' own ids from the export, siyu_id beside, byte for byte what the local engine prints.
    assert on_spark == capsys.readouterr().out
    rows = on_spark.splitlines()
    assert rows[0].startswith("member_id,siyu_id,") and sorted(r.split(",")[0] for r in rows[1:]) == ["M1", "M2", "M3"]


def test_unknown_metric_and_missing_lake_are_plain_errors(spark: object, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metric", "kpis", "--engine", "spark", "--lake", str(tmp_path / "nowhere")]) == 1
    assert "不是 siyu 数据湖" in capsys.readouterr().err
    assert main(["metric", "channel_costs", "--engine", "spark", "--lake", str(tmp_path)]) == 1
    assert "还不能在 Spark 上运行" in capsys.readouterr().err
    assert main(["metric", "kpis", "--engine", "spark"]) == 1
    assert "--lake" in capsys.readouterr().err
