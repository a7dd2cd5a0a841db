"""How a view function reads metrics: `load(metric name, **params) -> frame`, and members' contacts:
`contacts(ids) -> frame`.

The page passes siyu.ui.cache.load_metric and siyu.ui.cache.load_contacts bound to its data and scope
(functools.partial); tests pass the registry on a connection (`lambda name, **p: run_metric(con, name, p)[1]`)
and `lambda ids: lookups.member_contacts(read_context(con), ids)`, so views run without Streamlit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import polars as pl

from siyu.engine.lookups import member_ids

Contacts = Callable[[tuple[int, ...]], pl.DataFrame]
"""contacts(member ids) -> member_id (string), display_name, phone, last_order (siyu.engine.lookups.member_contacts):
typed member ids, not the comma string of the command line's `member_contacts` metric."""


class Loader(Protocol):
    """load(metric name, **params) -> frame."""
    def __call__(self, name: str, **params: str) -> pl.DataFrame: ...


def with_contacts(contacts: Contacts, who: pl.DataFrame, contact_columns: tuple[str, ...],
                  columns: tuple[str, ...]) -> pl.DataFrame:
    """`who` (member_id, ...) joined to the members' `contact_columns` (display_name, phone, last_order), in
    the order `columns`; members without contacts keep their row."""
    found = contacts(member_ids(who))
    return who.with_columns(pl.col("member_id").cast(pl.String)).join(
        found.select("member_id", *contact_columns), on="member_id", how="left").select(*columns)
