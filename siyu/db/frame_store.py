"""Query results kept on disk next to the database, so a restarted dashboard does not fetch them again.

Fetching the 9M-row order frame out of DuckDB takes ~1.2 s at 10M orders, and the global filters' option
list ~0.3 s; reading the same frames back from uncompressed Arrow IPC files takes ~0.1 s. So the large
inputs every page starts from are written to `<database file>.frames/` the first time they are fetched
(and right after an import, siyu.engine.frame_cache.warm), one file per query.

A file's name holds a hash of the query's SQL text and of the data version (queries/m_data_version.sql:
the schema version and the views' definitions, the import batches' ids, statuses, times and row counts and
the row counts of every table a frame reads). An import, an update of an existing order, an undo, a
cleared or rebuilt demo, a migration that redefines a view or a siyu release with a changed query therefore
never reads an old file (tests/engine/test_staleness.py), while
logins, audit rows and settings (which also write to the database) do not invalidate anything. A new
version's file replaces the older ones of the same query.

Writes go to a temporary file that is then renamed, so a reader sees a whole file or none; a process that
cannot write there (read-only directory, full disk) fetches from DuckDB as before. A file that cannot be
read (truncated by a crash of the machine, say) is deleted and fetched again. A temporary file left by a
writer that was killed is deleted the first time a process uses the folder (`sweep`). The files hold what the
database holds for the metrics (member ids, times, amounts, channel, store and tier names; never phones or
names): they are as private as the database file and belong in the same backups and permissions.
"""

from __future__ import annotations

import hashlib
import os
import threading
import uuid
from pathlib import Path

import duckdb
import polars as pl

from siyu.db import query, sql_text
from siyu.processes import alive

Version = tuple[object, ...]
"""The data version (queries/m_data_version.sql) as a tuple of its columns; () for an in-memory database."""


def data_version(con: duckdb.DuckDBPyConnection) -> Version:
    """The data version of the database behind `con` (queries/m_data_version.sql); () for an in-memory
    database, which nothing vouches for, so nothing is kept for it. Ask on an unscoped connection: the
    global filters' temp views would shadow the tables it counts."""
    row = query(con, "m_data_version").row(0)
    return tuple(row) if row[0] else ()


def is_version(key: tuple[object, ...]) -> bool:
    """Is `key` a data version (a database file's path first), not some other cache key?"""
    return bool(key) and isinstance(key[0], str)


def directory(version: Version) -> Path | None:
    """`<database file>.frames` for this version's database; None for an in-memory one."""
    return Path(f"{version[0]}.frames") if version else None


_SWEPT: set[Path] = set()


def sweep(folder: Path) -> list[Path]:
    """Delete the temporary files (`.<name>.<pid>.<uuid>.tmp`) of writers no longer running — a write
    killed between creating its temporary file and renaming it leaves one behind. A running writer's file
    (another process using the same database) is kept. Returns the files deleted."""
    gone = []
    for tmp in folder.glob(".*.tmp"):
        parts = tmp.name.rsplit(".", 3)
        pid = int(parts[1]) if len(parts) == 4 and parts[1].isdigit() else None
        if pid is not None and (pid == os.getpid() or alive(pid)):
            continue
        try:
            tmp.unlink()
            gone.append(tmp)
        except OSError:
            pass
    return gone


def _file(version: Version, name: str) -> Path | None:
    folder = directory(version)
    if folder is None:
        return None
    if folder not in _SWEPT:  # once per process and folder: at the dashboard's or a command's start
        _SWEPT.add(folder)
        if folder.is_dir():
            sweep(folder)
    digest = hashlib.sha256(repr((sql_text(name), version[1:], pl.__version__)).encode()).hexdigest()[:20]
    return folder / f"{name}-{digest}.arrow"


def load(version: Version, name: str) -> pl.DataFrame | None:
    """The stored result of queries/NAME.sql for this data version, or None."""
    path = _file(version, name)
    if path is None or not path.exists():
        return None
    try:
        return pl.read_ipc(path)
    except (OSError, pl.exceptions.PolarsError):  # a damaged file: forget it, fetch again
        path.unlink(missing_ok=True)
        return None


def save(version: Version, name: str, frame: pl.DataFrame) -> None:
    """Store `frame` as the result of queries/NAME.sql for this data version (best effort: a directory
    that cannot be written leaves the store empty, never fails the caller)."""
    path = _file(version, name)
    if path is None:
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex}.tmp")
    try:
        path.parent.mkdir(exist_ok=True)
        frame.write_ipc(temporary, compression="uncompressed")  # uncompressed: read back by memory mapping
        os.replace(temporary, path)
        for old in path.parent.glob(f"{name}-*.arrow"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, pl.exceptions.PolarsError):
        try:
            temporary.unlink(missing_ok=True)
        except OSError:  # the folder itself is unusable: nothing was written
            pass


_SAVING: list[threading.Thread] = []
_SAVING_LOCK = threading.Lock()


def fetch(con: duckdb.DuckDBPyConnection, name: str, version: Version, *, background: bool = False) -> pl.DataFrame:
    """queries/NAME.sql on `con` (an unscoped connection whose data version is `version`), from the
    store when it holds this version's result, else from DuckDB, then stored: with `background`, by a
    thread, so the caller (a page waiting for its first frame) does not wait for the write; `wait_saved`
    waits for those threads (they are not daemons: a process also waits for them before it exits)."""
    frame = load(version, name)
    if frame is None:
        frame = query(con, name)
        if background:
            thread = threading.Thread(target=save, args=(version, name, frame), name=f"siyu-store-{name}")
            with _SAVING_LOCK:
                _SAVING[:] = [t for t in _SAVING if t.is_alive()] + [thread]
            thread.start()
        else:
            save(version, name, frame)
    return frame


def wait_saved() -> None:
    """Wait until every background write of `fetch` is done."""
    with _SAVING_LOCK:
        pending = list(_SAVING)
    for thread in pending:
        thread.join()
