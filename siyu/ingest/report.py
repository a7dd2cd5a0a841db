"""What one import did, for the CLI's JSON line and the Import page."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import polars as pl

from siyu.output import to_csv, to_xlsx


@dataclass
class ImportReport:
    """One file's import. `refused` is set (and nothing was written) when the file was refused whole."""

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
    errors: list[dict[str, Any]] = field(default_factory=list)
    refused: str | None = None
    sha256: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    snapshot_date: dt.date | None = None
    footer_rows_ignored: int = 0
    seconds: dict[str, float] = field(default_factory=dict)   # read / transform / load / commit

    @property
    def ok(self) -> bool:
        return self.refused is None

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["snapshot_date"] = self.snapshot_date.isoformat() if self.snapshot_date else None
        return out

    def errors_frame(self) -> pl.DataFrame:
        schema = {"row": pl.Int64, "column": pl.Utf8, "value": pl.Utf8, "message": pl.Utf8}
        return pl.DataFrame(self.errors, schema=schema) if self.errors else pl.DataFrame(schema=schema)

    def errors_csv(self) -> str:
        """Every bad cell (row from 1 after the header, column as written in the file, value, reason) as
        CSV; formula-like values are neutralised with a leading quote, the text itself is kept."""
        return to_csv(self.errors_frame())

    def errors_xlsx(self) -> bytes:
        """The same list as an .xlsx sheet (text written as text, formula-like cells neutralised)."""
        return to_xlsx(self.errors_frame(), "errors")
