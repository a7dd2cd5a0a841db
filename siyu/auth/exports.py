"""Member-level files (anything with phone numbers or lists of members): what each role may take away.

`member_file` is the one place that decides: viewers get nothing (PermissionError), operators and admins
get full phone numbers (or masked ones when they ask), and every text cell is formula-neutralised
(CSV via siyu.output.to_csv, XLSX via siyu.output.to_xlsx). The dashboard calls it through
siyu.ui.downloads.member_download, which also writes the audit row.
"""

from __future__ import annotations

import polars as pl

from siyu.auth import allows
from siyu.output import to_csv, to_xlsx
from siyu.privacy import mask_phones

FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
MIN_ROLE = "operator"


def member_file(frame: pl.DataFrame, *, role: str | None, fmt: str = "csv",
                phone_columns: tuple[str, ...] = ("phone",), masked: bool = False,
                formats: dict[str, str] | None = None) -> bytes:
    """The bytes of a member-level download for `role`. Raises PermissionError below operator.
    formats: XLSX number formats by column kind (siyu.output.to_xlsx)."""
    if not allows(role, MIN_ROLE):
        raise PermissionError("查看者不能下载会员明细 / viewers cannot download member-level data")
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {sorted(FORMATS)}")
    if masked:
        frame = mask_phones(frame, phone_columns)
    if fmt == "csv":
        return to_csv(frame).encode("utf-8-sig")  # BOM: Excel on Chinese Windows reads UTF-8
    return to_xlsx(frame, formats=formats)
