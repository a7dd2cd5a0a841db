"""The read connection kept a moment after a read (siyu.db.connection._Keeper): reused while reads follow
each other, gone soon after, never in the way of a writer of this process or of another one.

No test waits on the wall clock: the keeper is given a clock the test moves and a scheduler whose timers
the test fires itself (`keeper` fixture); threads are coordinated with events.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from siyu.db import connection, reading, writing


class FakeTimer:
    def __init__(self, delay: float, action: Callable[[], None]) -> None:
        self.delay, self.action, self.cancelled = delay, action, False

    def cancel(self) -> None:
        self.cancelled = True


class Keeper:
    """A _Keeper under test: `now` is its clock, `timers` the idle timers it started."""

    def __init__(self) -> None:
        self.now = 100.0
        self.timers: list[FakeTimer] = []
        self.keeper = connection._Keeper(clock=lambda: self.now, schedule=self._schedule)

    def _schedule(self, delay: float, action: Callable[[], None]) -> FakeTimer:
        timer = FakeTimer(delay, action)
        self.timers.append(timer)
        return timer

    def fire(self) -> None:
        """The idle timers that are still running go off."""
        for timer in [t for t in self.timers if not t.cancelled]:
            timer.cancelled = True
            timer.action()

    def kept(self, path: Path) -> bool:
        return path.resolve() in self.keeper._kept


@pytest.fixture
def keeper(monkeypatch: pytest.MonkeyPatch) -> Iterator[Keeper]:
    connection._KEEPER.release_all()
    fake = Keeper()
    monkeypatch.setattr(connection, "_KEEPER", fake.keeper)
    yield fake
    fake.keeper.release_all()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "kept.duckdb"
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'f', 'test')")
    return path


def test_kept_between_reads_then_closed_when_idle(db: Path, keeper: Keeper) -> None:
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(1,)]
    assert keeper.kept(db)  # the next loader of the page finds the database open
    assert [(t.delay, t.cancelled) for t in keeper.timers] == [(connection._Keeper.IDLE, False)]
    with reading(db):
        assert keeper.timers[0].cancelled  # a reader came back before the idle timer went off
    keeper.fire()
    assert not keeper.kept(db)
    assert connection._GATE._readers == 0  # its reader slot was given back


def test_closed_at_once_when_older_than_its_lifetime(db: Path, keeper: Keeper) -> None:
    with reading(db):
        pass
    assert keeper.kept(db)
    keeper.now += connection._Keeper.LIFETIME  # reads kept following each other for LIFETIME seconds
    with reading(db):
        pass
    assert not keeper.kept(db)  # the file is free for another process's import between page runs
    assert [t.cancelled for t in keeper.timers] == [True]  # no idle timer left behind


def test_a_writer_of_this_process_right_after_a_read(db: Path, keeper: Keeper) -> None:
    with reading(db):
        pass
    assert keeper.kept(db)
    with writing(db) as con:  # would fail ("different configuration") if the read-only instance were still open
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (2, 'g', 'test')")
    assert not keeper.kept(db)
    with reading(db) as con:
        assert con.execute("SELECT count(*) FROM import_batches").fetchall() == [(2,)]


def test_a_writer_waits_for_a_busy_reader_then_gets_the_file_at_once(db: Path, keeper: Keeper) -> None:
    entered, release, done = threading.Event(), threading.Event(), threading.Event()

    def busy_reader() -> None:
        with reading(db):
            entered.set()
            release.wait(10)
        done.set()

    reader = threading.Thread(target=busy_reader)
    reader.start()
    assert entered.wait(10)
    order: list[str] = []

    def writer() -> None:
        with writing(db) as con:
            order.append("writer in, reader done" if done.is_set() else "writer in, reader still reading")
            con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (3, 'h', 'test')")

    thread = threading.Thread(target=writer)
    thread.start()
    while not connection._GATE.writers_waiting:  # the writer is queued behind the reader
        threading.Event().wait(0.01)
    release.set()
    thread.join(30)
    reader.join(30)
    assert order == ["writer in, reader done"]  # the writer waited for the reader ...
    assert keeper.timers == []  # ... and not for an idle timer on top: the reader's leave closed it at once
    assert not keeper.kept(db)


def test_another_process_gets_the_write_lock_once_the_kept_connection_closes(db: Path, keeper: Keeper) -> None:
    with reading(db):
        pass
    assert keeper.kept(db)
    keeper.fire()  # idle: closed
    code = textwrap.dedent(f"""
        import duckdb
        duckdb.connect({str(db)!r}).close()  # once, no retry: the lock must be free now
        print("ok")
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=30)
    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr
