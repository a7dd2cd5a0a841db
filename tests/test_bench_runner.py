"""`python -m bench` at a toy scale, so the benchmark runner cannot rot (bench/ itself is not collected).

Builds the toy data set (demo generator + generic CSV + GB18030 有赞 export) in a temporary folder, runs the
import, two metrics and the kpis next to their baselines (one run each, every one in its own process) and
checks the written results: siyu's answers equal the baselines', and a mismatch fails the run loudly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import dataset
from bench.run import main, mismatches, render

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def toy_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root, out = tmp_path_factory.mktemp("scale"), tmp_path_factory.mktemp("results")
    proc = subprocess.run([sys.executable, "-m", "bench", "all", "--scale", "toy", "--runs", "1", "--root", str(root),
                           "--out", str(out), "--only", "import,metrics,kpis", "--metrics", "retention",
                           "--files", "generic"],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return root, out


def test_data_set_holds_the_same_orders_three_ways(toy_run: tuple[Path, Path]) -> None:
    root, _ = toy_run
    folder = root / "toy"
    manifest = json.loads((folder / "manifest.json").read_text())
    orders = manifest["expected"]["counts"]["orders"]
    assert orders == manifest["demo"]["orders"] > 5 * dataset.SCALES["toy"].members
    # one header line + one line per order (no field of this data set holds a newline)
    assert len((folder / "orders.csv").read_text(encoding="utf-8").splitlines()) == orders + 1
    youzan = (folder / "youzan_gb18030.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        youzan.decode("utf-8")
    text = youzan.decode("gb18030")
    assert text.startswith("订单号,") and "¥" in text and "+86 " in text and text.endswith("合计" + "," * 13 + "\r\n")
    assert text.count("\r\n") == manifest["youzan_rows"] + 2   # header, orders, 合计


def test_results_are_written_with_baselines_and_equal_answers(toy_run: tuple[Path, Path]) -> None:
    _, out = toy_run
    result = json.loads((out / "toy.json").read_text())
    assert result["mismatches"] == []
    assert [r["file"] for r in result["import"]] == ["generic"]
    for row in result["import"]:
        assert row["equal"] is True
        assert row["siyu"]["valid_orders"] == result["data"]["expected"][row["file"]]["valid_orders"]
        assert all(row[k]["seconds"] > 0 and row[k]["peak_mb"] > 50 for k in ("siyu", "pandas", "copy"))
    assert [(m["case"], m["equal"]) for m in result["metrics"]] == [("retention", True)]
    assert result["kpis"]["equal"] is True and result["kpis"]["pandas"] > 0
    assert result["machine"]["cores"] >= 1 and result["machine"]["commit"]
    table = (out / "toy.md").read_text()
    assert "| generic_orders CSV |" in table and "| retention |" in table and "| kpis |" in table
    assert "**NO**" not in table and "Mismatches" not in table


def test_a_mismatch_is_reported_and_fails_the_run(toy_run: tuple[Path, Path], tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    result = {"import": [{"file": "generic", "equal": False, "mismatch": {"siyu": 1, "demo database": 2}}],
              "metrics": [{"case": "rfm", "equal": False}, {"case": "retention", "error": "boom"}],
              "kpis": {"equal": False, "mismatches": {"gmv": ["1", "2"]}}}
    found = mismatches(result)
    assert len(found) == 4 and found[0].startswith("import generic") and "gmv" in found[3]
    # the rendered table shows it too
    result.update(scale="toy", runs=1, mismatches=found, machine={
        "cores": 2, "cpu": "x", "ram_gib": 1, "available_gib_at_start": 1, "load_average_at_start": [0, 0, 0],
        "python": "3", "duckdb": "d", "polars": "p", "pandas": "p", "numpy": "n", "scipy": "s", "streamlit": "s",
        "commit": "c", "dirty": False, "started": "now"},
        data={"expected": {"counts": {"members": 1, "orders": 1, "valid_orders": 1, "referrals": 0}}})
    result["metrics"] = [{"case": "rfm", "equal": False, "warm": 1.0, "cold": 2.0, "rss_mb": 1.0, "rows": 1,
                          "pandas": 2.0}]
    del result["import"], result["kpis"]
    assert "**NO**" in render(result) and "**Mismatches**" in render(result)
    # and the command exits 1 on one: a tampered manifest makes siyu's import disagree with it
    root, out = tmp_path / "scale", tmp_path / "out"
    shutil.copytree(toy_run[0] / "toy", root / "toy")
    manifest = json.loads((root / "toy" / "manifest.json").read_text())
    manifest["expected"]["generic"]["valid_net_cents"] += 1
    (root / "toy" / "manifest.json").write_text(json.dumps(manifest))
    assert main(["all", "--scale", "toy", "--runs", "1", "--root", str(root), "--out", str(out),
                 "--only", "import", "--files", "generic", "--import-methods", "siyu"]) == 1
    assert "MISMATCH (toy): import generic" in capsys.readouterr().err
