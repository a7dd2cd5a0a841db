"""How a view function reads metrics: `load(metric name, **params) -> frame`.

The page passes siyu.ui.cache.load_metric bound to its data and scope (functools.partial); tests pass the
registry on a connection (`lambda name, **p: run_metric(con, name, p)[1]`), so views run without Streamlit.
"""

from __future__ import annotations

from typing import Protocol

import polars as pl


def ids_param(frame: pl.DataFrame, column: str = "member_id") -> str:
    """'1,5,9': the frame's member ids, sorted, for metric member_contacts through a Loader (the views reach
    contacts the way they reach every metric; the pages' own drill-downs use siyu.ui.cache.load_contacts,
    which takes a tuple of ints)."""
    if frame.is_empty():
        return ""
    return ",".join(str(i) for i in sorted({int(v) for v in frame[column].to_list()}))


class Loader(Protocol):
    """load(metric name, **params) -> frame."""
    def __call__(self, name: str, **params: str) -> pl.DataFrame: ...


def with_contacts(load: Loader, who: pl.DataFrame, contact_columns: tuple[str, ...],
                  columns: tuple[str, ...]) -> pl.DataFrame:
    """`who` (member_id, ...) joined to the members' `contact_columns` (metric member_contacts: display_name,
    phone, last_order), in the order `columns`; members without contacts keep their row."""
    contacts = load("member_contacts", ids=ids_param(who))
    return who.with_columns(pl.col("member_id").cast(pl.String)).join(
        contacts.select("member_id", *contact_columns), on="member_id", how="left").select(*columns)
