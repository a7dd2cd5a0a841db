"""The dashboard and the CLI share one DuckDB file: waits, plain messages, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from siyu.db import reading, writing
from siyu.errors import DatabaseBusyError

ROOT = Path(__file__).resolve().parents[2]


def _hold_write_lock(db: Path, seconds: float) -> subprocess.Popen:
    """Another process that opens the file read-write and keeps it for `seconds`."""
    code = textwrap.dedent(f"""
        import sys, time, duckdb
        for _ in range(100):  # the dashboard keeps the file a moment after a read (siyu.db.connection._Keeper)
            try:
                con = duckdb.connect({str(db)!r})
                break
            except duckdb.IOException:
                time.sleep(0.05)
        print("locked", flush=True)
        time.sleep({seconds})
        con.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "shared.duckdb"
    with reading(path):  # create and migrate
        pass
    return path


def test_reader_gives_up_with_the_holders_pid(db: Path) -> None:
    holder = _hold_write_lock(db, 30)
    try:
        started = time.monotonic()
        with pytest.raises(DatabaseBusyError) as info:
            with reading(db, timeout=1.0):
                pass
        assert 0.9 <= time.monotonic() - started < 10
        assert f"PID {holder.pid}" in str(info.value)
        assert "python" in str(info.value)  # the holder's command line, so the user knows what it is
        assert "重试" in str(info.value) and "retry" in str(info.value)
    finally:
        holder.kill()
        holder.wait()


def test_reader_waits_for_a_short_import_and_then_reads(db: Path) -> None:
    holder = _hold_write_lock(db, 1.0)
    try:
        with reading(db, timeout=20.0) as con:
            assert con.execute("SELECT count(*) FROM orders").fetchone() == (0,)
    finally:
        holder.wait()


def test_cli_prints_a_plain_message_not_a_traceback(db: Path) -> None:
    holder = _hold_write_lock(db, 30)
    try:
        env = {**os.environ, "SIYU_LOCK_TIMEOUT": "1"}
        out = subprocess.run([sys.executable, "-m", "siyu", "metric", "kpis", "--db", str(db)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert out.returncode == 1
        assert "Traceback" not in out.stderr
        assert f"PID {holder.pid}" in out.stderr
        assert out.stdout == ""
    finally:
        holder.kill()
        holder.wait()


def test_two_processes_can_read_at_once(db: Path) -> None:
    code = textwrap.dedent(f"""
        import time, duckdb
        con = duckdb.connect({str(db)!r}, read_only=True)
        print("reading", flush=True)
        time.sleep(5)
    """)
    other = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert other.stdout.readline().strip() == "reading"
        with reading(db, timeout=1.0) as con:
            assert con.execute("SELECT count(*) FROM members").fetchone() == (0,)
    finally:
        other.kill()
        other.wait()


def test_threads_reading_while_another_thread_writes(db: Path) -> None:
    """In one process DuckDB refuses read-only and read-write connections side by side; the gate
    serialises them, so page runs and an import in the same dashboard never see that error."""
    errors: list[BaseException] = []
    seen: list[int] = []

    def read_loop() -> None:
        try:
            for _ in range(15):
                with reading(db) as con:
                    seen.append(con.execute("SELECT count(*) FROM import_batches").fetchone()[0])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    def write_loop() -> None:
        try:
            for i in range(5):
                with writing(db) as con:
                    con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (?, 'f', 'generic_orders')",
                                [100 + i])
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=read_loop) for _ in range(4)] + [threading.Thread(target=write_loop)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(seen) == 60 and set(seen) <= {0, 1, 2, 3, 4, 5}
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchone() == (5,)


def test_a_failed_write_block_leaves_nothing(db: Path) -> None:
    with pytest.raises(RuntimeError):
        with writing(db) as con:
            con.execute("INSERT INTO members VALUES (1, 'x', TIMESTAMP '2024-01-01', NULL, 'test', 1)")
            raise RuntimeError("crash in the middle of an import")
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM members").fetchone() == (0,)
