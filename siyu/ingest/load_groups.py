"""Writing customer groups (社群) inside the import's transaction: groups, memberships, daily statistics.

Keys: groups by group_id (群ID, else the name); memberships by (group, member, join time) — a re-join is a
new membership; daily statistics by (day, owner). Re-importing the same or an overlapping export writes
nothing new (duplicates); a changed value replaces the stored one and keeps it for undo.

Leaves: a WeCom member export is a snapshot of who is in each of its groups on its snapshot day. A
membership listed by an earlier export of a group and missing from a later one left on the later
export's day (left_source 'snapshot'); an explicit 退群时间 wins (left_source 'export') and is never
inferred over. The inference is recomputed for the file's groups from all their stored snapshots, so the
order in which exports are imported does not matter. 企业成员 rows (staff) are not stored.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from siyu.ingest import identity
from siyu.ingest.load import Counts, _id_frame, write_members
from siyu.ingest.sqlrun import run, stage

GROUP_COLUMNS = ["group_id", "group_name", "owner_id", "owner_name", "created_at", "member_count", "notice", "group_type"]
MEMBERSHIP_COLUMNS = ["group_id", "member_id", "joined_at", "left_at", "left_source", "join_way", "inviter",
                      "member_type", "nickname", "last_seen"]
MEMBERSHIP_KEY = ["group_id", "member_id", "joined_at"]
DAILY_KEY = ["day", "owner"]
STRONG = ("ext_id", "wecom_ext_id", "phone", "phone2")


def snapshot_day(rows: pl.DataFrame, given: dt.date) -> dt.date:
    """The day a WeCom member export describes: the date given (or in the file name, or today), but never
    before the newest join or leave in it (the export cannot predate what it lists)."""
    newest = rows.select(pl.max_horizontal(pl.col("joined_at").max(), pl.col("left_at").max())).item()
    return max(given, newest.date()) if newest is not None else given


def _write_groups(con: duckdb.DuckDBPyConnection, batch_id: int, groups: pl.DataFrame) -> tuple[int, int]:
    """(inserted, updated) of one row per group_id (the last row of the file wins)."""
    groups = groups.select(GROUP_COLUMNS).unique("group_id", keep="last", maintain_order=True)
    stage(con, "stg_groups", groups)
    existing = run(con, "ingest_groups_existing")
    assert existing is not None
    new = groups.join(existing, on="group_id", how="anti")
    upd = groups.join(existing.filter(~pl.col("same")), on="group_id", how="semi")
    stage(con, "stg_groups_new", new)
    stage(con, "stg_groups_upd", upd)
    run(con, "ingest_groups_write", {"batch_id": batch_id})
    return new.height, upd.height


def load_groups(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame) -> Counts:
    """The group list (wecom_groups): one group per 群ID (or name); a later list updates name, owner, size."""
    c = Counts(records=rows.height)
    c.inserted, c.updated = _write_groups(con, batch_id, rows.with_columns(pl.lit(None, dtype=pl.Utf8).alias("group_type")))
    c.duplicates = rows.height - c.inserted - c.updated
    return c


def _group_ids(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> pl.DataFrame:
    """Rows without a 群ID take the id of the stored group with that name (when one group has it), else the name."""
    known = run(con, "ingest_groups_by_name")
    assert known is not None
    return (rows.join(known, on="group_name", how="left", maintain_order="left")
            .with_columns(pl.coalesce("group_id", "known_id", "group_name").alias("group_id")).drop("known_id"))


def _members(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str) -> tuple[pl.DataFrame, int, int]:
    """(rows + member_id, linked, members created). A row without a strong identity that is the same
    membership an earlier export stored (group, join time, name) keeps that member; the rest go through
    identity resolution (siyu.ingest.identity)."""
    strong = pl.any_horizontal([pl.col(k).is_not_null() for k in STRONG])
    weak = rows.filter(~strong).select("row_no", "group_id", "joined_at", "nickname")
    known = pl.DataFrame(schema={"row_no": pl.Int64, "member_id": pl.Int64})
    if weak.height:
        stage(con, "stg_gm_weak", weak)
        found = run(con, "ingest_group_members_known")
        assert found is not None
        known = found.cast({"row_no": pl.Int64, "member_id": pl.Int64})
    rows = rows.join(known, on="row_no", how="left", maintain_order="left")
    todo = rows.filter(pl.col("member_id").is_null()).drop("member_id")
    created = 0
    linked = rows.height - todo.height
    if todo.height:
        recs = identity.resolve(con, _id_frame(todo), source=profile, weak_names=profile.startswith("wecom"))
        created = write_members(con, batch_id, recs, profile, weak_names=profile.startswith("wecom"))
        linked += int(recs["existed"].sum())
        rows = pl.concat([rows.filter(pl.col("member_id").is_not_null()),
                          recs.select(*rows.columns)], how="vertical_relaxed")
    return rows, linked, created


def load_group_members(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str,
                       snapshot: dt.date | None) -> Counts:
    """Memberships of a group-member export; `snapshot` is its snapshot day (None: not a snapshot, no
    leaves are inferred — the generic profile states left_at itself)."""
    rows = rows.filter(~pl.col("is_staff"))
    c = Counts(records=rows.height)
    if rows.height == 0:
        return c
    rows = _group_ids(con, rows)
    groups = (rows.group_by("group_id", maintain_order=True)
              .agg(pl.col("group_name").last(), pl.col("group_type").drop_nulls().last())
              .with_columns(*[pl.lit(None, dtype=t).alias(k) for k, t in
                              (("owner_id", pl.Utf8), ("owner_name", pl.Utf8), ("created_at", pl.Datetime("us")),
                               ("member_count", pl.Int64), ("notice", pl.Utf8))]))
    _write_groups(con, batch_id, groups)
    rows, c.linked, c.members_created = _members(con, batch_id, rows, profile)
    listed = pl.col("left_at").is_null() & pl.lit(snapshot is not None)
    memberships = (rows.sort("row_no").with_columns(
        pl.when(pl.col("left_at").is_not_null()).then(pl.lit("export")).alias("left_source"),
        pl.when(listed).then(pl.lit(snapshot, dtype=pl.Date)).alias("last_seen"))
        .select("row_no", *MEMBERSHIP_COLUMNS))
    last = memberships.unique(MEMBERSHIP_KEY, keep="last", maintain_order=True)
    stage(con, "stg_gm", last.drop("row_no"))
    existing = run(con, "ingest_group_members_existing")
    assert existing is not None
    new = last.join(existing, on=MEMBERSHIP_KEY, how="anti")
    changed = last.join(existing.filter(pl.col("changed")), on=MEMBERSHIP_KEY, how="semi")
    per_group = last.group_by("group_id").agg(pl.col("last_seen").is_not_null().sum().cast(pl.Int64).alias("listed"))
    stage(con, "stg_gm_groups", per_group)
    inferred = run(con, "ingest_group_members_write", {"batch_id": batch_id, "snapshot": snapshot})
    c.inserted = new.height
    c.updated = changed.height + (int(inferred["inferred"][0]) if inferred is not None else 0)
    c.duplicates = rows.height - new.height - changed.height
    return c


def load_group_daily(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame) -> Counts:
    """Daily group statistics: one row per day and owner; a later export of a day replaces its numbers."""
    c = Counts(records=rows.height)
    last = rows.unique(DAILY_KEY, keep="last", maintain_order=True).drop("row_no")
    stage(con, "stg_gdaily", last)
    existing = run(con, "ingest_group_daily_existing")
    assert existing is not None
    new = last.join(existing, on=DAILY_KEY, how="anti")
    upd = last.join(existing.filter(~pl.col("same")), on=DAILY_KEY, how="semi")
    stage(con, "stg_gdaily_new", new)
    stage(con, "stg_gdaily_upd", upd)
    run(con, "ingest_group_daily_write", {"batch_id": batch_id})
    c.inserted, c.updated = new.height, upd.height
    c.duplicates = rows.height - new.height - upd.height
    return c
