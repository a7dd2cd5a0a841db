"""What the pages look up beside the metrics, as typed functions: the contact columns of a list of members
and the member-export snapshot dates.

They take the run's read context and plain integers (`tuple[int, ...]` of member ids, not a comma string),
so a page's cached loader (siyu.ui.cache.load_contacts, load_snapshot_dates) passes them through
unchanged; the catalog's `member_contacts` and `snapshot_dates` metrics (the command line's) parse their
strings and call these.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext

CONTACTS_SCHEMA = pl.Schema({"member_id": pl.String, "display_name": pl.String, "phone": pl.String,
                             "last_order": pl.Date})


def member_ids(frame: pl.DataFrame, column: str = "member_id") -> tuple[int, ...]:
    """The distinct member ids of `frame`'s `column` (siyu's integer ids, as numbers or digit strings),
    sorted: the argument of `member_contacts` for the members a drill-down lists."""
    if frame.is_empty():
        return ()
    ids: list[int] = frame[column].cast(pl.Int64).unique().sort().to_list()
    return tuple(ids)


def member_contacts(ctx: ReadContext, ids: tuple[int, ...]) -> pl.DataFrame:
    """member_id (string), display_name, phone (full when known, else masked), last_order (the day of the
    member's last valid order in the scope of the context) of the listed members, by member id."""
    if not ids:
        return pl.DataFrame(schema=CONTACTS_SCHEMA)
    names = query(ctx.con, "pg_member_names", {"ids": list(ids)})
    last = (inputs.valid_orders_cached(ctx).filter(pl.col("member_id").is_in(pl.Series(ids, dtype=pl.Int64).implode()))
            .group_by("member_id").agg(pl.col("paid_at").max().cast(pl.Date).alias("last_order")).collect())
    return (names.join(last, on="member_id", how="left", maintain_order="left")
            .with_columns(pl.col("member_id").cast(pl.String)).select(list(CONTACTS_SCHEMA)).cast(CONTACTS_SCHEMA))


def snapshot_dates(ctx: ReadContext) -> tuple[dt.date, ...]:
    """The distinct member-export snapshot dates in the scope of the context, newest first."""
    return tuple(inputs.snapshot_dates(ctx))
