"""The parts of siyu.db.connection not shown by test_locking.py and test_keeper.py, one test each (its module
docstring lists every part with its test)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from siyu.db import connection, reading, writing

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "conn.duckdb"
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'f', 'test')")
    return path


def test_opening_the_file_again_inside_ones_own_write_block_is_a_plain_error(db: Path) -> None:
    """Without the check the gate would wait for this very thread forever."""
    with writing(db):
        with pytest.raises(RuntimeError, match="inside this thread's own `writing` block"):
            with reading(db):
                pass
        with pytest.raises(RuntimeError, match="inside this thread's own `writing` block"):
            with writing(db):
                pass
    with reading(db) as con:  # the gate is free again
        assert con.execute("SELECT count(*) FROM import_batches").fetchone() == (1,)


def test_a_waiting_writer_goes_before_readers_that_come_after_it() -> None:
    """Page runs arriving one after another never starve an import of the same process."""
    gate = connection._ReadWriteGate()
    with gate._cond:
        gate._writers_waiting = 1  # a writer is queued
    entered = threading.Event()

    def reader() -> None:
        with gate.read():
            entered.set()

    thread = threading.Thread(target=reader)
    thread.start()
    assert not entered.wait(0.2)  # queued behind the writer (it would be in at once otherwise)
    with gate._cond:
        gate._writers_waiting = 0
        gate._cond.notify_all()
    assert entered.wait(10)
    thread.join(10)


def test_a_process_that_ends_right_after_a_read_closes_the_kept_connection_first(db: Path) -> None:
    code = textwrap.dedent(f"""
        import atexit, sys
        # Registered before siyu's own handler, so it runs after it (last in, first out).
        atexit.register(lambda: print("at exit", len(sys.modules["siyu.db.connection"]._KEEPER._kept)))
        from pathlib import Path
        from siyu.db import connection, reading
        with reading(Path({str(db)!r})) as con:
            con.execute("SELECT 1").fetchall()
        print("after the read", len(connection._KEEPER._kept))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert (done.returncode, done.stdout.split("\n")[:2]) == (0, ["after the read 1", "at exit 0"]), done.stderr
    with writing(db):  # and the file is free
        pass


def test_the_schema_is_checked_once_per_process_and_file(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[object] = []
    real = connection.schema_version

    def counted(con: object) -> int:
        asked.append(con)
        return real(con)  # type: ignore[arg-type]

    monkeypatch.setattr(connection, "schema_version", counted)
    connection.forget_schema_cache()
    for _ in range(3):
        with reading(db):
            pass
    assert len(asked) == 1


def test_a_write_block_leaves_no_write_ahead_log(db: Path) -> None:
    """Closing the write block's connection checkpoints the file: the next reader, maybe another read-only
    process, has no log to replay."""
    with writing(db) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (2, 'g', 'test')")
    assert not Path(f"{db}.wal").exists()
    code = textwrap.dedent(f"""
        import duckdb
        con = duckdb.connect({str(db)!r}, read_only=True)
        print(con.execute("SELECT count(*) FROM import_batches").fetchone()[0])
    """)
    connection.release_kept()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "2", done.stderr


def test_a_writer_of_another_process_is_not_starved_by_overlapping_readers(db: Path) -> None:
    """Two threads whose reads overlap keep DuckDB's file lock taken without a gap (the dashboard under
    twenty sessions); a writer of another process that finds the file locked leaves its writer-waiting file,
    the readers stop opening new connections, and the writer gets in well within its timeout. The file is
    gone afterwards."""
    stop = threading.Event()
    reads = [0, 0]

    def keep_reading(i: int) -> None:
        while not stop.is_set():
            with reading(db) as con:
                con.execute("SELECT count(*) FROM import_batches").fetchone()
                reads[i] += 1
                stop.wait(0.08)  # each read holds the file a while; the other thread's overlaps it

    threads = [threading.Thread(target=keep_reading, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    try:
        writer = textwrap.dedent("""
            import sys
            from pathlib import Path
            from siyu.db import writing
            with writing(Path(sys.argv[1]), timeout=20) as con:
                con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (2, 'g', 'test')")
        """)
        done = subprocess.run([sys.executable, "-c", writer, str(db)], cwd=ROOT, capture_output=True, text=True,
                              timeout=120)
    finally:
        stop.set()
        for t in threads:
            t.join(30)
    assert done.returncode == 0, done.stderr
    assert min(reads) > 0
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchone() == (2,)
    assert not list(db.parent.glob(f"{db.name}.writer-waiting.*"))


def test_a_writer_waiting_file_counts_only_while_its_process_lives(db: Path) -> None:
    """Another live process's file holds readers back; this process's own and a dead process's do not (the
    dead one's is removed)."""
    key = db.resolve()
    assert not connection._writers_elsewhere(key)
    own = connection._intent_file(key, connection.os.getpid())
    own.write_text("me")
    assert not connection._writers_elsewhere(key)
    own.unlink()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    stale = connection._intent_file(key, dead.pid)
    stale.write_text(str(dead.pid))
    assert not connection._writers_elsewhere(key)
    assert not stale.exists()
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        connection._intent_file(key, live.pid).write_text(str(live.pid))
        assert connection._writers_elsewhere(key)
    finally:
        live.kill()
        live.wait()
    assert not connection._writers_elsewhere(key)
