"""What an import does around its rows: recognising an identical re-import, its audit row, its progress.

The audit row is written by `audit_import` inside the import's own transaction, so rows, batch and audit
row commit together or not at all (a kill between two transactions once left 1.5M rows with no audit row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

from siyu.auth import audit
from siyu.db import query, reading
from siyu.ingest.profiles import PROFILES
from siyu.ingest.report import ImportReport

# progress(stage, rows, fraction): stage is read | transform | load | commit | done; rows the data rows
# read so far (0 until the file is read); fraction of the whole import, 0..1. Called from the importing
# thread between stages.
Progress = Callable[[str, int, float], None]


def tell(progress: Progress | None, stage: str, rows: int, fraction: float) -> None:
    if progress is not None:
        progress(stage, rows, fraction)


def identical_batch(con: duckdb.DuckDBPyConnection, sha256: str, profile: str | None,
                    snapshot_date: dt.date | None = None, snapshot_at: dt.datetime | None = None) -> dict[str, Any] | None:
    """The committed batch that imported these exact bytes as `profile` (any profile when None), or None.
    An explicit snapshot date other than the one that batch used makes it a different import (a member
    export's new dated snapshot, an order export said to be newer), so it is not identical."""
    for row in query(con, "ingest_identical_batch", {"sha256": sha256}).iter_rows(named=True):
        if profile is not None and row["profile"] != profile:
            continue
        if snapshot_date is not None and row["snapshot_date"] is not None and row["snapshot_date"] != snapshot_date:
            continue
        if snapshot_at is not None and row["snapshot_at"] is not None and row["snapshot_at"] != snapshot_at:
            continue
        return row
    return None


def identical_before_reading(db_path: Path, lock_timeout: float, sha256: str, profile: str | None) -> dict[str, Any] | None:
    """The same check before the file is read (a big identical file is recognised in the time its sha256
    takes); the import's transaction checks again under the write lock."""
    if not db_path.exists():
        return None
    with reading(db_path, lock_timeout) as con:
        return identical_batch(con, sha256, profile)


def report_identical(report: ImportReport, batch: dict[str, Any]) -> None:
    """Nothing written: every record of the file is already stored exactly as batch N stored it."""
    report.identical_to = int(batch["batch_id"])
    report.batch_id = None
    report.profile = report.profile or batch["profile"]
    report.rows_read = report.rows_read or int(batch["rows_read"])
    report.records = report.duplicates = int(batch["records"])
    report.inserted = report.updated = report.members_created = report.stale = 0
    # As a re-import counted them: member-side records all attach to existing members; an order is linked
    # only when it is new, and channel costs, groups and daily group statistics never are.
    kind = PROFILES[batch["profile"]].kind if batch["profile"] in PROFILES else "orders"
    report.linked = 0 if kind in ("orders", "channel_costs", "groups", "group_daily", "campaign_sends") else report.records
    report.snapshot_date, report.snapshot_at = batch["snapshot_date"], batch["snapshot_at"]
    report.note = (f"与第 {report.identical_to} 批完全相同，未写入 / identical to batch {report.identical_to}; "
                   "nothing was written")


def audit_import(con: duckdb.DuckDBPyConnection, report: ImportReport, batch_id: int, user: str,
                 role: str | None, via: str | None) -> None:
    """The audit row of a committed import, in the import's transaction."""
    audit.write(con, user, "import", role=role,
                detail=f"{report.file}: batch {batch_id}" + (f" ({via})" if via else ""),
                rows=report.inserted + report.updated)
