"""Writing points-ledger rows and paid-membership terms inside the import's transaction.

Ledger: a change is its entry_key (member, time, kind, delta, balance after, order id). A key already
stored, or repeated in the file, is a duplicate and not written, so re-importing the same or an
overlapping 积分明细 export changes nothing; the ledger is append-only (a change is never edited).
Paid memberships: key (member_id, started_at). The same values again are a duplicate; a changed expiry,
fee or plan replaces the stored term, its previous values kept for undo.
Members unknown so far are created (joined at their first ledger change or term), as order imports do.
"""

from __future__ import annotations

import duckdb
import polars as pl

from siyu.ingest import identity
from siyu.ingest.load import Counts, _id_frame, write_members
from siyu.ingest.sqlrun import run, stage

LEDGER_COLUMNS = ["entry_key", "member_id", "occurred_at", "delta", "kind", "balance_after", "order_id", "reason"]
PAID_KEY = ["member_id", "started_at"]


def _members(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, at: str, profile: str,
             c: Counts) -> pl.DataFrame:
    """rows + member_id: identities resolved once per distinct (phone, member id)."""
    who = ["phone", "ext_id"]
    name = "display_name" if "display_name" in rows.columns else None
    people = rows.group_by(who).agg(pl.col(at).min().alias("joined_at"),
                                    *([pl.col(name).drop_nulls().first()] if name else []),
                                    pl.col("phone_masked").drop_nulls().first())
    recs = identity.resolve(con, _id_frame(people), source=profile)
    c.members_created = write_members(con, batch_id, recs, profile, weak_names=False)
    ids = recs.select(*who, "member_id", "existed")
    out = rows.join(ids, on=who, how="left", nulls_equal=True, maintain_order="left")
    c.linked = int(out["existed"].sum())
    return out.drop("existed")


def load_points(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str) -> Counts:
    c = Counts(records=rows.height)
    rows = _members(con, batch_id, rows, "occurred_at", profile, c)
    keyed = rows.with_columns(pl.concat_str([
        pl.col("member_id").cast(pl.Utf8), pl.col("occurred_at").dt.strftime("%Y-%m-%dT%H:%M:%S%.6f"), pl.col("kind"),
        pl.col("delta").cast(pl.Utf8), pl.col("balance_after").cast(pl.Utf8).fill_null("-"),
        pl.col("order_id").fill_null("-")], separator="|").alias("entry_key"))
    first = keyed.unique("entry_key", keep="first", maintain_order=True)
    stage(con, "stg_points", first.select("entry_key"))
    existing = run(con, "ingest_points_existing")
    assert existing is not None
    new = first.join(existing, on="entry_key", how="anti")
    stage(con, "stg_points_new", new.select(LEDGER_COLUMNS))
    run(con, "ingest_points_write", {"batch_id": batch_id})
    c.inserted = new.height
    c.duplicates = rows.height - new.height
    return c


def load_paid(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str) -> Counts:
    c = Counts(records=rows.height)
    rows = _members(con, batch_id, rows, "started_at", profile, c)
    last = rows.unique(PAID_KEY, keep="last", maintain_order=True)
    stage(con, "stg_paid", last.select(*PAID_KEY, "expires_at", "fee_cents", "plan"))
    existing = run(con, "ingest_paid_existing")
    assert existing is not None
    new = last.join(existing, on=PAID_KEY, how="anti")
    upd = last.join(existing.filter(~pl.col("same")), on=PAID_KEY, how="semi")
    cols = [*PAID_KEY, "expires_at", "fee_cents", "plan"]
    stage(con, "stg_paid_new", new.select(cols))
    stage(con, "stg_paid_upd", upd.select(cols))
    run(con, "ingest_paid_write", {"batch_id": batch_id})
    c.inserted, c.updated = new.height, upd.height
    c.duplicates = rows.height - new.height - upd.height
    return c
