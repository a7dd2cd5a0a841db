"""Writing canonical records inside the caller's transaction: staging tables, anti-joins, upserts.

Each loader returns Counts in records (an order, a member-export row, a friendship row, a referral):
inserted (new), updated (seen before with a changed refund/status/deletion/tier...), duplicates
(seen before with the same values, or repeated inside the file), linked (records attached to members
that existed before this import) and members_created.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import polars as pl

from siyu.ingest import identity
from siyu.ingest.canonical import TAG_GROUP_SEP
from siyu.ingest.merge import MERGED, merge_orders
from siyu.ingest.sqlrun import run, stage


@dataclass
class Counts:
    records: int = 0
    inserted: int = 0
    updated: int = 0
    duplicates: int = 0
    linked: int = 0
    members_created: int = 0
    stale: int = 0  # of the duplicates: older states of stored orders, kept as stored


def _id_frame(recs: pl.DataFrame) -> pl.DataFrame:
    return recs.with_columns([pl.lit(None, dtype=pl.Utf8).alias(c) for c in
                              ("ext_id", "wecom_ext_id", "phone", "phone2", "email", "phone_masked", "wecom_name", "staff_id",
                               "display_name", "channel") if c not in recs.columns]
                             + [pl.lit(None, dtype=pl.Datetime("us")).alias(c) for c in ("added_at", "joined_at")
                                if c not in recs.columns])


def write_members(con: duckdb.DuckDBPyConnection, batch_id: int, recs: pl.DataFrame, source: str,
                  weak_names: bool) -> int:
    """Insert the members `identity.resolve` created, complete existing ones, record identities."""
    new = identity.new_member_rows(recs, source)
    stage(con, "stg_members_new", new)
    stage(con, "stg_member_touch", identity.touched_member_rows(recs))
    stage(con, "stg_identities", identity.identities_of(recs, weak_names=weak_names))
    run(con, "ingest_members_write", {"batch_id": batch_id})
    return new.height


ORDER_COLUMNS = ["order_id", "member_id", "created_at", "paid_at", "paid_cents", "refunded_cents", "discount_cents",
                 "status", "currency", "store", "sales_channel", "distributor", "coupon_code", "snapshot_at"]
_ORDER_KEYS = ["ext_id", "phone", "email"]


def _first(frame: pl.DataFrame, column: str) -> pl.Expr:
    """First non-null value per group; a constant null when the column is empty (saves a pass on big files)."""
    if frame[column].null_count() == frame.height:
        return pl.lit(None, dtype=frame.schema[column]).alias(column)
    return pl.col(column).drop_nulls().first()


def _buyers(new: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(people, orders with a buyer key `bkey`): identities are resolved once per distinct buyer, not per
    order (10M orders are ~1M buyers). Orders with no strong identity (masked phone, none) are each their own."""
    present = [k for k in _ORDER_KEYS if new[k].null_count() < new.height]
    # One string key per buyer identity tuple; "\x1f" cannot occur in a normalised id, phone or email.
    key = (pl.concat_str([pl.col(k).fill_null("") for k in present], separator="\x1f") if len(present) > 1
           else pl.col(present[0]) if present else pl.lit(None, dtype=pl.Utf8))
    new = new.with_columns(pl.coalesce("paid_at", "created_at").alias("joined_at"),
                           pl.when(pl.any_horizontal([pl.col(k).is_not_null() for k in _ORDER_KEYS]))
                           .then(key).otherwise(pl.lit("\x1e") + pl.col("order_id")).alias("bkey"))
    people = new.group_by("bkey").agg(
        *[pl.col(k).first() if k in present else pl.lit(None, dtype=pl.Utf8).alias(k) for k in _ORDER_KEYS],
        pl.col("joined_at").min(), _first(new, "display_name"), _first(new, "phone_masked"))
    return people, new


def load_orders(con: duckdb.DuckDBPyConnection, batch_id: int, orders: pl.DataFrame, items: pl.DataFrame,
                source: str) -> Counts:
    """New orders are inserted; orders already stored are merged with their row (siyu.ingest.merge: the
    later snapshot wins, refunds never shrink, cancellation and refund are terminal)."""
    c = Counts(records=orders.height)
    if "snapshot_at" not in orders.columns:
        orders = orders.with_columns(pl.lit(None, dtype=pl.Datetime("us")).alias("snapshot_at"))
    stage(con, "stg_orders_in", orders.select("order_id"))
    existing = run(con, "ingest_orders_existing")
    assert existing is not None
    new = orders.join(existing, on="order_id", how="anti") if existing.height else orders
    if existing.height:
        merged = merge_orders(orders, existing)
        c.updated = int(merged["changed"].sum())
        c.duplicates = existing.height - c.updated
        c.stale = int(merged["stale"].sum())
        upd = merged.filter(pl.col("changed") | pl.col("newer")).drop("changed", "newer", "stale")
    else:
        upd = orders.head(0)
    people, new = _buyers(new)
    recs = identity.resolve(con, _id_frame(people.drop("bkey")), source=source)
    c.members_created = write_members(con, batch_id, recs, source, weak_names=False)
    buyers = people.select("bkey", recs["member_id"], recs["existed"])
    c.linked = int(new.select(pl.col("bkey").is_in(buyers.filter("existed")["bkey"].implode()).sum()).item())
    # The order -> member join runs inside DuckDB (parallel, no copy of the 10M-row frame in Python).
    stage(con, "stg_orders_new", new.select([c for c in ORDER_COLUMNS if c != "member_id"] + ["bkey"]))
    stage(con, "stg_buyers", buyers.select("bkey", "member_id"))
    stage(con, "stg_items", items.join(new.select("order_id"), on="order_id", how="semi") if items.height else items)
    run(con, "ingest_orders_write", {"batch_id": batch_id})
    if upd.height:
        stage(con, "stg_orders_upd", upd.select("order_id", *MERGED))
        run(con, "ingest_orders_update", {"batch_id": batch_id})
    c.inserted = new.height
    return c


def _write_staff_tags(con: duckdb.DuckDBPyConnection, batch_id: int, recs: pl.DataFrame) -> None:
    staff = recs.filter(pl.col("staff_id").is_not_null()).select("staff_id", "staff_name", "department")
    tags = (recs.select("member_id", "tags").explode("tags").filter(pl.col("tags").is_not_null())
            .with_columns(pl.col("tags").str.split_exact(TAG_GROUP_SEP, 1).alias("parts"))
            .select("member_id",
                    pl.when(pl.col("parts").struct[1].is_null()).then(pl.lit("")).otherwise(pl.col("parts").struct[0])
                    .alias("tag_group"),
                    pl.coalesce(pl.col("parts").struct[1], pl.col("parts").struct[0]).alias("tag")))
    stage(con, "stg_staff", staff)
    stage(con, "stg_tags", tags.unique())
    run(con, "ingest_staff_tags_write", {"batch_id": batch_id})


def _load_friends(con: duckdb.DuckDBPyConnection, batch_id: int, recs: pl.DataFrame) -> pl.DataFrame:
    """Writes friendships; returns row_no -> outcome (inserted/updated/duplicate) for rows with one."""
    rows = recs.filter(pl.col("staff_id").is_not_null() & pl.col("added_at").is_not_null()).select(
        "row_no", "member_id", "staff_id", "added_at", "deleted_at", "deleted_by", "add_way", "add_way_code",
        "friend_channel")
    key = ["member_id", "staff_id", "added_at"]
    last = rows.unique(key, keep="last", maintain_order=True)
    stage(con, "stg_friends", last)
    existing = run(con, "ingest_friends_existing")
    assert existing is not None
    new = last.join(existing, on=key, how="anti")
    upd = last.join(existing.filter(~pl.col("same")), on=key, how="semi")
    stage(con, "stg_friends_new", new)
    stage(con, "stg_friends_upd", upd)
    run(con, "ingest_friends_write", {"batch_id": batch_id})
    return _outcomes(rows["row_no"], new["row_no"], upd["row_no"])


def _outcomes(all_rows: pl.Series, inserted: pl.Series, updated: pl.Series) -> pl.DataFrame:
    return pl.DataFrame({"row_no": all_rows}).with_columns(
        pl.when(pl.col("row_no").is_in(inserted.implode())).then(pl.lit("inserted"))
        .when(pl.col("row_no").is_in(updated.implode())).then(pl.lit("updated"))
        .otherwise(pl.lit("duplicate")).alias("outcome"))


def _tally(c: Counts, outcomes: pl.DataFrame) -> None:
    counts = dict(outcomes.group_by("outcome").len().iter_rows())
    c.inserted, c.updated, c.duplicates = counts.get("inserted", 0), counts.get("updated", 0), counts.get("duplicate", 0)


def _load_snapshots(con: duckdb.DuckDBPyConnection, batch_id: int, recs: pl.DataFrame,
                    snapshot_date: dt.date) -> pl.DataFrame:
    rows = recs.select("row_no", "member_id", pl.lit(snapshot_date).alias("snapshot_date"), "tier", "points",
                       "growth_value")
    last = rows.unique("member_id", keep="last", maintain_order=True)
    stage(con, "stg_snap", last)
    existing = run(con, "ingest_snapshots_existing")
    assert existing is not None
    new = last.join(existing, on="member_id", how="anti")
    upd = last.join(existing.filter(~pl.col("same")), on="member_id", how="semi")
    stage(con, "stg_snap_new", new)
    stage(con, "stg_snap_upd", upd)
    run(con, "ingest_snapshots_write", {"batch_id": batch_id})
    return _outcomes(rows["row_no"], new["row_no"], upd["row_no"])


def _known_staff_ids(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> pl.DataFrame:
    """Rows that name a staff member without an account (staff_id = the name) take the account id an
    earlier export recorded for that name, so a lost-customer export finds the customer export's friendships."""
    known = run(con, "ingest_staff_by_name")
    if known is None or known.height == 0:
        return rows
    return rows.join(known, on="staff_name", how="left").with_columns(
        pl.when(pl.col("staff_id") == pl.col("staff_name")).then(pl.coalesce("known_id", "staff_id"))
        .otherwise(pl.col("staff_id")).alias("staff_id")).drop("known_id")


def load_members(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str,
                 snapshot_date: dt.date) -> Counts:
    """Member exports: one member per person; a dated snapshot per row (有赞/generic) or a friendship per
    row (WeCom). A generic member with `staff` also gets a friendship from joined_at (to deleted_at)."""
    c = Counts(records=rows.height)
    wecom = profile.startswith("wecom")
    if wecom:
        rows = _known_staff_ids(con, rows)
    recs = identity.resolve(con, rows, source=profile, weak_names=wecom, recognise_masked=profile == "youzan_customers")
    c.linked = int(recs["existed"].sum())
    c.members_created = write_members(con, batch_id, recs, profile, weak_names=wecom)
    _write_staff_tags(con, batch_id, recs)
    if profile == "wecom_customers" or profile == "wecom_lost":
        _tally(c, _load_friends(con, batch_id, recs))
    else:
        _load_friends(con, batch_id, recs)
        _tally(c, _load_snapshots(con, batch_id, recs, snapshot_date))
    return c


def load_referrals(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame, profile: str) -> Counts:
    """Referral edges; members unknown so far are created (joined at the referral time). The first
    (earliest) referrer of a member wins; a later one is counted as a duplicate and not stored."""
    c = Counts(records=rows.height)
    people = pl.concat([
        rows.select(pl.col("referrer_ext").alias("ext_id"), pl.col("referred_at").alias("joined_at")),
        rows.select(pl.col("referee_ext").alias("ext_id"), pl.col("referred_at").alias("joined_at")),
    ])
    recs = identity.resolve(con, _id_frame(people), source=profile)
    c.members_created = write_members(con, batch_id, recs, profile, weak_names=False)
    ids = recs.select("ext_id", "member_id", "existed").unique("ext_id")
    edges = (rows.join(ids.rename({"ext_id": "referrer_ext", "member_id": "referrer_id", "existed": "e1"}), on="referrer_ext")
             .join(ids.rename({"ext_id": "referee_ext", "member_id": "referee_id", "existed": "e2"}), on="referee_ext"))
    c.linked = int((edges["e1"] | edges["e2"]).sum())
    first = edges.sort("referred_at", "row_no").unique("referee_id", keep="first", maintain_order=True)
    stage(con, "stg_referrals", first)
    existing = run(con, "ingest_referrals_existing")
    assert existing is not None
    first = first.join(existing, on="referee_id", how="left")
    new = first.filter(pl.col("old_referrer").is_null())
    upd = first.filter(pl.col("old_referrer").is_not_null() & (pl.col("referred_at") < pl.col("old_referred_at")))
    cols = ["referee_id", "referrer_id", "referred_at", "campaign"]
    stage(con, "stg_referrals_new", new.select(cols))
    stage(con, "stg_referrals_upd", upd.select(cols))
    run(con, "ingest_referrals_write", {"batch_id": batch_id})
    _tally(c, _outcomes(rows["row_no"], new["row_no"], upd["row_no"]))
    return c
