"""The CLI contract (one JSON object per file, exit codes 0/1/2) and all-or-nothing under SIGKILL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

from siyu.cli import main

ROOT = Path(__file__).resolve().parents[2]
OH = "order_id,member_id,paid_at,amount,refund_amount,status,store\n"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_prints_one_json_object_per_file(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _write(tmp_path / "a.csv", OH + "1,M1,2024-03-05 10:00,12.50,,,\n2,M2,2024-03-05 11:00,0,,,\n")
    bad = _write(tmp_path / "b.csv", OH + "3,M1,someday,1,,,\n")
    code = main(["import", "--db", str(db), str(good), str(bad), str(good)])
    out, err = capsys.readouterr()
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 1
    assert [(x["file"], x["profile"], x["rows_read"], x["inserted"], x["updated"], x["duplicates"], x["rejected"])
            for x in lines] == [("a.csv", "generic_orders", 2, 2, 0, 0, 0), ("b.csv", "generic_orders", 1, 0, 0, 0, 1),
                                ("a.csv", "generic_orders", 2, 0, 0, 2, 0)]
    # The same file again is recognised (issue #13): nothing written, no batch, the batch it repeats named.
    assert lines[0]["batch_id"] == 1 and lines[1]["batch_id"] is None and lines[2]["batch_id"] is None
    assert [x["identical_to"] for x in lines] == [None, None, 1]
    assert lines[1]["errors"] == [{"row": 1, "column": "paid_at", "value": "someday",
                                   "message": lines[1]["errors"][0]["message"]}]
    assert "b.csv" in err and "Traceback" not in err
    assert main(["import", "--db", str(db), "--on-error", "skip", str(bad)]) == 0
    skipped = json.loads(capsys.readouterr().out)
    assert (skipped["rejected"], skipped["inserted"], skipped["batch_id"]) == (1, 0, 2)


def test_cli_exit_codes_for_refusals_and_usage(tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = _write(tmp_path / "empty.csv", "")
    assert main(["import", "--db", str(db), str(empty)]) == 1
    assert "empty" in capsys.readouterr().err
    assert main(["import", "--db", str(db), str(tmp_path / "missing.csv")]) == 1
    assert main(["import", "--db", str(db), "--profile", "nope", str(empty)]) == 1
    with pytest.raises(SystemExit) as info:
        main(["import", "--db", str(db), "--on-error", "maybe", str(empty)])
    assert info.value.code == 2


def _counts(db: Path) -> tuple[int, ...]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM members), "
                           "(SELECT count(*) FROM member_identities), (SELECT count(*) FROM import_batches)").fetchone()
    finally:
        con.close()


def test_sigkill_in_the_middle_leaves_the_database_as_it_was(tmp_path: Path, db: Path) -> None:
    first = _write(tmp_path / "first.csv", OH + "1,M1,2024-03-05 10:00,1,,,\n")
    assert main(["import", "--db", str(db), str(first)]) == 0
    before = _counts(db)
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(OH)
        for i in range(2, 50_002):
            fh.write(f"{i},M{i % 5000},2024-03-05 10:00,{i % 300}.50,,,\n")
    flag = tmp_path / "orders-written"
    # Pause after the orders are written inside the transaction, then get killed there.
    code = textwrap.dedent(f"""
        import time, sys
        import siyu.ingest.load as load
        original = load.load_orders
        def paused(*args, **kwargs):
            counts = original(*args, **kwargs)
            open({str(flag)!r}, "w").close()
            time.sleep(60)
            return counts
        load.load_orders = paused
        from siyu.cli import main
        sys.exit(main(["import", "--db", {str(db)!r}, {str(big)!r}]))
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not flag.exists():
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert _counts(db) == before
    # A re-run succeeds and imports everything once.
    assert main(["import", "--db", str(db), str(big)]) == 0
    assert _counts(db)[0] == before[0] + 50_000


def test_import_while_the_database_is_held_says_who_holds_it(tmp_path: Path, db: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import time, duckdb
        con = duckdb.connect({str(db)!r}, read_only=True)
        print("locked", flush=True)
        time.sleep(30)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        f = _write(tmp_path / "a.csv", OH + "1,M1,2024-03-05 10:00,1,,,\n")
        env = {**os.environ, "SIYU_LOCK_TIMEOUT": "1"}
        out = subprocess.run([sys.executable, "-m", "siyu", "import", "--db", str(db), str(f)], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 1 and f"PID {holder.pid}" in out.stderr and "Traceback" not in out.stderr
    finally:
        holder.kill()
        holder.wait()


def test_a_file_whose_every_row_is_bad_lists_them_all_quickly(tmp_path: Path, db: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(OH + "".join(f"{i},M1,03/05/2024 10:00,1,,,\n" for i in range(1, 30_001)), encoding="utf-8")
    assert main(["import", "--db", str(db), str(bad)]) == 1
    out = json.loads(capsys.readouterr().out)
    assert (out["rejected"], len(out["errors"]), out["batch_id"]) == (30_000, 30_000, None)
    assert out["errors"][-1] == {"row": 30_000, "column": "paid_at", "value": "03/05/2024 10:00",
                                 "message": out["errors"][0]["message"]}
