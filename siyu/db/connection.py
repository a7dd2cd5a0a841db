"""Opening the DuckDB file: what DuckDB's locks require, and nothing else.

DuckDB lets several processes read a file at once (read-only, shared lock) but only one process write it,
and that writer shuts every reader out. The dashboard and `python -m siyu import` therefore never keep the
file open for long: each use opens a connection, does its work and closes it. Each remaining part, what it
protects against, and the test that shows it:

- `_open`'s retry loop: another process holds the lock (an import, a dashboard's read). It waits up to
  `Settings.lock_timeout` seconds, then raises DatabaseBusyError naming that process (its PID and command
  line), never a traceback. tests/db/test_locking.py (test_reader_gives_up_with_the_holders_pid,
  test_reader_waits_for_a_short_import_and_then_reads, test_cli_prints_a_plain_message_not_a_traceback).
- `_open` turns DuckDB's progress bar off: it draws on stdout for statements over 2 s and would corrupt
  the CLI's JSON. tests/reliability/test_cli_stdout.py.
- `_ReadWriteGate` (many readers or one writer per process, writers first): inside one process DuckDB
  refuses a read-only and a read-write connection to the same file side by side ("different
  configuration"), so a page run and an import in the same dashboard would fail each other; writers go
  first so a stream of page runs does not starve an import. A thread that opens the file again inside its
  own `writing` block gets a plain error instead of waiting for itself forever. tests/db/test_locking.py
  (test_threads_reading_while_another_thread_writes), tests/db/test_connection.py.
- `_Keeper` (one read-only connection kept a moment after the last reader, with its idle timer and its
  lifetime): opening the file costs a catalog load and a cold buffer pool for each of a page run's
  loaders. The frames kept in memory (siyu.engine.frame_cache) did not make it unnecessary: every loader
  that misses its cache still opens the file to check the data version, and a filter change on the 1M-order
  bench data set took 2.2–3.4 s with it and 4.7–6.5 s without it (docs/architecture.md). It gives the file
  back at once when a writer of this process waits, after IDLE seconds without readers (another process's
  import is not kept waiting by an idle dashboard) and LIFETIME seconds after it was opened (nor by a busy
  one). tests/db/test_keeper.py.
- Writer intent across processes (`_announce_writer`, `_yield_to_writers`): the gate only orders the threads
  of one process, and DuckDB's file lock has no queue, so twenty dashboard sessions whose page runs overlap
  kept the file read-locked without a gap and an import from the command line gave up after its timeout.
  A writer that finds the file locked leaves a small `<file>.writer-waiting.<pid>` next to it until it has
  the lock; the dashboard's readers then open no new connection and the kept one is given back when its
  readers leave, until the file is the writer's (a dead writer's file is ignored and removed).
  tests/db/test_connection.py, tests/reliability/test_concurrency.py.
- `atexit` closes the kept connection: a command-line process that ends right after a read would
  otherwise leave it open at interpreter exit. tests/db/test_connection.py.
- `ensure_schema` (once per process and file): migrations before the first read or write; the set of
  files already checked spares every later open the schema query. tests/db/test_connection.py.
- `writing`: one transaction, rolled back entirely when the block raises (a failed import writes nothing).
  Closing the connection, the only one to the file in this process (the gate), checkpoints it, so the next
  reader (another process, read-only) opens a file with no write-ahead log to replay; an explicit
  CHECKPOINT after the commit did the same twice and is gone. tests/db/test_locking.py
  (test_a_failed_write_block_leaves_nothing), tests/db/test_connection.py.
"""

from __future__ import annotations

import atexit
import os
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import duckdb

from siyu.db.schema import migrate, schema_version
from siyu.errors import DatabaseBusyError, DatabaseOpenError, SchemaError
from siyu.processes import alive

_LOCK_MESSAGE = re.compile(r"Conflicting lock is held in (?P<exe>.*?) \(PID (?P<pid>\d+)\)")


class _ReadWriteGate:
    """Many readers or one writer, per process. Writers are preferred so imports are not starved."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False
        self._writers_waiting = 0
        self._owner: int | None = None

    def _refuse_own_writer(self) -> None:  # with self._cond held
        if self._writer and self._owner == threading.get_ident():
            # DuckDB would refuse a second connection with another configuration, and the gate would wait
            # for this very thread: say so instead of hanging.
            raise RuntimeError("siyu.db: the database is opened again inside this thread's own `writing` block; "
                               "use the writing block's connection")

    @contextmanager
    def read(self) -> Iterator[None]:
        with self._cond:
            self._refuse_own_writer()
            while self._writer or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def acquire_read(self) -> None:
        """A reader slot held beyond one block (the keeper's connection); release_read gives it back. Taken
        only inside a `read` block (`reading` calls the keeper there), so no writer is in and none can be."""
        with self._cond:
            self._readers += 1

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    @property
    def writers_waiting(self) -> bool:
        return bool(self._writers_waiting)

    @contextmanager
    def write(self) -> Iterator[None]:
        with self._cond:
            self._refuse_own_writer()
            self._writers_waiting += 1
        _KEEPER.release_all()  # an idle kept connection gives way at once; a busy one when its readers leave
        with self._cond:
            while self._writer or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writer = True
            self._owner = threading.get_ident()
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._owner = None
                self._cond.notify_all()


_GATE = _ReadWriteGate()


class _Timer(Protocol):
    def cancel(self) -> None: ...


Schedule = Callable[[float, Callable[[], None]], _Timer]
"""Run an action after a delay in seconds, cancellably (a daemon threading.Timer; tests fire it themselves)."""


def _start_timer(delay: float, action: Callable[[], None]) -> _Timer:
    timer = threading.Timer(delay, action)
    timer.daemon = True
    timer.start()
    return timer


@dataclass
class _Kept:
    """A kept connection: how many readers are using it now, when it was opened, its idle timer."""

    con: duckdb.DuckDBPyConnection
    opened: float
    readers: int = 0
    timer: _Timer | None = None


class _Keeper:
    """Keeps one read-only connection per file open for a moment after its last reader closed.

    Opening a DuckDB file loads its catalog (~15 ms) and starts with an empty buffer pool; a page run opens
    one short connection per cached loader (six to ten), so the dashboard paid that again and again. While
    the kept connection is open, DuckDB hands out connections to the same instance (~0.1 ms) with its
    buffers warm. It holds a reader slot of the gate, and gives the file back as soon as nobody reads:
    after IDLE seconds, or at once when a writer of this process waits. So that an import from another
    process is never starved by a busy dashboard, it is also closed LIFETIME seconds after it was opened
    (once its readers have left): the file is free between page runs as before, a moment later. (A file
    replaced on disk behind siyu's back is therefore seen at the latest LIFETIME seconds later; siyu's own
    writes, the demo rebuild included, go through `writing`, which closes it first.)
    """

    IDLE = 0.3
    LIFETIME = 2.0

    def __init__(self, clock: Callable[[], float] = time.monotonic, schedule: Schedule = _start_timer) -> None:
        self._lock = threading.Lock()
        self._kept: dict[Path, _Kept] = {}
        self._clock = clock  # injected by the tests, which then need no wall-clock waits
        self._schedule = schedule

    def enter(self, path: Path, con_factory: Callable[[], duckdb.DuckDBPyConnection]) -> bool:
        """A reader of `path` starts (inside its gate slot): keep a connection if none is kept. The file is
        opened outside the keeper's lock (it may wait for another process's lock), then kept unless another
        reader kept one meanwhile. True when the reader joined a kept connection (it must `leave`)."""
        with self._lock:
            entry = self._kept.get(path)
            if entry is not None:
                self._join(entry)
                return True
            if _GATE.writers_waiting:
                return False
        _GATE.acquire_read()
        try:
            con = con_factory()
        except BaseException:
            _GATE.release_read()
            raise
        with self._lock:
            entry = self._kept.get(path)
            if entry is None and not _GATE.writers_waiting:
                self._kept[path] = entry = _Kept(con, opened=self._clock())
                self._join(entry)
                return True
            joined = entry is not None
            if joined:
                self._join(entry)
        con.close()  # not needed after all
        _GATE.release_read()
        return joined

    @staticmethod
    def _join(entry: _Kept) -> None:  # with the keeper's lock held
        entry.readers += 1
        if entry.timer is not None:
            entry.timer.cancel()
            entry.timer = None

    def leave(self, path: Path) -> None:
        """A reader of `path` is done: close the kept connection now (a writer waits, or it is old) or
        after IDLE seconds without readers."""
        with self._lock:
            entry = self._kept.get(path)
            if entry is None:
                return
            entry.readers -= 1
            if entry.readers > 0:
                return
            if _GATE.writers_waiting or self._clock() - entry.opened >= self.LIFETIME or _writers_elsewhere(path):
                self._close(path)
            else:
                entry.timer = self._schedule(self.IDLE, lambda: self._expire(path, entry))

    def _expire(self, path: Path, entry: _Kept) -> None:
        with self._lock:
            if self._kept.get(path) is entry and entry.readers == 0:
                self._close(path)

    def _close(self, path: Path) -> None:  # with self._lock held
        entry = self._kept.pop(path)
        if entry.timer is not None:
            entry.timer.cancel()
        try:
            entry.con.close()
        finally:
            _GATE.release_read()

    def release_all(self) -> None:
        """Close every kept connection nobody is reading through (a writer wants the file)."""
        with self._lock:
            for path in [p for p, e in self._kept.items() if e.readers == 0]:
                self._close(path)


_KEEPER = _Keeper()
# A process that ends right after a read (every command line call) closes it first: DuckDB's bindings
# complain about connections still open at interpreter exit.
atexit.register(_KEEPER.release_all)
_MIGRATED: set[Path] = set()
_MIGRATE_LOCK = threading.Lock()


def describe_lock_holder(message: str) -> str:
    """'PID 123 (python -m siyu import orders.csv)' from DuckDB's lock error, as far as it can be known."""
    match = _LOCK_MESSAGE.search(message)
    if not match:
        return "另一个进程 (another process)"
    pid = match.group("pid")
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        cmd = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    except OSError:
        cmd = match.group("exe")
    return f"PID {pid} ({cmd})"


def _is_lock_conflict(exc: duckdb.Error) -> bool:
    text = str(exc)
    return "Could not set lock" in text or "Conflicting lock" in text


_INTENT = ".writer-waiting."


def _intent_file(path: Path, pid: int) -> Path:
    return path.with_name(f"{path.name}{_INTENT}{pid}")


def _writers_elsewhere(path: Path) -> bool:
    """Another live process waits to write `path` (it left a writer-waiting file; see the module docstring)."""
    prefix = f"{path.name}{_INTENT}"
    try:
        names = [e.name for e in os.scandir(path.parent) if e.name.startswith(prefix)]
    except OSError:
        return False
    own = os.getpid()
    for name in names:
        tail = name[len(prefix):]
        if not tail.isdigit() or int(tail) == own:
            continue
        if alive(int(tail)):
            return True
        try:  # a writer killed while it waited: its file means nothing
            (path.parent / name).unlink()
        except OSError:
            pass
    return False


_READING = threading.local()


def _yield_to_writers(path: Path, timeout: float) -> None:
    """Before a new read of `path`: wait (up to `timeout`) while another process's writer waits for the file,
    so that a stream of overlapping page runs leaves it a gap. A thread already inside a `reading` block does
    not wait: the writer is waiting for that very block to end."""
    if getattr(_READING, "depth", 0):
        return
    deadline = time.monotonic() + timeout
    while _writers_elsewhere(path) and time.monotonic() < deadline:
        time.sleep(0.05)


class _Announcement:
    """This process's writer-waiting file for one file, left while a writer waits for another process's lock."""

    def __init__(self, path: Path) -> None:
        self._file: Path | None = None
        self._path = path

    def make(self) -> None:
        if self._file is not None:
            return
        file = _intent_file(self._path.resolve(), os.getpid())
        try:
            file.write_text(str(os.getpid()))
        except OSError:  # a folder siyu may not write in: the writer only waits, as before
            return
        self._file = file

    def remove(self) -> None:
        if self._file is not None:
            try:
                self._file.unlink()
            except OSError:
                pass
            self._file = None


def _open(path: Path, read_only: bool, timeout: float) -> duckdb.DuckDBPyConnection:
    announcement = None if read_only else _Announcement(path)
    try:
        return _open_waiting(path, read_only, timeout, announcement)
    finally:
        if announcement is not None:
            announcement.remove()


def _open_waiting(path: Path, read_only: bool, timeout: float,
                  announcement: _Announcement | None) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + timeout
    delay = 0.05
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only)
            # DuckDB draws a progress bar on stdout for statements over 2 s (a big import, an undo, a metric
            # at 10M orders), which would corrupt the CLI's JSON output and the dashboard's logs.
            con.execute("SET enable_progress_bar = false")
            return con
        except duckdb.Error as exc:
            if not _is_lock_conflict(exc):
                raise DatabaseOpenError(
                    f"无法打开数据库 {path}：{exc}。请检查路径和读写权限，或用 --db / SIYU_DB 指定另一个文件。"
                    f" / Cannot open the database {path}: check the path and permissions.") from None
            if announcement is not None:
                announcement.make()
            if time.monotonic() >= deadline:
                holder = describe_lock_holder(str(exc))
                raise DatabaseBusyError(
                    f"数据库 {path} 正被 {holder} 占用，已等待 {timeout:.0f} 秒。"
                    "请等该进程（通常是一次导入）结束后重试，或先关闭它。"
                    f" / The database {path} is locked by {holder}; waited {timeout:.0f}s. "
                    "Wait for that process (usually an import) to finish, or stop it, then retry."
                ) from None
            time.sleep(delay)
            delay = min(delay * 2, 0.5)


def ensure_schema(path: Path, timeout: float = 30.0) -> None:
    """Create the file and bring its schema up to date (once per process per file)."""
    path = Path(path).resolve()
    if path in _MIGRATED:
        return
    with _MIGRATE_LOCK:
        if path in _MIGRATED:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseOpenError(f"无法创建目录 {path.parent}：{exc.strerror} / cannot create {path.parent}") from None
        needs_write = True
        if path.exists():
            with _GATE.read():
                con = _open(path, read_only=True, timeout=timeout)
                try:
                    needs_write = schema_version(con) < migrate.latest_version()
                finally:
                    con.close()
        if needs_write:
            with _GATE.write():
                con = _open(path, read_only=False, timeout=timeout)
                try:
                    migrate.apply(con)
                finally:
                    con.close()
        _MIGRATED.add(path)


@contextmanager
def reading(path: Path, timeout: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection for the length of the block; other processes may read meanwhile."""
    ensure_schema(path, timeout)
    path = Path(path)
    key = path.resolve()
    _yield_to_writers(key, timeout)
    with _GATE.read():
        joined = _KEEPER.enter(key, lambda: _open(path, read_only=True, timeout=timeout))
        _READING.depth = getattr(_READING, "depth", 0) + 1
        try:
            con = _open(path, read_only=True, timeout=timeout)
            try:
                yield con
            finally:
                con.close()
        finally:
            _READING.depth -= 1
            if joined:
                _KEEPER.leave(key)


@contextmanager
def writing(path: Path, timeout: float = 30.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-write connection inside one transaction: committed at the end of the block,
    rolled back entirely if the block raises (or the process dies), so a failed import writes nothing."""
    ensure_schema(path, timeout)
    with _GATE.write():
        con = _open(Path(path), read_only=False, timeout=timeout)
        try:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()


def release_kept() -> None:
    """Close the connections kept open after reads (_Keeper) that nobody is reading through: for code in
    this process that opens the file with duckdb.connect directly, read-write (tests, maintenance)."""
    _KEEPER.release_all()


def forget_schema_cache() -> None:
    """Tests delete and recreate files; let them re-check the schema."""
    _MIGRATED.clear()


__all__ = ["DatabaseBusyError", "SchemaError", "ensure_schema", "reading", "release_kept", "writing"]
