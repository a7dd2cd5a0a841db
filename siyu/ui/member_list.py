"""A listed set of members on screen (phones masked) with the operators' download, as several pages show it."""

from __future__ import annotations

import polars as pl

from siyu.ui.downloads import member_download
from siyu.ui.tables import table


def member_list(listing: pl.DataFrame, columns: dict[str, tuple[str, str]], *, key: str, file_stem: str, what: str,
                height: int = 320, draw_empty: bool = False) -> None:
    """The table `{key}_table` of `listing` and its download buttons (`key`); nothing for nobody unless
    `draw_empty` (an empty table, as the Channels page draws for a row it was asked about)."""
    if not listing.height and not draw_empty:
        return
    table(listing, columns, key=f"{key}_table", phone_columns=("phone",), height=height)
    member_download(listing, file_stem=file_stem, what=what, key=key)
