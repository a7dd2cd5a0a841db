"""Properties over generated generic order files: a second import adds nothing, undo restores the state."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siyu.config import Settings
from siyu.db.connection import ensure_schema
from siyu.ingest import import_file, undo_batch

row = st.tuples(st.integers(1, 30), st.integers(1, 8), st.integers(0, 99_999), st.integers(0, 2),
                st.sampled_from(["paid", "refunded", "cancelled", ""]), st.sampled_from(["2024/3/5 14:05", "2024-03-05 14:05:00", "2024年3月5日"]))

TABLES = ["orders", "members", "member_identities", "order_items"]


def _csv(rows: list[tuple]) -> bytes:
    lines = ["order_id,member_id,paid_at,amount,refund_amount,status"]
    for oid, mid, cents, refund_kind, status, when in rows:
        refund = ["", f"{cents / 200:.2f}", f"{cents / 100:.2f}"][refund_kind]
        lines.append(f"O{oid},M{mid},{when},\"¥{cents // 100:,}.{cents % 100:02d}\",{refund},{status}")
    return ("\n".join(lines) + "\n").encode("gb18030")


def _state(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return [con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES]
    finally:
        con.close()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# One row per order id within a file: since #15 an id repeated with different values in one file is a row
# error (tests/reliability/test_bad_input.py), not "the last row wins".
@given(first=st.lists(row, min_size=1, max_size=25, unique_by=lambda r: r[0]),
       second=st.lists(row, min_size=1, max_size=25, unique_by=lambda r: r[0]))
def test_reimport_adds_nothing_and_undo_restores(first: list[tuple], second: list[tuple]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.duckdb"
        ensure_schema(db)
        conf = Settings(db=db, lock_timeout=10.0)
        a = import_file(db, _csv(first), settings=conf, file_name="a.csv")
        assert a.ok, a.errors
        assert a.inserted + a.duplicates == a.records == len(first)
        after_a = _state(db)
        again = import_file(db, _csv(first), settings=conf, file_name="a.csv")
        assert (again.inserted, again.updated, again.duplicates) == (0, 0, len(first))
        assert _state(db) == after_a
        b = import_file(db, _csv(second), settings=conf, file_name="b.csv")
        assert b.inserted + b.updated + b.duplicates == len(second)
        if b.identical_to is not None:  # the same rows as the first file: nothing written (issue #13)
            assert (b.identical_to, b.batch_id) == (a.batch_id, None)
        else:
            undo_batch(db, b.batch_id, settings=conf)
        assert _state(db) == after_a
