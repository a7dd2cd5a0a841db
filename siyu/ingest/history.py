"""Batch history, undo, saved mappings and the preview the Import page shows before importing."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from siyu.auth import audit
from siyu.config import Settings, load_settings
from siyu.db import query, reading, scalar, writing
from siyu.errors import IngestError
from siyu.ingest.profiles import PROFILES, detect
from siyu.ingest.readers import Source, read_table
from siyu.ingest.sqlrun import run


def list_batches(db_path: Path | str, settings: Settings | None = None) -> pl.DataFrame:
    """One row per import batch, newest first (file, sha256, profile, user, time, counts, status)."""
    settings = settings or load_settings()
    with reading(Path(db_path), settings.lock_timeout) as con:
        return query(con, "ingest_batches")


def batch_rejects(db_path: Path | str, batch_id: int, settings: Settings | None = None) -> pl.DataFrame:
    """The rows a batch imported with on_error='skip' left out: row, column, value, message."""
    settings = settings or load_settings()
    with reading(Path(db_path), settings.lock_timeout) as con:
        return query(con, "ingest_batch_rejects", {"batch_id": batch_id})


NOT_UNDOABLE = ("demo", "undo", "demo_cleared")
"""Batch profiles no undo applies to: a demo build (the dashboard's banner clears it), an undo (import the file
again instead) and the marker the banner writes when it clears the demo (it wrote no rows)."""


def undoable(batches: pl.DataFrame) -> pl.DataFrame:
    """The rows of `list_batches()` an undo may be offered for: committed (not undone), not NOT_UNDOABLE.
    undo_batch applies the same rule, and also refuses a batch a later one builds on (that needs the data)."""
    return batches.filter((pl.col("status") == "committed") & ~pl.col("profile").is_in(NOT_UNDOABLE))


def undo_batch(db_path: Path | str, batch_id: int, *, user: str = "cli", settings: Settings | None = None,
               role: str | None = None) -> int:
    """Undo one import: rows it inserted are removed, rows it updated get their previous values back.

    Refused (IngestError) when a later batch built on it (undo that one first), or when the batch is
    a demo build, an undo, the demo-cleared marker (NOT_UNDOABLE), or already undone. Returns the id of the new 'undo' batch row, which also
    moves the latest batch id so every page's cache refreshes. Its audit row (`user`, `role`) commits
    with it.
    """
    settings = settings or load_settings()
    with writing(Path(db_path), settings.lock_timeout) as con:
        batch = query(con, "ingest_batch_get", {"batch_id": batch_id})
        if batch.height == 0:
            raise IngestError(f"没有批次 {batch_id} / no batch {batch_id}")
        row = batch.row(0, named=True)
        if row["status"] != "committed":
            raise IngestError(f"批次 {batch_id} 已经撤销过 / batch {batch_id} was already undone")
        if row["profile"] in NOT_UNDOABLE:
            raise IngestError(f"批次 {batch_id} 是 {row['profile']}，不能撤销 / a {row['profile']} batch cannot be undone")
        later = query(con, "ingest_undo_conflicts", {"batch_id": batch_id})
        if later.height:
            ids = ", ".join(str(i) for i in later["batch_id"].to_list())
            raise IngestError(
                f"之后的批次 {ids} 用到了批次 {batch_id} 写入的数据；请先撤销它们。"
                f" / Later batch(es) {ids} build on batch {batch_id}; undo them first.")
        run(con, "ingest_undo_apply", {"batch_id": batch_id})
        undo_id = int(scalar(con, "new_batch", {"file_name": row["file_name"], "sha256": row["sha256"],
                                                "profile": "undo", "imported_by": user}))
        run(con, "ingest_batch_note", {"batch_id": undo_id, "note": f"undo of batch {batch_id}"})
        audit.write(con, user, "undo", role=role, detail=f"batch {batch_id}")
    return undo_id


def save_mapping(db_path: Path | str, name: str, profile: str, columns: dict[str, str], *, user: str = "cli",
                 settings: Settings | None = None) -> None:
    """Save {siyu field: file header} for `profile` under `name`; files with those headers then import
    without the mapping step."""
    settings = settings or load_settings()
    if profile not in PROFILES:
        raise IngestError(f"未知的格式 {profile!r} / unknown profile")
    unknown = set(columns) - set(PROFILES[profile].fields)
    if unknown:
        raise IngestError(f"格式 {profile} 没有字段 {sorted(unknown)} / unknown fields")
    missing = [f for f in PROFILES[profile].required if not columns.get(f)]
    if missing:
        raise IngestError(f"必需字段未对应：{missing} / required fields not mapped: {missing}")
    if not name.strip():
        raise IngestError("映射需要一个名字 / a mapping needs a name")
    with writing(Path(db_path), settings.lock_timeout) as con:
        run(con, "ingest_mapping_save", {"name": name.strip(), "profile": profile,
                                         "columns": json.dumps(columns, ensure_ascii=False), "created_by": user})


@dataclass
class Preview:
    """What the Import page shows before importing: how the file was read and what it looks like."""

    encoding: str | None
    sheet: str | None
    sheets: list[str]
    header: list[str]
    profile: str | None
    missing: tuple[str, ...]
    closest: str | None
    rows: int
    sample: pl.DataFrame
    notes: list[str] = field(default_factory=list)


def preview(file: Source, *, encoding: str | None = None, sheet: str | None = None, n: int = 20) -> Preview:
    """Read the file (with an encoding/sheet override if given) and detect its profile; writes nothing."""
    table = read_table(file, encoding=encoding, sheet=sheet)
    found = detect(table.header)
    names = [h or f"(列{i + 1})" for i, h in enumerate(table.header)]
    seen: dict[str, int] = {}
    unique = []
    for h in names:
        seen[h] = seen.get(h, 0) + 1
        unique.append(h if seen[h] == 1 else f"{h} ({seen[h]})")
    sample = table.frame.head(n).drop("_row")
    sample.columns = unique
    notes = []
    if table.footer_rows:
        notes.append(f"忽略了末尾的 {table.footer_rows} 行合计 / ignored {table.footer_rows} trailing total row(s)")
    return Preview(table.encoding, table.sheet, table.sheets, table.header, found.profile, found.missing,
                   found.closest, table.rows, sample, notes)


@dataclass
class DryRun:
    """What importing would do to the rows, without a database: the profile, the canonical rows and errors."""

    profile: str
    rows: pl.DataFrame
    errors: pl.DataFrame


def dry_run(file: Source, *, profile: str | None = None, mapping: dict[str, str] | None = None,
            encoding: str | None = None, sheet: str | None = None, tz: str = "Asia/Shanghai", n: int = 20,
            earliest_year: int | None = None) -> DryRun:
    """Read, detect (or apply `mapping` {field: header} for `profile`), parse and validate; writes nothing.

    The Import page shows this as the preview of a column mapping before it is saved. Raises IngestError
    for structural problems (no profile, missing required columns). Dates before `earliest_year`
    (default: Settings.earliest_year, SIYU_EARLIEST_YEAR) are row errors, as the import itself says."""
    from siyu.ingest.pipeline import Mapping, resolve_profile
    from siyu.ingest.transforms import transform

    table = read_table(file, encoding=encoding, sheet=sheet)
    chosen = Mapping(profile, mapping) if (profile and mapping) else None
    name, columns, _ = resolve_profile(table, profile, chosen)
    year = load_settings().earliest_year if earliest_year is None else earliest_year
    canon = transform(name, table, columns, tz, year)
    return DryRun(name, canon.rows.head(n), canon.errors)
