"""Around an import's rows: its audit row commits with them, an identical file is not imported twice,
and the caller is told the progress (issues #13 and #15)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import duckdb
import pytest

from siyu.auth.audit import read_audit
from siyu.cli import main
from siyu.ingest import batches, undo_batch

CSV = b"order_id,member_id,paid_at,amount\nP1,M1,2024-03-05 10:00,12\nP2,M2,2024-03-06 10:00,3\n"
TABLES = ["orders", "members", "member_identities", "import_batches", "audit_log"]
# Every key the JSON line had before these issues, in order; new keys are only ever added after them.
KEYS = ["file", "profile", "batch_id", "rows_read", "records", "inserted", "updated", "duplicates", "rejected",
        "linked", "members_created", "errors", "refused", "sha256", "encoding", "sheet", "snapshot_date",
        "footer_rows_ignored", "seconds", "stale"]


def _rows(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        con.close()


def test_the_audit_row_commits_with_the_import(imp, csvb, db) -> None:
    r = imp(CSV, name="orders.csv", user="ops", role="operator", audit_via="cli")
    assert r.ok and r.batch_id == 1
    row = read_audit(db, action="import").row(0, named=True)
    assert (row["username"], row["role"], row["detail"], row["rows"]) == ("ops", "operator", "orders.csv: batch 1 (cli)", 2)
    assert _rows(db)["audit_log"] == 1


def test_a_failure_after_the_rows_are_written_leaves_nothing(imp, db, monkeypatch) -> None:
    """A failure between writing the rows and the commit (here: writing the audit row, then the
    progress callback told the commit is next) rolls back rows, batch and audit row together."""
    empty = _rows(db)

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(batches.audit, "write", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        imp(CSV, name="orders.csv")
    assert _rows(db) == empty
    monkeypatch.undo()

    def stop_at_commit(stage: str, rows: int, fraction: float) -> None:
        if stage == "commit":
            raise KeyboardInterrupt  # what Ctrl-C (or a page's rerun) raises in the importing thread

    with pytest.raises(KeyboardInterrupt):
        imp(CSV, name="orders.csv", progress=stop_at_commit)
    assert _rows(db) == empty
    assert imp(CSV, name="orders.csv").inserted == 2  # and the file imports whole afterwards
    assert _rows(db) == {**empty, "orders": 2, "members": 2, "member_identities": 2, "import_batches": 1, "audit_log": 1}


def test_the_undo_and_its_audit_row_commit_together(imp, db, settings, monkeypatch) -> None:
    r = imp(CSV, name="orders.csv")
    before = _rows(db)
    from siyu.ingest import history

    def broken(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(history.audit, "write", broken)
    with pytest.raises(RuntimeError):
        undo_batch(db, r.batch_id, settings=settings, user="boss", role="admin")
    assert _rows(db) == before
    monkeypatch.undo()
    undo_batch(db, r.batch_id, settings=settings, user="boss", role="admin")
    row = read_audit(db, action="undo").row(0, named=True)
    assert (row["username"], row["role"], row["detail"]) == ("boss", "admin", f"batch {r.batch_id}")


def test_an_identical_file_is_recognised_and_writes_nothing(imp, db, settings) -> None:
    first = imp(CSV, name="orders.csv")
    before = _rows(db)
    again = imp(CSV, name="orders-copy.csv")  # the same bytes under another name
    assert again.ok and (again.identical_to, again.batch_id) == (first.batch_id, None)
    assert (again.rows_read, again.records, again.inserted, again.updated, again.duplicates) == (2, 2, 0, 0, 2)
    assert again.note == "与第 1 批完全相同，未写入 / identical to batch 1; nothing was written"
    assert _rows(db) == before
    # One row more is another file; an undone batch no longer counts.
    longer = imp(CSV + b"P3,M3,2024-03-07 10:00,1\n", name="orders.csv")
    assert (longer.batch_id, longer.inserted, longer.duplicates) == (2, 1, 2)
    undo_batch(db, longer.batch_id, settings=settings)
    undo_batch(db, first.batch_id, settings=settings)
    redo = imp(CSV, name="orders.csv")
    assert (redo.identical_to, redo.inserted) == (None, 2) and redo.batch_id > longer.batch_id


def test_an_identical_member_export_with_a_new_snapshot_date_is_imported(imp, db) -> None:
    members = b"member_id,joined_at,tier\nM1,2024-03-01,gold\n"
    first = imp(members, name="members.csv", snapshot_date=dt.date(2024, 3, 5))
    assert imp(members, name="members.csv").identical_to == first.batch_id
    assert imp(members, name="members.csv", snapshot_date=dt.date(2024, 3, 5)).identical_to == first.batch_id
    later = imp(members, name="members.csv", snapshot_date=dt.date(2024, 4, 5))
    assert later.identical_to is None and later.inserted == 1  # a second dated snapshot


def test_progress_is_told_each_stage(imp) -> None:
    seen: list[tuple[str, int, float]] = []
    imp(CSV, progress=lambda *a: seen.append(a))
    assert seen == [("read", 0, 0.0), ("transform", 2, 0.3), ("load", 2, 0.5), ("commit", 2, 0.9), ("done", 2, 1.0)]
    seen.clear()
    imp(CSV, progress=lambda *a: seen.append(a))
    assert seen == [("done", 2, 1.0)]  # identical: recognised before reading


def test_cli_json_keeps_every_key_and_adds_the_new_ones(tmp_path: Path, db: Path, capsys) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(CSV)
    assert main(["import", "--db", str(db), str(path), str(path)]) == 0
    first, second = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert list(first)[:len(KEYS)] == KEYS and list(first)[len(KEYS):] == ["snapshot_at", "identical_to", "note"]
    assert (first["batch_id"], first["identical_to"], first["note"], first["snapshot_at"]) == (
        1, None, None, "2024-03-06 10:00:00")
    assert (second["batch_id"], second["identical_to"], second["duplicates"], second["inserted"]) == (None, 1, 2, 0)
    assert second["note"].startswith("与第 1 批完全相同，未写入")
    assert main(["import", "--db", str(db), "--format", "text", str(path)]) == 0
    assert capsys.readouterr().out == ("orders.csv: generic_orders batch None read 2 inserted 0 updated 0 "
                                       "duplicates 2 rejected 0 linked 0 identical_to 1\n")
    assert len(read_audit(db, action="import")) == 1  # nothing written, nothing audited


def test_which_batches_may_be_undone_is_one_rule(imp, db, settings) -> None:
    """The Import page offers exactly the batches undo_batch accepts (siyu.ingest.history.undoable)."""
    from siyu.db import execute, writing
    from siyu.errors import IngestError
    from siyu.ingest import list_batches
    from siyu.ingest.history import undoable

    kept = imp(CSV, name="orders.csv")
    undone = imp(CSV + b"P3,M3,2024-03-07 10:00,1\n", name="more.csv")
    undo_batch(db, undone.batch_id, settings=settings)
    with writing(db) as con:
        execute(con, "mark_demo_cleared", {"imported_by": "dashboard"})
    listed = list_batches(db, settings)
    assert sorted(listed["profile"].to_list()) == ["demo_cleared", "generic_orders", "generic_orders", "undo"]
    assert undoable(listed)["batch_id"].to_list() == [kept.batch_id]
    for row in listed.filter(~listed["batch_id"].is_in([kept.batch_id])).iter_rows(named=True):
        with pytest.raises(IngestError):
            undo_batch(db, row["batch_id"], settings=settings)
    undo_batch(db, kept.batch_id, settings=settings)
