"""The CLI's stdout stays machine-readable when DuckDB statements run long.

DuckDB draws a progress bar on stdout for any statement running past `progress_bar_time` (2 s by
default: an import, an undo or a metric on a 10M-order database). Here every connection is given
`progress_bar_time = 1` (ms), so every real statement counts as long; `python -m siyu import` and `metric` must
still print exactly their JSON (found while killing a 9-second undo in test_crash.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

EVERY_STATEMENT_IS_SLOW = textwrap.dedent("""
    import os, sys, duckdb
    import siyu.db.connection as connection
    _connect, _open = duckdb.connect, connection._open
    def connect(*args, **kwargs):
        con = _connect(*args, **kwargs)
        con.execute("SET progress_bar_time = 1")
        return con
    def opened_quietly(*args, **kwargs):
        # Whatever siyu runs while opening (its own SET included) may itself pass 1 ms on a busy machine:
        # only the statements after the opening are the test.
        sys.stdout.flush()
        saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 1)
        try:
            return _open(*args, **kwargs)
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)
    duckdb.connect = connect
    connection._open = opened_quietly
    from siyu.cli import main
    sys.exit(main(sys.argv[1:]))
""")


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", EVERY_STATEMENT_IS_SLOW, *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_import_and_metric_print_only_json_while_statements_run_long(tmp_path: Path) -> None:
    db = tmp_path / "slow.duckdb"
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,member_id,paid_at,amount\n" + "".join(
        f"O{i},M{i % 40},2024-03-{1 + i % 28:02d} 10:00,{i}.50\n" for i in range(200)), encoding="utf-8")
    out = _cli("import", "--db", str(db), str(orders))
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)  # the whole stdout is one JSON object
    assert (report["inserted"], report["members_created"]) == (200, 40)
    out = _cli("metric", "kpis", "--db", str(db), "--param", "start=2024-03-01", "--param", "end=2024-03-31")
    assert out.returncode == 0, out.stderr
    kpis = json.loads(out.stdout)
    assert kpis["orders"] == 200 and kpis["gmv"] == sum(i + 0.5 for i in range(200))


def test_import_and_metric_leave_stderr_empty(tmp_path: Path) -> None:
    """Nothing on stderr for a clean run: in particular no DuckDB binding warnings about a connection still
    open at exit (siyu keeps a read connection a moment after a read; the process closes it on its way out)."""
    db = tmp_path / "quiet.duckdb"
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,member_id,paid_at,amount\nO1,M1,2024-03-01 10:00,9.50\n", encoding="utf-8")
    for args in (["import", "--db", str(db), str(orders)], ["metric", "kpis", "--db", str(db)],
                 ["metric", "retention", "--db", str(db), "--format", "csv"]):
        out = subprocess.run([sys.executable, "-m", "siyu", *args], cwd=ROOT, capture_output=True, text=True,
                             timeout=120)
        assert out.returncode == 0 and out.stderr == "", (args, out.stderr[-800:])
