"""`python -m siyu import`: one JSON object per file on stdout, reasons for refusals on stderr."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from siyu.config import Settings
from siyu.ingest.pipeline import import_file


def import_cli(settings: Settings, files: list[Path], *, profile: str | None = None, output: str = "json",
               on_error: str = "reject", snapshot_date: dt.date | None = None, encoding: str | None = None,
               sheet: str | None = None, user: str = "cli", mapping: str | None = None) -> int:
    """Import each file in its own transaction (its audit row included). Exit code 0 when all were imported
    (a file identical to an imported one counts: nothing needed writing), 1 when any was refused."""
    status = 0
    for path in files:
        report = import_file(settings.db, path, profile=profile, on_error=on_error, user=user, mapping=mapping,
                             settings=settings, snapshot_date=snapshot_date, encoding=encoding, sheet=sheet,
                             audit_via="cli")
        if output == "text":
            print(f"{report.file}: {report.profile or '?'} batch {report.batch_id} read {report.rows_read} "
                  f"inserted {report.inserted} updated {report.updated} duplicates {report.duplicates} "
                  f"rejected {report.rejected} linked {report.linked}"
                  + (f" identical_to {report.identical_to}" if report.identical_to is not None else ""))
        else:
            print(report.to_json(), flush=True)
        if not report.ok:
            status = 1
            print(f"错误 / error: {report.file}: {report.refused}", file=sys.stderr)
    return status
