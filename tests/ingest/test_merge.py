"""Merging exports that repeat orders: the result does not depend on the order the files came in
(docs/import.md "Merging exports"). A small literal version of the case from issue #15: file A holds paid
orders; file B, a later export, repeats some with a partial refund, a cancellation, a corrected amount
and a corrected pay time, and adds new orders."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

from siyu.config import Settings
from siyu.db.connection import ensure_schema
from siyu.ingest import import_file, undo_batch
from siyu.ingest.merge import export_snapshot, merge_orders

HEAD = ["order_id", "member_id", "paid_at", "amount", "refund_amount", "status"]
A = [HEAD,
     ["O1", "M1", "2024-03-01 10:00:00", "100.00", "", "paid"],
     ["O2", "M2", "2024-03-02 10:00:00", "200.00", "", "paid"],
     ["O3", "M1", "2024-03-03 10:00:00", "300.00", "", "paid"],
     ["O4", "M3", "2024-03-04 10:00:00", "400.00", "", "paid"],
     ["O5", "M2", "2024-03-05 10:00:00", "500.00", "", "paid"],
     ["O6", "M4", "2024-03-06 10:00:00", "600.00", "", "paid"]]
B = [HEAD,
     ["O3", "M1", "2024-03-03 10:00:00", "300.00", "50.00", "paid"],        # partial refund
     ["O4", "M3", "2024-03-04 10:00:00", "400.00", "", "cancelled"],        # cancelled
     ["O5", "M2", "2024-03-05 10:00:00", "550.00", "", "paid"],             # corrected amount
     ["O6", "M4", "2024-03-07 09:30:00", "600.00", "", "paid"],             # corrected pay time
     ["O7", "M5", "2024-03-08 10:00:00", "700.00", "", "paid"],             # new
     ["O8", "M1", "2024-03-09 10:00:00", "800.00", "", "paid"]]             # new

# What the orders are after both files, whatever the order: (order, status, paid_at, paid, refunded).
FINAL = [("O1", "paid", dt.datetime(2024, 3, 1, 10), 10000, 0),
         ("O2", "paid", dt.datetime(2024, 3, 2, 10), 20000, 0),
         ("O3", "partially_refunded", dt.datetime(2024, 3, 3, 10), 30000, 5000),
         ("O4", "cancelled", dt.datetime(2024, 3, 4, 10), 40000, 0),
         ("O5", "paid", dt.datetime(2024, 3, 5, 10), 55000, 0),
         ("O6", "paid", dt.datetime(2024, 3, 7, 9, 30), 60000, 0),
         ("O7", "paid", dt.datetime(2024, 3, 8, 10), 70000, 0),
         ("O8", "paid", dt.datetime(2024, 3, 9, 10), 80000, 0)]
# GMV of the valid orders: 100 + 200 + (300 - 50) + 550 + 600 + 700 + 800 = 3,200.00 over 7 orders (O4 cancelled).
GMV, VALID = 320000, 7
ORDERS = "SELECT order_id, status, paid_at, paid_cents, refunded_cents FROM orders ORDER BY 1"
TOTALS = "SELECT sum(net_cents), count(*) FROM valid_orders"


def test_a_then_b(imp, csvb, sql) -> None:
    a = imp(csvb(A), name="a.csv")
    b = imp(csvb(B), name="b.csv")
    assert (a.inserted, b.inserted, b.updated, b.duplicates, b.stale) == (6, 2, 4, 0, 0)
    assert a.snapshot_at == dt.datetime(2024, 3, 6, 10) and b.snapshot_at == dt.datetime(2024, 3, 9, 10)
    assert sql(ORDERS) == FINAL and sql(TOTALS) == [(GMV, VALID)]
    # Re-importing the older file changes nothing and says so: its 4 rows are older states, not updates.
    again = imp(csvb(A + [["O9", "M6", "2024-03-01 11:00:00", "1.00", "", "paid"]]), name="a2.csv")
    assert (again.inserted, again.updated, again.duplicates, again.stale) == (1, 0, 6, 4)
    assert sql(ORDERS)[:8] == FINAL


def test_b_then_a(imp, csvb, sql) -> None:
    b = imp(csvb(B), name="b.csv")
    a = imp(csvb(A), name="a.csv")
    # A is older: its paid O3..O6 are older states (stale duplicates); O1 and O2 are new.
    assert (b.inserted, a.inserted, a.updated, a.duplicates, a.stale) == (6, 2, 0, 4, 4)
    assert sql(ORDERS) == FINAL and sql(TOTALS) == [(GMV, VALID)]


JOINED = ("SELECT i.value, m.joined_at FROM members m JOIN member_identities i USING (member_id) "
          "WHERE i.kind = 'external_member_id' ORDER BY 1")


def test_member_join_time_follows_a_corrected_pay_time_in_either_order(imp, csvb, sql, db, tmp_path) -> None:
    """M4's only order was paid on 03-06 in A and corrected to 03-07 09:30 in B: M4 joined with that order."""
    imp(csvb(A), name="a.csv")
    imp(csvb(B), name="b.csv")
    forward = sql(JOINED)
    assert forward == [("M1", dt.datetime(2024, 3, 1, 10)), ("M2", dt.datetime(2024, 3, 2, 10)),
                       ("M3", dt.datetime(2024, 3, 4, 10)), ("M4", dt.datetime(2024, 3, 7, 9, 30)),
                       ("M5", dt.datetime(2024, 3, 8, 10))]
    other = tmp_path / "other.duckdb"
    ensure_schema(other)
    conf = Settings(db=other, lock_timeout=10.0)
    for name, rows in (("b.csv", B), ("a.csv", A)):
        (tmp_path / name).write_bytes(csvb(rows))
        assert import_file(other, tmp_path / name, settings=conf).ok
    with duckdb.connect(str(other), read_only=True) as con:
        assert con.execute(JOINED).fetchall() == forward


def test_undo_of_the_newer_export_restores_the_older_state(imp, csvb, sql, db, settings) -> None:
    imp(csvb(A), name="a.csv")
    after_a = (sql(ORDERS), sql("SELECT order_id, snapshot_at, created_at FROM orders ORDER BY 1"),
               sql("SELECT member_id, joined_at FROM members ORDER BY 1"))
    b = imp(csvb(B), name="b.csv")
    undo_batch(db, b.batch_id, settings=settings)
    assert (sql(ORDERS), sql("SELECT order_id, snapshot_at, created_at FROM orders ORDER BY 1"),
            sql("SELECT member_id, joined_at FROM members ORDER BY 1")) == after_a
    assert sql(TOTALS) == [(210000, 6)]


def test_a_dated_file_name_or_snapshot_date_orders_exports_without_new_orders(imp, csvb, sql) -> None:
    """Two exports of the same orders (no new order proves which is later): the date in the file name
    decides, and --snapshot-date overrides it."""
    later = [HEAD, ["O1", "M1", "2024-03-01 10:00:00", "100.00", "30.00", "paid"]]
    earlier = [HEAD, ["O1", "M1", "2024-03-01 10:00:00", "90.00", "", "paid"]]
    imp(csvb(later), name="orders_20240320.csv")
    r = imp(csvb(earlier), name="orders_20240310.csv")
    assert (r.updated, r.stale, r.snapshot_at) == (0, 1, dt.datetime(2024, 3, 10))
    assert sql(ORDERS) == [("O1", "partially_refunded", dt.datetime(2024, 3, 1, 10), 10000, 3000)]
    # Told it was taken later still, the 90.00 amount wins; the refund never shrinks.
    r = imp(csvb(earlier), name="orders_20240310.csv", snapshot_date=dt.date(2024, 3, 25))
    assert (r.updated, r.snapshot_at) == (1, dt.datetime(2024, 3, 25))
    assert sql(ORDERS) == [("O1", "partially_refunded", dt.datetime(2024, 3, 1, 10), 9000, 3000)]


def _frame(rows: list[tuple]) -> pl.DataFrame:
    cols = ["order_id", "status", "refunded_cents", "paid_cents", "paid_at", "created_at", "discount_cents", "store",
            "sales_channel", "distributor", "coupon_code", "snapshot_at"]
    return pl.DataFrame(rows, schema=cols, orient="row")


def test_merge_rules_on_literal_rows() -> None:
    t = dt.datetime
    stored = _frame([
        ("a", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, "S1", None, None, None, t(2024, 3, 5)),
        ("b", "refunded", 1000, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, None, None, None, None, t(2024, 3, 5)),
        ("c", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, "S1", None, None, None, t(2024, 3, 5)),
        ("d", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, None, None, None, None, t(2024, 3, 5)),
        ("e", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, None, None, None, None, None)])
    incoming = _frame([
        ("a", "paid", 0, 1200, t(2024, 3, 1), t(2024, 3, 1), 0, "S2", None, None, None, t(2024, 3, 9)),     # newer
        ("b", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, None, None, None, None, t(2024, 3, 9)),     # terminal
        ("c", "paid", 0, 1200, t(2024, 3, 1), t(2024, 3, 1), 0, "S2", None, None, None, t(2024, 3, 5)),     # tie
        ("d", "unpaid", 0, 0, None, t(2024, 3, 1), 0, None, None, None, None, t(2024, 3, 9)),               # unpaid
        ("e", "paid", 0, 1000, t(2024, 3, 1), t(2024, 3, 1), 0, None, None, None, None, t(2024, 3, 2))])    # same
    out = merge_orders(incoming, stored).sort("order_id")
    assert out.select("order_id", "status", "refunded_cents", "paid_cents", "store", "changed", "newer", "stale").rows() == [
        ("a", "paid", 0, 1200, "S2", True, False, False),
        ("b", "refunded", 1000, 1000, None, False, True, True),     # the refund stays; the newer snapshot is kept
        ("c", "paid", 0, 1200, "S2", True, False, False),           # equal snapshots: the larger amount wins
        ("d", "paid", 0, 1000, None, False, False, True),           # an unpaid row never undoes a payment
        ("e", "paid", 0, 1000, None, False, True, False)]           # same values, a snapshot where there was none
    # The tie is decided the same way from the other side: the stored 1200 stays.
    back = merge_orders(stored.filter(pl.col("order_id") == "c"), incoming.filter(pl.col("order_id") == "c"))
    assert back.select("paid_cents", "store", "changed", "stale").rows() == [(1200, "S2", False, True)]
    assert merge_orders(incoming, stored).drop("changed", "newer", "stale").sort("order_id").equals(
        merge_orders(stored, incoming).drop("changed", "newer", "stale").sort("order_id"))


def test_export_snapshot_is_the_later_of_the_file_date_and_its_newest_time() -> None:
    t = dt.datetime
    orders = pl.DataFrame({"paid_at": [t(2024, 3, 1, 9), None], "created_at": [t(2024, 3, 1, 8), t(2024, 3, 2, 7)]})
    assert export_snapshot(orders, None) == t(2024, 3, 2, 7)
    assert export_snapshot(orders, dt.date(2024, 3, 2)) == t(2024, 3, 2, 7)
    assert export_snapshot(orders, dt.date(2024, 3, 5)) == t(2024, 3, 5)
    assert export_snapshot(orders.clear(), None) is None


def test_a_corrected_store_follows_the_later_export_and_undo_restores_it(imp, csvb, sql, db, settings) -> None:
    head = ["order_id", "member_id", "paid_at", "amount", "refund_amount", "status", "store"]
    old = [head, ["O1", "M1", "2024-03-01 10:00:00", "100.00", "", "paid", "门店A"],
           ["O2", "M1", "2024-03-02 10:00:00", "50.00", "", "paid", ""]]
    new = [head, ["O1", "M1", "2024-03-01 10:00:00", "100.00", "", "paid", "门店B"],
           ["O2", "M1", "2024-03-02 10:00:00", "50.00", "", "paid", "门店C"]]
    stores = "SELECT order_id, store FROM orders ORDER BY 1"
    imp(csvb(new), name="orders_20240310.csv")
    r = imp(csvb(old), name="orders_20240303.csv")
    assert (r.updated, r.stale) == (0, 2) and sql(stores) == [("O1", "门店B"), ("O2", "门店C")]
    undo_batch(db, r.batch_id, settings=settings)
    undo_batch(db, 1, settings=settings)
    first = imp(csvb(old), name="orders_20240303.csv")
    assert sql(stores) == [("O1", "门店A"), ("O2", None)]
    later = imp(csvb(new), name="orders_20240310.csv")
    assert (later.updated, sql(stores)) == (2, [("O1", "门店B"), ("O2", "门店C")])
    undo_batch(db, later.batch_id, settings=settings)
    assert sql(stores) == [("O1", "门店A"), ("O2", None)] and first.ok
