"""The in-process cache of the narrow valid-order frame is reused, and refreshed when the database changes."""

from __future__ import annotations

from pathlib import Path

from siyu.db import reading, writing
from siyu.engine import inputs
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
from tests.metrics import analytics_db


def test_cache_reused_then_refreshed_after_a_write(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    inputs.clear_orders_cache()
    with reading(db) as con:
        first = inputs.valid_orders_cached(read_context(con)).collect()
        again = inputs.valid_orders_cached(read_context(con)).collect()
        _, before = run_metric(con, "rfm", {})
    assert first.height == 5 and again is not first and again.equals(first)
    with writing(db) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (2, 'more', 'test')")
        con.execute("INSERT INTO orders (order_id, member_id, paid_at, paid_cents, status, batch_id)"
                    " VALUES ('o9', 2, '2024-03-25 10:00', 1000, 'paid', 2)")
    with reading(db) as con:
        assert inputs.valid_orders_cached(read_context(con)).collect().height == 6
        _, after = run_metric(con, "rfm", {})
    assert before.filter(before["member_id"] == "2")["frequency"].item() == 0
    assert after.filter(after["member_id"] == "2")["frequency"].item() == 1
