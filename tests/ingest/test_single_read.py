"""A named file is opened once for its hash and its rows (#15), and the column-mapping preview (dry_run)
applies the same earliest year as the import."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from siyu.config import Settings
from siyu.ingest import ImportReport, dry_run, import_file
from siyu.ingest import snapshot as snapshot_module

H = ["order_id", "member_id", "paid_at", "amount", "refund_amount"]


def test_a_named_file_is_opened_once_and_an_identical_one_is_recognised(
        db: Path, settings: Settings, tmp_path: Path, csvb: Callable[..., bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(csvb([H, ["A1", "M1", "2024-03-05 10:00", "10.00", ""], ["A2", "M2", "2024-03-06 11:00", "20.00", ""]]))
    opened: list[str] = []
    real_open = os.open

    def counting_open(file: Any, flags: int, *args: Any, **kw: Any) -> int:
        if str(file) == str(path):
            opened.append(str(file))
        return real_open(file, flags, *args, **kw)

    monkeypatch.setattr(snapshot_module.os, "open", counting_open)
    first = import_file(db, path, settings=settings)
    assert first.ok and first.inserted == 2 and len(opened) == 1
    again = import_file(db, path, settings=settings)
    assert again.ok and again.identical_to == first.batch_id and again.inserted == 0 and len(opened) == 2


def _then_append(step: Callable[..., Any], path: Path, row: bytes) -> Callable[..., Any]:
    """`step` as it is, then a writer appends `row` to the file being imported."""
    def wrapped(*args: Any, **kw: Any) -> Any:
        got = step(*args, **kw)
        with open(path, "ab") as out:
            out.write(row)
        return got

    return wrapped


def test_a_file_that_changes_between_its_hash_and_its_read_is_refused(
        db: Path, settings: Settings, tmp_path: Path, csvb: Callable[..., bytes],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer appends a row right after the file was hashed: the rows read are not the rows hashed."""
    path = tmp_path / "orders.csv"
    path.write_bytes(csvb([H, ["A1", "M1", "2024-03-05 10:00", "10.00", ""]]))
    from siyu.ingest import pipeline

    monkeypatch.setattr(pipeline, "_sha256", _then_append(pipeline._sha256, path, b"A2,M2,2024-03-06 10:00,20.00,\n"))
    report = import_file(db, path, settings=settings)
    assert not report.ok and "changed while it was being read" in (report.refused or "")
    from siyu.ingest import list_batches
    assert list_batches(db, settings).height == 0


def _private_copies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The private copies the snapshot makes from now on (their paths, as they are made)."""
    copies: list[str] = []
    real_mkstemp = snapshot_module.tempfile.mkstemp

    def counting_mkstemp(*args: Any, **kw: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kw)
        copies.append(name)
        return fd, name

    monkeypatch.setattr(snapshot_module.tempfile, "mkstemp", counting_mkstemp)
    return copies


def _big_orders(path: Path, rows: int) -> Path:
    lines = [",".join(H)] + [f"B{i},M{i % 5000},2024-03-{1 + i % 28:02d} 10:00:00,{i % 900 + 1}.50," for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_big_utf8_file_is_read_in_place_and_a_change_before_the_commit_is_refused(
        db: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A UTF-8 export the staged path reads is not copied (reading it through its open handle), and one
    written to after DuckDB read it is refused with the transaction rolled back."""
    from siyu.ingest import list_batches, staged

    path = _big_orders(tmp_path / "big.csv", 220_000)
    assert path.stat().st_size >= staged.MIN_BYTES
    copies = _private_copies(monkeypatch)
    real_convert = staged.convert
    monkeypatch.setattr(staged, "convert", _then_append(real_convert, path, b"B-late,M1,2024-03-06 10:00:00,20.00,\n"))
    refused = import_file(db, path, settings=settings)
    assert not refused.ok and "changed while it was being read" in (refused.refused or "")
    assert list_batches(db, settings).height == 0
    assert copies == []  # read through the handle, never copied
    monkeypatch.setattr(staged, "convert", real_convert)
    done = import_file(db, path, settings=settings)
    assert done.ok and done.inserted == 220_001 and copies == []


def test_a_gb18030_file_is_still_copied_as_utf8(
        db: Path, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Transcoding needs the private copy; it is gone after the import."""
    path = tmp_path / "gbk.csv"
    path.write_bytes((",".join(H) + "\nA1,张三,2024-03-05 10:00,10.00,\n").encode("gb18030"))
    copies = _private_copies(monkeypatch)
    report = import_file(db, path, settings=settings, encoding="gb18030")
    assert report.ok and report.inserted == 1
    assert len(copies) == 1 and not os.path.exists(copies[0])


def test_dry_run_uses_the_earliest_year_setting(csvb: Callable[..., bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    data = csvb([H, ["A1", "M1", "1995-06-01 10:00", "10.00", ""], ["A2", "M1", "2024-03-05 10:00", "20.00", ""]])
    monkeypatch.delenv("SIYU_EARLIEST_YEAR", raising=False)
    assert dry_run(data).errors["row"].to_list() == [1]
    assert dry_run(data, earliest_year=1990).errors.height == 0
    monkeypatch.setenv("SIYU_EARLIEST_YEAR", "1990")
    assert dry_run(data).errors.height == 0


def test_an_upload_is_still_hashed_and_read(imp: Callable[..., ImportReport], db: Path, settings: Settings,
                                           csvb: Callable[..., bytes]) -> None:
    import io

    data = csvb([H, ["A1", "M1", "2024-03-05 10:00", "10.00", ""]])
    report = import_file(db, io.BytesIO(data), settings=settings, file_name="upload.csv")
    assert report.ok and report.inserted == 1
    assert imp(data).identical_to == report.batch_id


def test_leftovers_of_killed_imports_are_swept_and_live_ones_kept(tmp_path: Path) -> None:
    import subprocess
    import sys

    from siyu.ingest.snapshot import sweep_leftovers

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        (tmp_path / f"siyu-import-{gone}-abc.csv").write_bytes(b"x" * 10)
        (tmp_path / f"siyu-stage-{gone}-abc").mkdir()
        (tmp_path / f"siyu-stage-{gone}-abc" / "spill.tmp").write_bytes(b"x")
        (tmp_path / f"siyu-import-{live.pid}-abc.csv").write_bytes(b"x")
        (tmp_path / f"siyu-import-{os.getpid()}-abc.csv").write_bytes(b"x")
        (tmp_path / "siyu-other-1-x.csv").write_bytes(b"x")
        assert sweep_leftovers(str(tmp_path)) == 2
        assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
            [f"siyu-import-{live.pid}-abc.csv", f"siyu-import-{os.getpid()}-abc.csv", "siyu-other-1-x.csv"])
    finally:
        live.kill()
        live.wait()
