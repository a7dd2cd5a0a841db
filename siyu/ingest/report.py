"""What one import did, for the CLI's JSON line and the Import page."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field, fields
from typing import Any

import polars as pl

from siyu.output import to_csv, to_xlsx

ERROR_SCHEMA = {"row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8, "message": pl.Utf8}


@dataclass
class ImportReport:
    """One file's import. `refused` is set (and nothing was written) when the file was refused whole.

    The bad cells are kept as a Polars frame (`error_frame`): a file whose every row is bad can have
    millions, and they are only turned into Python objects when asked (`errors`)."""

    file: str
    profile: str | None = None
    batch_id: int | None = None
    rows_read: int = 0
    records: int = 0              # orders / member rows / friendships / referrals after folding
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    rejected: int = 0             # rows with at least one error
    linked: int = 0               # records attached to members that existed before this import
    members_created: int = 0
    error_frame: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=ERROR_SCHEMA), repr=False)
    refused: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    snapshot_date: dt.date | None = None
    footer_rows_ignored: int = 0
    seconds: dict[str, float] = field(default_factory=dict)   # read / transform / load / commit
    stale: int = 0                # of the duplicates: older states of stored orders (smaller refund, earlier
                                  # status); the stored, newer state was kept
    snapshot_at: dt.datetime | None = None  # order exports: the moment the export describes (docs/import.md
                                            # "Merging exports"); the later snapshot wins a disagreement
    identical_to: int | None = None   # a committed batch imported these exact bytes: nothing was written
    note: str | None = None           # a sentence for people about the outcome (zh / en), e.g. the above

    @property
    def ok(self) -> bool:
        return self.refused is None

    @property
    def errors(self) -> list[dict[str, Any]]:
        """Every bad cell: {row, column, value, message}."""
        return self.error_frame.to_dicts()

    def _fields(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "error_frame"}
        out["snapshot_date"] = self.snapshot_date.isoformat() if self.snapshot_date else None
        out["snapshot_at"] = self.snapshot_at.isoformat(sep=" ") if self.snapshot_at else None
        out["seconds"] = dict(self.seconds)
        return out

    def to_dict(self) -> dict[str, Any]:
        out = self._fields()
        keys = list(out)
        out["errors"] = self.errors
        # Keep the documented key order: errors right after the counts.
        order = keys[:keys.index("members_created") + 1] + ["errors"] + keys[keys.index("members_created") + 1:]
        return {k: out[k] for k in order}

    def to_json(self) -> str:
        """The CLI's one-line JSON object; a long error list is serialised by Polars (fast for millions)."""
        if self.error_frame.height < 10_000:
            return json.dumps(self.to_dict(), ensure_ascii=False, default=str)
        head = json.dumps(self._fields(), ensure_ascii=False, default=str)
        return head[:-1] + ', "errors": ' + self.error_frame.write_json() + "}"

    def errors_frame(self) -> pl.DataFrame:
        return self.error_frame

    def errors_csv(self) -> str:
        """Every bad cell (row from 1 after the header, column as written in the file, value, reason) as
        CSV; formula-like values are neutralised with a leading quote, the text itself is kept."""
        return to_csv(self.error_frame)

    def errors_xlsx(self) -> bytes:
        """The same list as an .xlsx sheet (text written as text, formula-like cells neutralised)."""
        return to_xlsx(self.error_frame, "errors")
