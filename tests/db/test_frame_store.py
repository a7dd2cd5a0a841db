"""Frames kept on disk next to the database: read back by a fresh process, never stale after a write that
changes the data, untouched by writes that do not, and never in the way when the disk is not usable."""

from __future__ import annotations

import io
from pathlib import Path

import duckdb
import polars as pl
import pytest

from siyu.auth import audit
from siyu.db import frame_store, query, reading, writing
from siyu.engine import frame_cache
from siyu.engine.catalog import run_metric
from siyu.engine.context import read_context
from siyu.ingest import import_file, undo_batch
from tests.metrics import analytics_db

ORDERS_CSV = ("order_id,member_id,paid_at,amount,refund_amount,status,store\n"
              "n1,M9,2024-03-28 10:00:00,50,,paid,门店A\n").encode()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    frame_cache.clear()
    path = analytics_db.build(tmp_path / "brand.duckdb")
    with writing(path) as con:  # the fixture wrote batch 1 by hand: imports take the next id
        con.execute("SELECT nextval('batch_id_seq')").fetchall()
    yield path
    frame_cache.clear()


def _version(db: Path) -> tuple:
    with reading(db) as con:
        return frame_store.data_version(con)


def _no_duckdb_fetch(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    """Make fetching these queries from DuckDB fail, so only the stored files can answer."""
    real = frame_store.query

    def refuse(con, name, params=None):
        if name in names:
            raise AssertionError(f"{name} was fetched from DuckDB")
        return real(con, name, params)

    monkeypatch.setattr(frame_store, "query", refuse)


def test_a_fresh_process_reads_the_frames_from_disk(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with reading(db) as con:
        _, before = run_metric(con, "retention", {"grain": "month", "end": "2024-03-31"})
        fetched = query(con, "m_valid_orders_narrow")
    frame_store.wait_saved()  # written by a background thread
    files = sorted(p.name.split("-")[0] for p in Path(f"{db}.frames").glob("*.arrow"))
    assert "m_valid_orders_narrow" in files and "m_store_codes" in files
    frame_cache.clear()  # a restarted server: nothing in memory
    _no_duckdb_fetch(monkeypatch, "m_valid_orders_narrow", "m_store_codes")
    with reading(db) as con:
        _, key_frame = frame_cache.unscoped(read_context(con), "m_valid_orders_narrow")
        _, after = run_metric(con, "retention", {"grain": "month", "end": "2024-03-31"})
    assert key_frame.equals(fetched)
    assert key_frame.height == 5  # o1, o2, o3 (partly refunded), o4 (free), o5; not o6 (refunded), o7 (unpaid)
    assert after.equals(before)


def test_an_import_and_its_undo_change_the_version_and_replace_the_file(db: Path) -> None:
    frame_cache.warm(db, 5.0)
    first = _version(db)
    report = import_file(db, io.BytesIO(ORDERS_CSV), file_name="more.csv", profile="generic_orders")
    assert report.ok, report.errors
    second = _version(db)
    assert second != first
    with reading(db) as con:
        orders = frame_cache.unscoped(read_context(con), "m_valid_orders_narrow")[1]
    assert orders.height == 6  # the new order is there, not the stored 5
    frame_store.wait_saved()
    assert len(list(Path(f"{db}.frames").glob("m_valid_orders_narrow-*.arrow"))) == 1  # the old file is gone
    undo_batch(db, report.batch_id)
    third = _version(db)
    assert third not in (first, second)
    with reading(db) as con:
        assert frame_cache.unscoped(read_context(con), "m_valid_orders_narrow")[1].height == 5


def test_logins_and_audit_rows_keep_the_version(db: Path) -> None:
    before = _version(db)
    with writing(db) as con:
        audit.write(con, "admin", "login")
        con.execute("INSERT INTO app_settings (name, value, updated_by) VALUES ('max_login_failures', '7', 'admin')")
    assert _version(db) == before


def test_a_row_written_outside_a_batch_changes_the_version(db: Path) -> None:
    before = _version(db)
    with writing(db) as con:
        con.execute("INSERT INTO members VALUES (9, NULL, '2024-03-01 08:00', '门店', 'test', 1)")
    assert _version(db) != before


def test_a_damaged_file_is_fetched_again(db: Path) -> None:
    frame_cache.warm(db, 5.0)
    [stored] = Path(f"{db}.frames").glob("m_valid_orders_narrow-*.arrow")
    stored.write_bytes(stored.read_bytes()[:100])
    frame_cache.clear()
    with reading(db) as con:
        frame = frame_cache.unscoped(read_context(con), "m_valid_orders_narrow")[1]
    frame_store.wait_saved()
    assert frame.height == 5
    assert pl.read_ipc(stored).height == 5  # written anew


def test_an_unwritable_store_only_costs_the_fetch(db: Path) -> None:
    Path(f"{db}.frames").write_text("a file where the folder would be")
    with reading(db) as con:
        _, frame = frame_cache.unscoped(read_context(con), "m_valid_orders_narrow")
        _, rfm = run_metric(con, "rfm", {})
    frame_store.wait_saved()
    assert frame.height == 5 and rfm.height == 3  # buyers 1, 2, 3
    assert not list(Path(db.parent).glob(".*.tmp")) and not list(Path(db.parent).glob("*.arrow"))


def test_an_in_memory_database_keeps_nothing() -> None:
    con = duckdb.connect()
    con.execute("CREATE TABLE import_batches (batch_id BIGINT, status VARCHAR, imported_at TIMESTAMP,"
                " rows_inserted BIGINT, rows_updated BIGINT, profile VARCHAR)")
    for table in ("orders", "order_items", "members", "member_identities", "friends", "staff",
                  "member_snapshots", "tiers", "referrals", "member_tags", "channel_costs", "groups",
                  "group_memberships", "group_daily", "campaigns",
                  "campaign_members", "points_ledger", "paid_memberships", "tier_thresholds"):
        con.execute(f"CREATE TABLE {table} (updated_batch_id BIGINT)")
    con.execute("CREATE TABLE saved_segments (name VARCHAR, definition VARCHAR)")  # schema 9: segments are in it
    con.execute("CREATE TABLE group_layer_rules (position INTEGER, pattern VARCHAR, layer VARCHAR)")
    con.execute("CREATE TABLE points_value (updated_at TIMESTAMP)")  # its edits change the data version
    con.execute("CREATE TABLE schema_version (version INTEGER)")  # the data version names the schema version
    assert frame_store.data_version(con) == ()
    assert frame_store.directory(()) is None
