"""One file -> one batch: read, detect, transform, validate, then load everything in ONE transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import tempfile
import time
import zoneinfo
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import polars as pl

from siyu.config import Settings, load_settings
from siyu.db import query, reading, scalar, writing
from siyu.errors import IngestError
from siyu.ingest import load, load_costs, load_groups, load_points, load_sends, load_staged, staged
from siyu.ingest.batches import (
    Progress,
    audit_import,
    identical_batch,
    identical_before_reading,
    report_identical,
    tell,
)
from siyu.ingest.cells import ERROR_SCHEMA
from siyu.ingest.load import Counts
from siyu.ingest.merge import export_snapshot
from siyu.ingest.profiles import PROFILES, columns_for, detect, norm_header
from siyu.ingest.readers import CsvSnapshot, RawTable, Source, read_deferred, source_name
from siyu.ingest.report import ImportReport
from siyu.ingest.snapshot import file_state, open_named_file, refuse_changed, temp_prefix
from siyu.ingest.sqlrun import run, stage
from siyu.ingest.transforms import drop_bad_rows, fold_orders, transform

ON_ERROR = ("reject", "skip")
_FILE_DATE = re.compile(r"(20\d{2})[-_.年]?(\d{2})[-_.月]?(\d{2})")


def _sha256(source: bytes | BinaryIO) -> str:
    """The digest of bytes, or of an open file from its start (left at its start for the reader)."""
    h = hashlib.sha256()
    if isinstance(source, bytes):
        h.update(source)
        return h.hexdigest()
    source.seek(0)
    while chunk := source.read(1 << 22):
        h.update(chunk)
    source.seek(0)
    return h.hexdigest()


def _size(source: Source) -> int:
    if isinstance(source, bytes):
        return len(source)
    if isinstance(source, (str, Path)):
        return Path(source).stat().st_size
    pos = source.tell()
    source.seek(0, 2)
    size = source.tell()
    source.seek(pos)
    return size


def with_phone_keys(rows: pl.DataFrame, pepper: str) -> pl.DataFrame:
    """Normalised phones replaced by their HMAC join keys (SIYU_PEPPER set): records still link by phone,
    but the database never holds the number. Computed once per distinct phone."""
    from siyu.privacy import phone_key

    for col in [c for c in ("phone", "phone2") if c in rows.columns]:
        distinct = rows.select(pl.col(col).drop_nulls().unique())
        keys = distinct.with_columns(
            pl.col(col).map_elements(lambda p: phone_key(p, pepper), return_dtype=pl.Utf8).alias("_key"))
        rows = (rows.join(keys, on=col, how="left", maintain_order="left")
                .with_columns(pl.col("_key").alias(col)).drop("_key"))
    return rows


def date_in_name(name: str) -> dt.date | None:
    """The export date written in a file name (`客户列表_20240305.xlsx`, `customers-2024-03-05.csv`)."""
    m = _FILE_DATE.search(name)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


@dataclass
class Mapping:
    profile: str
    columns: dict[str, str]   # siyu field -> the file's header text


def saved_mappings(db_path: Path, settings: Settings | None = None) -> dict[str, Mapping]:
    settings = settings or load_settings()
    with reading(Path(db_path), settings.lock_timeout) as con:
        frame = query(con, "ingest_mappings")
    return {r["name"]: Mapping(r["profile"], json.loads(r["columns"])) for r in frame.iter_rows(named=True)}


def mapping_for_header(header: list[str], mappings: dict[str, Mapping]) -> tuple[str, Mapping] | None:
    """The saved mapping (name, mapping) whose headers are all in `header`, the most specific first."""
    normed = {norm_header(h) for h in header}
    fits = [(name, m) for name, m in mappings.items()
            if m.columns and all(norm_header(h) in normed for h in m.columns.values() if h)]
    fits.sort(key=lambda nm: -len(nm[1].columns))
    return fits[0] if fits else None


def resolve_profile(table: RawTable, profile: str | None, mapping: Mapping | None,
                    mappings: Callable[[], dict[str, Mapping]] | None = None) -> tuple[str, dict[str, int], str | None]:
    """(profile, {field: column index}, saved mapping name used). Raises IngestError when nothing fits."""
    if mapping is not None:
        return mapping.profile, columns_for(mapping.profile, table.header, mapping.columns), None
    if profile:
        return profile, columns_for(profile, table.header), None
    found = detect(table.header)
    if found.profile:
        return found.profile, found.columns, None
    saved = mapping_for_header(table.header, mappings() if mappings else {})
    if saved:
        name, m = saved
        return m.profile, columns_for(m.profile, table.header, m.columns), name
    if found.closest:
        raise IngestError(
            f"看起来像 {found.closest}（{PROFILES[found.closest].label}），但缺少必需的列：{'、'.join(found.missing)}。"
            "请用原系统重新导出完整的列，或在导入页面手动对应列。"
            f" / Looks like {found.closest} but required column(s) are missing: {', '.join(found.missing)}.")
    raise IngestError(
        f"无法识别文件格式：{f'表头 {table.header[:8]}' if table.is_table else '第一行不像表头（文件不像表格）'}"
        f" 不属于任何已知格式（{', '.join(PROFILES)}）。"
        "请在导入页面把列对应到 siyu 的字段并保存为映射，或用 --profile 指定格式。"
        " / No profile matches this header; map the columns on the Import page or pass --profile.")


def refuse_ambiguous_columns(table: RawTable, columns: dict[str, int]) -> None:
    """A header siyu reads that appears twice with different contents: which column is meant cannot be
    known, so the file is refused (identical twins, which some exports carry, are harmless)."""
    normed = [norm_header(h) for h in table.header]
    for idx in columns.values():
        twins = [j for j, h in enumerate(normed) if h == normed[idx]]
        for j in twins:
            a, b = table.frame[f"c{idx}"], table.frame[f"c{j}"]
            if j != idx and not a.equals(b):  # equals() treats two nulls as equal
                cols = "、".join(str(k + 1) for k in twins)
                raise IngestError(
                    f"表头 {table.header[idx]!r} 出现了 {len(twins)} 次（第 {cols} 列），内容不同，无法确定该用哪一列；"
                    "请删除或改名多余的列后重试，或在导入页面手动对应列。"
                    f" / The header {table.header[idx]!r} appears {len(twins)} times (columns {cols}) with different "
                    "values; delete or rename the extra column(s), or map the columns by hand.")


def import_file(db_path: Path | str, file: Source, *, profile: str | None = None, on_error: str = "reject",
                user: str = "cli", mapping: Mapping | str | dict[str, Any] | None = None,
                settings: Settings | None = None, snapshot_date: dt.date | None = None,
                encoding: str | None = None, sheet: str | None = None, file_name: str | None = None,
                role: str | None = None, audit_via: str | None = None, progress: Progress | None = None) -> ImportReport:
    """Import one export into the database at `db_path`, all or nothing.

    `file` is a path, bytes or a binary file object (an upload; those are held to
    Settings.max_upload_mb). Row problems refuse the file (`on_error='reject'`) or drop the bad rows
    and record them with the batch (`'skip'`). Structural problems always refuse the file: the
    report's `refused` says why and nothing is written. Lock and database errors raise SiyuError.
    A file whose exact bytes a committed batch imported is not imported again (`identical_to`).
    The batch's audit row (user, `role`, `audit_via` appended to its detail) commits with its rows;
    `progress(stage, rows, fraction)` is told each stage (siyu.ingest.batches.Progress).
    """
    settings = settings or load_settings()
    db_path = Path(db_path)
    report = ImportReport(file=file_name or source_name(file))
    if on_error not in ON_ERROR:
        raise IngestError(f"on_error 只能是 reject 或 skip，收到 {on_error!r}")
    try:
        if not isinstance(file, (str, Path)) and _size(file) > settings.max_upload_mb * (1 << 20):
            raise IngestError(
                f"文件 {_size(file) / (1 << 20):.0f} MB，超过上传上限 {settings.max_upload_mb:.0f} MB（SIYU_MAX_UPLOAD_MB）；"
                "请拆分文件或用命令行导入。 / The file is over the upload limit; split it or import it from the command line.")
        with ExitStack() as opened:
            # A named file is opened ONCE (no symlink out of its folder, no device): hashed through that
            # handle, so a big identical file is recognised in the time its sha256 takes, then read through it.
            named = opened.enter_context(open_named_file(file)) if isinstance(file, (str, Path)) else None
            handle = named or file
            assert not isinstance(handle, (str, Path))
            # Compared after reading (unchanged()): a UTF-8 file is read in place, not copied and hashed again.
            state = file_state(named) if named is not None else None
            report.sha256 = _sha256(handle)
            if snapshot_date is None and mapping is None:
                same = identical_before_reading(db_path, settings.lock_timeout, report.sha256, profile)
                if same is not None:
                    report_identical(report, same)
                    tell(progress, "done", report.rows_read, 1.0)
                    return report
            tell(progress, "read", 0, 0.0)
            clock = time.perf_counter()
            got = read_deferred(named if named is not None else _whole(handle),
                                Path(str(file)).name if named is not None else "", encoding=encoding, sheet=sheet,
                                sha256=report.sha256, in_place=named is not None)

            def unchanged() -> None:
                if named is not None and file_state(named) != state:
                    refuse_changed()  # written to since it was hashed: what was read may not be what was hashed

            if isinstance(got, CsvSnapshot):
                opened.callback(got.close)  # the private copy goes whatever happens next
            report.seconds["read"] = round(time.perf_counter() - clock, 3)
            if got.sha256 is not None and got.sha256 != report.sha256:
                refuse_changed()  # a spreadsheet hashed as it was read: not the bytes hashed before
            if isinstance(mapping, str):
                all_maps = saved_mappings(db_path, settings)
                if mapping not in all_maps:
                    raise IngestError(f"没有名为 {mapping!r} 的已保存映射 / no saved mapping named {mapping!r}")
                mapping = all_maps[mapping]
            elif isinstance(mapping, dict):
                mapping = Mapping(mapping.get("profile") or profile or "", dict(mapping.get("columns") or {}))
            plan = _staged_plan(got, profile, mapping, db_path, settings) if isinstance(got, CsvSnapshot) else None
            if plan is not None:
                try:
                    _write_staged(db_path, settings, report, plan, snapshot_date, user, on_error, role, audit_via,
                                  progress, unchanged)
                    tell(progress, "done", report.rows_read, 1.0)
                    return report
                except staged.NotStageable:  # rolled back; Polars parses the file and says what is wrong
                    report.error_frame, report.rejected, report.footer_rows_ignored = pl.DataFrame(schema=ERROR_SCHEMA), 0, 0
                    report.profile = report.encoding = None
                    report.rows_read = 0
            clock = time.perf_counter()
            table = got.table() if isinstance(got, CsvSnapshot) else got
            unchanged()
            report.seconds["read"] = round(report.seconds["read"] + time.perf_counter() - clock, 3)
            clock = time.perf_counter()
            tell(progress, "transform", table.rows, 0.3)
            report.encoding, report.sheet, report.footer_rows_ignored = table.encoding, table.sheet, table.footer_rows
            report.rows_read = table.rows
            name, columns, _ = resolve_profile(
                table, profile, mapping, lambda: saved_mappings(db_path, settings) if db_path.exists() else {})
            refuse_ambiguous_columns(table, columns)
            canon = transform(name, table, columns, settings.timezone, settings.earliest_year)
            del table  # the text columns are not needed any more; big files need the memory
            report.profile = name
            report.seconds["transform"] = round(time.perf_counter() - clock, 3)
        errors = canon.errors
        _take_errors(report, errors, on_error)
        rows, _ = drop_bad_rows(canon) if errors.height else (canon.rows, 0)
        if settings.pepper:
            rows = with_phone_keys(rows, settings.pepper)
        tell(progress, "load", report.rows_read, 0.5)
        _write(db_path, settings, report, canon.kind, name, rows, canon.fold_key, errors, snapshot_date, user, on_error,
               role, audit_via, progress)
        tell(progress, "done", report.rows_read, 1.0)
    except IngestError as exc:
        report.refused = str(exc)
        report.batch_id = None
        report.inserted = report.updated = report.duplicates = report.linked = report.members_created = report.stale = 0
        report.snapshot_at = None
    return report


def _whole(upload: bytes | BinaryIO) -> bytes:
    """An upload's bytes, from the start (uploads are held to Settings.max_upload_mb)."""
    if isinstance(upload, bytes):
        return upload
    upload.seek(0)
    return upload.read()


def _take_errors(report: ImportReport, errors: pl.DataFrame, on_error: str) -> None:
    """Record the row errors; refuse the file over them unless bad rows are to be skipped."""
    report.error_frame = errors
    report.rejected = errors["row"].n_unique() if errors.height else 0
    if errors.height and on_error == "reject":
        raise IngestError(
            f"{report.rejected} 行有问题（共 {errors.height} 处），整个文件未导入。请修正后重试，"
            "或用 --on-error skip（页面上勾选“跳过错误行”）只导入正确的行。"
            f" / {report.rejected} row(s) have problems; nothing was imported. Fix them, or use --on-error skip.")


def _staged_plan(snap: CsvSnapshot, profile: str | None, mapping: Mapping | None, db_path: Path,
                 settings: Settings) -> staged.StagedCsv | None:
    """The plan when DuckDB may read this CSV in Polars' place (siyu.ingest.staged), else None: the caller
    parses it with Polars, which also says first what is wrong with a broken file."""
    if not staged.shape_allows(snap):
        return None
    try:
        name, columns, _ = resolve_profile(
            snap.header_table(), profile, mapping, lambda: saved_mappings(db_path, settings) if db_path.exists() else {})
    except IngestError:
        return None
    return staged.StagedCsv(snap, name, columns) if staged.can_stage(snap, name, columns) else None


def _write_staged(db_path: Path, settings: Settings, report: ImportReport, plan: staged.StagedCsv,
                  snapshot_date: dt.date | None, user: str, on_error: str, role: str | None, audit_via: str | None,
                  progress: Progress | None, unchanged: Callable[[], None]) -> None:
    """Read, convert, check and write a staged CSV in ONE transaction of the database (siyu.ingest.staged,
    siyu.ingest.load_staged): the orders never become a Python frame. Raises staged.NotStageable (rolled
    back) when DuckDB's reading cannot be vouched for; `unchanged()` refuses (rolled back) a file written to
    since it was hashed."""
    clock = time.perf_counter()
    tell(progress, "transform", 0, 0.3)
    report.profile, report.encoding = plan.profile, plan.snap.encoding
    with tempfile.TemporaryDirectory(prefix=temp_prefix("stage")) as spill, \
            writing(db_path, settings.lock_timeout) as con:
        staged.prepare(con, spill)
        conv = staged.convert(con, plan, settings.timezone, settings.earliest_year)
        unchanged()  # DuckDB has read all it will read of the file
        report.rows_read, report.footer_rows_ignored = conv.rows, conv.footer_rows
        report.seconds["transform"] = round(time.perf_counter() - clock, 3)
        _take_errors(report, conv.errors, on_error)
        tell(progress, "load", report.rows_read, 0.5)
        clock = time.perf_counter()
        kept, folded = load_staged.fold(con, conv, conv.errors["row"])
        newest = load_staged.newest_time(con)
        dated = snapshot_date or date_in_name(report.file)
        times = [t for t in (newest, dt.datetime.combine(dated, dt.time()) if dated else None) if t is not None]
        report.snapshot_at = max(times) if times else None
        same = identical_batch(con, report.sha256 or "", plan.profile, snapshot_date,
                               report.snapshot_at if snapshot_date else None)
        if same is not None:
            report_identical(report, same)
            return
        batch_id = int(scalar(con, "new_batch", {"file_name": report.file, "sha256": report.sha256,
                                                 "profile": plan.profile, "imported_by": user}))
        keys = (lambda people: with_phone_keys(people, settings.pepper)) if settings.pepper else None
        counts = load_staged.load_staged_orders(con, batch_id, plan.profile, report.snapshot_at, keys)
        counts.duplicates += folded
        _finish_batch(con, report, batch_id, counts, conv.errors, on_error, user, role, audit_via, progress)
        report.seconds["load"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
    report.seconds["commit"] = round(time.perf_counter() - clock, 3)
    _report_counts(report, batch_id, counts, kept + folded)


def _finish_batch(con: duckdb.DuckDBPyConnection, report: ImportReport, batch_id: int, counts: Counts,
                  errors: pl.DataFrame, on_error: str, user: str, role: str | None, audit_via: str | None,
                  progress: Progress | None) -> None:
    """The batch's rejected rows, totals and audit row, in the import's transaction."""
    stage(con, "stg_rejects", errors)
    run(con, "ingest_batch_finish", {
        "batch_id": batch_id, "rows_read": report.rows_read, "inserted": counts.inserted,
        "updated": counts.updated, "rejected": report.rejected, "linked": counts.linked,
        "duplicates": counts.duplicates, "snapshot_date": report.snapshot_date, "encoding": report.encoding,
        "snapshot_at": report.snapshot_at,
        "on_error": on_error, "note": f"{counts.records} records, {counts.members_created} new members",
    })
    report.inserted, report.updated = counts.inserted, counts.updated
    audit_import(con, report, batch_id, user, role, audit_via)
    tell(progress, "commit", report.rows_read, 0.9)


def _report_counts(report: ImportReport, batch_id: int, counts: Counts, records: int) -> None:
    report.batch_id = batch_id
    report.records = records
    report.inserted, report.updated, report.duplicates = counts.inserted, counts.updated, counts.duplicates
    report.linked, report.members_created = counts.linked, counts.members_created
    report.stale = counts.stale


def _write(db_path: Path, settings: Settings, report: ImportReport, kind: str, profile: str, rows: pl.DataFrame,
           fold_key: str | None, errors: pl.DataFrame, snapshot_date: dt.date | None, user: str,
           on_error: str, role: str | None = None, audit_via: str | None = None,
           progress: Progress | None = None) -> None:
    clock = time.perf_counter()
    with writing(db_path, settings.lock_timeout) as con:
        if kind == "members" and profile != "wecom_customers":
            snap = (snapshot_date
                    or scalar(con, "ingest_snapshot_date_of_file", {"sha256": report.sha256, "profile": profile})
                    or date_in_name(report.file)
                    or dt.datetime.now(zoneinfo.ZoneInfo(settings.timezone)).date())
            report.snapshot_date = snap
        if profile == "wecom_group_members":
            report.snapshot_date = load_groups.snapshot_day(
                rows, snapshot_date or date_in_name(report.file)
                or dt.datetime.now(zoneinfo.ZoneInfo(settings.timezone)).date())
        if kind == "orders":
            orders, items = fold_orders(rows, fold_key)
            report.snapshot_at = export_snapshot(orders, snapshot_date or date_in_name(report.file))
        # Checked again under the write lock (another import of the same bytes may have just committed).
        same = identical_batch(con, report.sha256 or "", profile, snapshot_date,
                               report.snapshot_at if snapshot_date else None)
        if same is not None:
            report_identical(report, same)
            return
        batch_id = int(scalar(con, "new_batch", {"file_name": report.file, "sha256": report.sha256,
                                                 "profile": profile, "imported_by": user}))
        if kind == "orders":
            orders = orders.with_columns(pl.lit(report.snapshot_at, dtype=pl.Datetime("us")).alias("snapshot_at"))
            counts = load.load_orders(con, batch_id, orders, items, profile)
            counts.duplicates += rows.height - orders.height if not fold_key else 0
        elif kind == "referrals":
            counts = load.load_referrals(con, batch_id, rows, profile)
        elif kind == "channel_costs":
            counts = load_costs.load_channel_costs(con, batch_id, rows)
        elif kind == "groups":
            counts = load_groups.load_groups(con, batch_id, rows)
        elif kind == "group_members":
            counts = load_groups.load_group_members(con, batch_id, rows, profile, report.snapshot_date)
        elif kind == "group_daily":
            counts = load_groups.load_group_daily(con, batch_id, rows)
        elif kind == "campaign_sends":
            counts, unmatched = load_sends.load_campaign_sends(con, batch_id, rows, on_error)
            if unmatched.height:  # rows left out under on-error skip, recorded with the batch like bad cells
                errors = pl.concat([errors, unmatched]).sort("row")
                report.error_frame = errors
                report.rejected = errors["row"].n_unique()
        elif kind == "points_ledger":
            counts = load_points.load_points(con, batch_id, rows, profile)
        elif kind == "paid_memberships":
            counts = load_points.load_paid(con, batch_id, rows, profile)
        else:
            counts = load.load_members(con, batch_id, rows, profile, report.snapshot_date or dt.date.today())
        _finish_batch(con, report, batch_id, counts, errors, on_error, user, role, audit_via, progress)
        report.seconds["load"] = round(time.perf_counter() - clock, 3)
        clock = time.perf_counter()
    report.seconds["commit"] = round(time.perf_counter() - clock, 3)
    _report_counts(report, batch_id, counts,
                   counts.records + (rows.height - counts.records if kind == "orders" and not fold_key else 0))
