"""The read connection kept a moment after a read (siyu.db.connection._Keeper): reused while reads follow
each other, gone soon after, never in the way of a writer of this process or of another one."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from siyu.db import connection, reading, writing


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kept.duckdb"
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'f', 'test')")
    return path


def _kept(path: Path) -> bool:
    return path.resolve() in connection._KEEPER._kept


def test_kept_between_reads_then_closed_when_idle(db: Path) -> None:
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(1,)]
    assert _kept(db)  # the next loader of the page finds the database open
    with reading(db):
        pass
    time.sleep(connection._Keeper.IDLE + 0.3)
    assert not _kept(db)
    assert connection._GATE._readers == 0  # its reader slot was given back


def test_a_writer_of_this_process_right_after_a_read(db: Path) -> None:
    with reading(db):
        pass
    assert _kept(db)
    with writing(db) as con:  # would fail ("different configuration") if the read-only instance were still open
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (2, 'g', 'test')")
    assert not _kept(db)
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(2,)]


def test_a_writer_waits_for_a_busy_reader_then_gets_the_file_at_once(db: Path) -> None:
    entered, done = threading.Event(), threading.Event()

    def slow_reader() -> None:
        with reading(db):
            entered.set()
            time.sleep(0.5)
        done.set()

    thread = threading.Thread(target=slow_reader)
    thread.start()
    entered.wait(5)
    started = time.monotonic()
    with writing(db) as con:
        assert done.is_set()  # the writer waited for the reader
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (3, 'h', 'test')")
    assert time.monotonic() - started < 2.0  # ... and not for an idle timer on top
    thread.join()


def test_another_process_gets_the_write_lock_soon_after_a_read(db: Path) -> None:
    with reading(db):
        pass
    code = textwrap.dedent(f"""
        import time, duckdb
        started = time.monotonic()
        while True:
            try:
                duckdb.connect({str(db)!r}).close()
                break
            except duckdb.IOException:
                time.sleep(0.02)
        print(round(time.monotonic() - started, 2))
    """)
    waited = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                  timeout=30).stdout)
    assert waited < connection._Keeper.LIFETIME + 0.5
