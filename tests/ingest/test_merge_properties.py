"""Property: an order's final state does not depend on the order exports were imported in.

A small order history is generated: orders appear in weekly exports and change between them (partial
refunds, full refunds, cancellations, corrected amounts, corrected pay times). Each export holds a random
subset of the orders that exist by then, in their state at that export, in a file named with its date.
The exports are imported through the real import path (generic CSV files into DuckDB on disk) in a
random order, one of them twice, each through either reader (siyu.ingest.staged's DuckDB path, which big
files take, or Polars', drawn per import, so the two paths also merge into each other's orders); every order, every member's join time and the main metrics (kpis over
several ranges, retention triangles) must equal a single import of the final state: each order as the
last export that held it shows it. Undoing the last import and importing it again changes nothing.
"""

from __future__ import annotations

import atexit
import datetime as dt
import shutil
import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siyu.config import Settings
from siyu.db.connection import ensure_schema
from siyu.ingest import import_file, staged, undo_batch
from siyu.metrics.kpis import kpis
from siyu.metrics.retention import cohort_retention

DAY0 = dt.datetime(2024, 3, 4)
_TEMPLATE_DIR = tempfile.mkdtemp(prefix="siyu-merge-")
atexit.register(shutil.rmtree, _TEMPLATE_DIR, True)
TEMPLATE = Path(_TEMPLATE_DIR) / "empty.duckdb"
EVENTS = ["none", "partial_refund", "full_refund", "cancel", "correct_amount", "correct_time"]

order_plan = st.tuples(
    st.integers(0, 3),                      # the export it first appears in
    st.integers(1, 4),                      # its buyer M1..M4
    st.integers(100, 99_999),               # amount in cents
    st.integers(0, 11),                     # hour of payment on its first day
    st.lists(st.tuples(st.sampled_from(EVENTS), st.integers(0, 11), st.integers(-5_000, 5_000)), min_size=4, max_size=4),
    st.lists(st.booleans(), min_size=4, max_size=4),   # in which exports it is listed
)


def _day(k: int) -> dt.datetime:
    return DAY0 + dt.timedelta(days=7 * k)


def _history(plans: list[tuple], exports: int) -> list[dict[str, tuple]]:
    """Per export: {order id: (member, status, amount, refund, paid_at)} of the orders it lists."""
    out: list[dict[str, tuple]] = [{} for _ in range(exports)]
    for n, (first, member, amount, hour, events, listed) in enumerate(plans):
        first = min(first, exports - 1)
        status, refund, paid_at = "paid", 0, _day(first) + dt.timedelta(hours=hour)
        for k in range(first, exports):
            event, new_hour, delta = events[k]
            if k > first:  # what happened to the order since the previous export
                if event == "partial_refund" and status in ("paid", "partially_refunded") and amount - refund > 1:
                    refund += max(1, (amount - refund) // 3)
                    status = "partially_refunded"
                elif event == "full_refund" and status in ("paid", "partially_refunded"):
                    refund, status = amount, "refunded"
                elif event == "cancel" and status == "paid":
                    status = "cancelled"
                elif event == "correct_amount" and status == "paid":
                    amount = max(1, amount + delta)
                elif event == "correct_time" and status == "paid":
                    paid_at = _day(first) + dt.timedelta(hours=new_hour)
            if listed[k] or (k == first and not any(listed[first:exports])):
                out[k][f"O{n}"] = (f"M{member}", status, amount, refund, paid_at)
    return out


def _csv(orders: dict[str, tuple]) -> bytes:
    lines = ["order_id,member_id,paid_at,amount,refund_amount,status"]
    for oid, (member, status, amount, refund, paid_at) in sorted(orders.items()):
        shown = "cancelled" if status == "cancelled" else "paid"  # refunds are told by the refund amount
        lines.append(f"{oid},{member},{paid_at:%Y-%m-%d %H:%M:%S},{amount / 100:.2f},"
                     f"{f'{refund / 100:.2f}' if refund else ''},{shown}")
    return ("\n".join(lines) + "\n").encode()


def _import(db: Path, tmp: Path, name: str, content: bytes, conf: Settings, via_duckdb: bool = False):
    path = tmp / name
    path.write_bytes(content)
    size_limit = staged.MIN_BYTES
    staged.MIN_BYTES = 0 if via_duckdb else 1 << 62  # which reader takes the file (size decides in use)
    try:
        report = import_file(db, path, settings=conf)
    finally:
        staged.MIN_BYTES = size_limit
    assert report.ok, (name, report.refused, report.errors[:3])
    return report


def _fresh(db: Path, template: Path) -> None:
    """A new empty database: a copy of one migrated once (migrating takes longer than the imports)."""
    if not template.exists():
        ensure_schema(template)
    shutil.copy(template, db)


def _state(db: Path) -> dict[str, object]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        repeated = con.execute("SELECT count(*) - count(DISTINCT order_id) FROM orders").fetchall()
        assert repeated == [(0,)], "an order id is stored twice"  # orders has no PRIMARY KEY (migration 012)
        orders = con.execute(
            "SELECT o.order_id, i.value, o.status, o.paid_at, o.created_at, o.paid_cents, o.refunded_cents, "
            "o.discount_cents, o.store FROM orders o JOIN member_identities i ON i.member_id = o.member_id "
            "AND i.kind = 'external_member_id' ORDER BY 1").fetchall()
        joined = con.execute("SELECT i.value, m.joined_at FROM members m JOIN member_identities i USING (member_id) "
                             "ORDER BY 1").fetchall()
        members = con.sql("SELECT member_id, joined_at FROM members").pl().lazy()
        valid = con.sql("SELECT member_id, paid_at, net_cents FROM valid_orders").pl().lazy()
        friends = con.sql("SELECT member_id, added_at, deleted_at FROM friends").pl().lazy()
        channels = con.sql("SELECT member_id, joined_at, channel FROM members").pl().lazy()
    finally:
        con.close()
    ranges = [(None, dt.datetime(2024, 6, 1)), (dt.datetime(2024, 3, 4), dt.datetime(2024, 3, 12)),
              (dt.datetime(2024, 3, 10), dt.datetime(2024, 3, 26))]
    metrics = {f"kpis {lo}..{hi}": kpis(members, valid, friends, lo=lo, hi=hi).rows() for lo, hi in ranges}
    for measure in ("members", "revenue"):
        for cohort in ("first_order", "joined"):
            metrics[f"retention {measure} {cohort}"] = cohort_retention(
                valid, channels, as_of=dt.date(2024, 4, 7), cohort=cohort, grain="week", measure=measure).rows()
    return {"orders": orders, "joined": joined, **metrics}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans=st.lists(order_plan, min_size=1, max_size=8), exports=st.integers(2, 4), data=st.data())
def test_any_import_order_gives_the_final_state(plans: list[tuple], exports: int, data: st.DataObject) -> None:
    history = _history(plans, exports)
    files = {f"orders_{_day(k):%Y%m%d}.csv": _csv(h) for k, h in enumerate(history) if h}
    final: dict[str, tuple] = {}
    for h in history:
        final.update(h)  # later exports overwrite: each order as the last export that lists it shows it
    order = data.draw(st.permutations(sorted(files)), label="import order")
    again = data.draw(st.sampled_from(order), label="imported twice")
    at = data.draw(st.integers(0, len(order)), label="second import at")
    sequence = [*order[:at], again, *order[at:]]
    via_duckdb = data.draw(st.lists(st.booleans(), min_size=len(sequence) + 1, max_size=len(sequence) + 1),
                           label="read by DuckDB (staged) or Polars, per import")
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        single, merged = tmp / "single.duckdb", tmp / "merged.duckdb"
        for db in (single, merged):
            _fresh(db, TEMPLATE)
        _import(single, tmp, "final.csv", _csv(final), Settings(db=single, lock_timeout=10.0))
        expected = _state(single)
        conf = Settings(db=merged, lock_timeout=10.0)
        reports = [_import(merged, tmp, name, files[name], conf, via)
                   for name, via in zip(sequence, via_duckdb, strict=False)]
        assert _state(merged) == expected
        # Undo works: the last import undone and imported again gives the same state.
        last = next((r, name) for r, name in zip(reports[::-1], sequence[::-1], strict=True) if r.batch_id)
        undo_batch(merged, last[0].batch_id, settings=conf)
        _import(merged, tmp, last[1], files[last[1]], conf, via_duckdb[-1])
        assert _state(merged) == expected


def test_the_generator_makes_every_kind_of_change() -> None:
    """Guards the property test itself: one hand-written plan whose exports show each change."""
    no_event = ("none", 0, 0)
    plans = [(0, 1, 10000, 1, [no_event, ("partial_refund", 0, 0), ("full_refund", 0, 0), no_event], [True] * 4),
             (0, 2, 20000, 2, [no_event, ("cancel", 0, 0), no_event, no_event], [True] * 4),
             (0, 3, 30000, 3, [no_event, ("correct_amount", 0, -500), ("correct_time", 9, 0), no_event], [True] * 4)]
    h = _history(plans, 4)
    assert [h[k]["O0"][1:4] for k in range(4)] == [("paid", 10000, 0), ("partially_refunded", 10000, 3333),
                                                   ("refunded", 10000, 10000), ("refunded", 10000, 10000)]
    assert [h[k]["O1"][1] for k in range(4)] == ["paid", "cancelled", "cancelled", "cancelled"]
    assert [h[k]["O2"][2:] for k in (0, 1, 2)] == [(30000, 0, dt.datetime(2024, 3, 4, 3)),
                                                   (29500, 0, dt.datetime(2024, 3, 4, 3)),
                                                   (29500, 0, dt.datetime(2024, 3, 4, 9))]
    assert _csv({"O9": ("M1", "partially_refunded", 12345, 100, dt.datetime(2024, 3, 4, 5))}).decode().splitlines()[1] == \
        "O9,M1,2024-03-04 05:00:00,123.45,1.00,paid"
