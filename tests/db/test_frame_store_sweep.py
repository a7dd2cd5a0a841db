"""Temporary files a killed frame-store write left behind are deleted the next time a process starts using
the store; a running writer's file is left alone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from siyu.db import frame_store


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_writers_temporary_file_is_swept_at_the_next_start(tmp_path: Path, monkeypatch) -> None:
    db = tmp_path / "brand.duckdb"
    folder = Path(f"{db}.frames")
    folder.mkdir()
    kept = folder / "m_members-0123456789abcdef0123.arrow"
    pl.DataFrame({"a": [1]}).write_ipc(kept)
    dead = folder / f".m_members-0123456789abcdef0123.arrow.{_dead_pid()}.{'a' * 32}.tmp"
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        running = folder / f".m_friends-0123456789abcdef0123.arrow.{sleeper.pid}.{'b' * 32}.tmp"
        mine = folder / f".m_tiers-0123456789abcdef0123.arrow.{os.getpid()}.{'c' * 32}.tmp"
        for f in (dead, running, mine):
            f.write_bytes(b"half a file")
        monkeypatch.setattr(frame_store, "_SWEPT", set())  # a process that has not used the store yet
        version = (str(db), 1, 2)
        assert frame_store.load(version, "m_members") is None  # first use of the folder: swept
        assert sorted(p.name for p in folder.iterdir()) == sorted([kept.name, running.name, mine.name])
        dead.write_bytes(b"another")
        frame_store.load(version, "m_members")
        assert dead.exists()  # once per process: a later call does not list the folder again
        assert frame_store.sweep(folder) == [dead]
    finally:
        sleeper.kill()
        sleeper.wait()
