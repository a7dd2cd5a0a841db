"""Writing the orders siyu.ingest.staged converted, in SQL, inside the same transaction (#15).

The same rules as load.load_orders on a Polars frame — identical repeats folded (the last row wins),
rows with errors left out under --on-error skip, orders already stored merged by siyu.ingest.merge,
one member per buyer identity resolved by siyu.ingest.identity — but the orders themselves stay in
DuckDB: only the stored orders a file repeats and one row per distinct buyer (10M orders are ~1M
buyers) become Polars frames. tests/ingest/test_staged.py imports every file of a messy corpus both
ways and compares every table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import duckdb
import polars as pl

from siyu.ingest import identity
from siyu.ingest.canonical import ORDER_SCHEMA
from siyu.ingest.load import ORDER_COLUMNS, Counts, _id_frame, write_members
from siyu.ingest.merge import MERGED, merge_orders
from siyu.ingest.sqlrun import run, stage
from siyu.ingest.staged import Converted

_KEYS = ("ext_id", "phone", "email")
_ITEMS_SCHEMA = {"order_id": pl.Utf8, "line_no": pl.Int32, "product": pl.Utf8, "sku": pl.Utf8, "quantity": pl.Int64,
                 "price_cents": pl.Int64}


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchall()[0]
    return int(row[0] or 0) if row else 0


def fold(con: duckdb.DuckDBPyConnection, conv: Converted, bad_rows: pl.Series) -> tuple[int, int]:
    """Temp view/table `stg_orders`: one row per order id, rows with errors left out; returns (orders,
    repeated rows folded). Repeats left are identical (different ones are errors: staged._conflicts)."""
    good = "SELECT * FROM stg_canon"
    if bad_rows.len():
        stage(con, "stg_bad_rows", pl.DataFrame({"row_no": bad_rows.unique()}))
        good += " WHERE row_no NOT IN (SELECT row_no FROM stg_bad_rows)"
    if conv.repeated_ids:
        con.execute(f"CREATE TEMP TABLE stg_orders AS SELECT * FROM ({good}) "
                    "QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY row_no DESC) = 1")
        kept = _count(con, "SELECT count(*) FROM stg_orders")
        return kept, _count(con, f"SELECT count(*) FROM ({good})") - kept
    con.execute(f"CREATE TEMP VIEW stg_orders AS {good}")
    return _count(con, "SELECT count(*) FROM stg_orders"), 0


def newest_time(con: duckdb.DuckDBPyConnection) -> dt.datetime | None:
    """The newest payment or creation time among the orders (merge.export_snapshot's evidence)."""
    row = con.execute("SELECT greatest(max(paid_at), max(created_at)) FROM stg_orders").fetchall()[0]
    return row[0] if row else None


def load_staged_orders(con: duckdb.DuckDBPyConnection, batch_id: int, profile: str, snapshot_at: dt.datetime | None,
                       phone_keys: Callable[[pl.DataFrame], pl.DataFrame] | None = None) -> Counts:
    """Merge the orders already stored, insert the new ones with their buyers' members (load.load_orders'
    rules). `phone_keys` replaces phones by their join keys (SIYU_PEPPER) before identities are resolved."""
    c = Counts(records=_count(con, "SELECT count(*) FROM stg_orders"))
    merged_cols = ", ".join(f"o.{col}" for col in MERGED if col != "snapshot_at")
    con.execute(f"CREATE TEMP TABLE stg_existing AS SELECT o.order_id, {merged_cols}, o.snapshot_at FROM orders o "
                "WHERE o.order_id IN (SELECT order_id FROM stg_orders)")
    if _count(con, "SELECT count(*) FROM stg_existing"):
        _merge_existing(con, c, batch_id, snapshot_at)
    con.execute("CREATE TEMP VIEW stg_orders_fresh AS SELECT o.*, coalesce(o.paid_at, o.created_at) AS joined_at "
                "FROM stg_orders o WHERE o.order_id NOT IN (SELECT order_id FROM stg_existing)")
    # The snapshot time is bound into a one-row table: a view cannot hold a bound parameter.
    con.execute("CREATE TEMP TABLE stg_snapshot AS SELECT $snap::TIMESTAMP AS snapshot_at", {"snap": snapshot_at})
    con.execute(f"CREATE TEMP VIEW stg_orders_new AS SELECT f.*, {_bkey(con)} AS bkey, s.snapshot_at "
                "FROM stg_orders_fresh f CROSS JOIN stg_snapshot s")
    people = _people(con)
    if phone_keys is not None:
        people = phone_keys(people)
    recs = identity.resolve(con, _id_frame(people.drop("bkey")), source=profile)
    c.members_created = write_members(con, batch_id, recs, profile, weak_names=False)
    stage(con, "stg_buyers", people.select("bkey", recs["member_id"], recs["existed"]))
    c.linked = _count(con, "SELECT count(*) FROM stg_orders_new o JOIN stg_buyers b ON b.bkey = o.bkey WHERE b.existed")
    stage(con, "stg_items", pl.DataFrame(schema=_ITEMS_SCHEMA))
    run(con, "ingest_orders_write", {"batch_id": batch_id})
    c.inserted = _count(con, "SELECT count(*) FROM stg_orders_fresh")
    for view in ("stg_orders_new", "stg_orders_fresh"):
        con.execute(f"DROP VIEW {view}")
    con.execute("DROP TABLE stg_snapshot")
    return c


def _bkey(con: duckdb.DuckDBPyConnection) -> str:
    """load._buyers' buyer key in SQL: the identity columns present among the new orders joined by \\x1f,
    or \\x1e + the order id when a row has none of them (it is then its own buyer)."""
    counts = con.execute(f"SELECT {', '.join(f'count({k})' for k in _KEYS)} FROM stg_orders_fresh").fetchall()[0]
    present = [k for k, n in zip(_KEYS, counts or (0, 0, 0), strict=True) if n]
    key = (" || chr(31) || ".join(f"coalesce({k}, '')" for k in present) if len(present) > 1
           else present[0] if present else "NULL::VARCHAR")
    return (f"CASE WHEN {' OR '.join(f'{k} IS NOT NULL' for k in _KEYS)} THEN {key} "
            "ELSE chr(30) || order_id END")


def _people(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """One row per buyer key, in the order buyers first appear in the file: its identities, earliest order
    time, first name and masked phone given."""
    people: pl.DataFrame = con.sql(
        "SELECT bkey, any_value(ext_id) AS ext_id, any_value(phone) AS phone, any_value(email) AS email, "
        "min(joined_at) AS joined_at, "
        "arg_min(display_name, row_no) FILTER (WHERE display_name IS NOT NULL) AS display_name, "
        "arg_min(phone_masked, row_no) FILTER (WHERE phone_masked IS NOT NULL) AS phone_masked "
        "FROM stg_orders_new GROUP BY bkey ORDER BY min(row_no)").pl()
    return people


def _merge_existing(con: duckdb.DuckDBPyConnection, c: Counts, batch_id: int, snapshot_at: dt.datetime | None) -> None:
    """merge.merge_orders on the orders this file repeats (a Polars frame of those only)."""
    cols = ", ".join(f"o.{col}" for col in MERGED if col != "snapshot_at")
    incoming = con.sql(f"SELECT o.order_id, {cols}, $snap::TIMESTAMP AS snapshot_at FROM stg_orders o "
                       "WHERE o.order_id IN (SELECT order_id FROM stg_existing)", params={"snap": snapshot_at}).pl()
    existing = con.sql("SELECT * FROM stg_existing").pl()
    merged = merge_orders(incoming.cast({k: ORDER_SCHEMA[k] for k in MERGED if k in ORDER_SCHEMA}), existing)
    c.updated = int(merged["changed"].sum())
    c.duplicates = existing.height - c.updated
    c.stale = int(merged["stale"].sum())
    upd = merged.filter(pl.col("changed") | pl.col("newer")).drop("changed", "newer", "stale")
    if upd.height:
        stage(con, "stg_orders_upd", upd.select("order_id", *MERGED))
        run(con, "ingest_orders_update", {"batch_id": batch_id})


assert set(ORDER_COLUMNS) <= {*ORDER_SCHEMA, "member_id", "snapshot_at"}
