"""Schema and migrations: versions stored, forward-only, idempotent, foreign files refused."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from siyu.db import reading, writing
from siyu.db.connection import forget_schema_cache
from siyu.db.schema import migrate, migrations, schema_version
from siyu.errors import SchemaError

EXPECTED_TABLES = {
    "schema_version", "import_batches", "members", "member_identities", "staff", "friends",
    "tiers", "member_snapshots", "orders", "order_items", "referrals",
}


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'").fetchall()}


def test_new_file_gets_every_table_and_the_latest_version(tmp_path: Path) -> None:
    db = tmp_path / "new.duckdb"
    with reading(db) as con:
        assert EXPECTED_TABLES <= _tables(con)
        assert schema_version(con) == migrate.latest_version()
        versions = [r[0] for r in con.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()]
    assert versions == list(range(1, migrate.latest_version() + 1))


def test_migrations_are_numbered_without_gaps() -> None:
    assert [m.version for m in migrations()] == list(range(1, len(migrations()) + 1))
    assert migrations()[0].name == "001_initial.sql"


def test_forward_migration_from_version_1_keeps_rows(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    assert migrate.apply(con, target=1) == [1]
    con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'a.csv', 'generic_orders')")
    con.execute("INSERT INTO members VALUES (1, '张三', TIMESTAMP '2024-01-01', '门店', 'test', 1)")
    con.close()
    forget_schema_cache()
    with reading(db) as con:
        assert schema_version(con) == migrate.latest_version()
        assert con.execute("SELECT display_name FROM members").fetchall() == [("张三",)]


def test_applying_twice_does_nothing(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    assert migrate.apply(con) == list(range(1, migrate.latest_version() + 1))
    assert migrate.apply(con) == []
    con.close()


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "future.duckdb"
    con = duckdb.connect(str(db))
    migrate.apply(con)
    con.execute("INSERT INTO schema_version VALUES (999, '999_future.sql', now())")
    with pytest.raises(SchemaError, match="升级 siyu"):
        migrate.apply(con)
    con.close()


def test_a_foreign_duckdb_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "foreign.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE sales (a INT)")
    con.close()
    forget_schema_cache()
    with pytest.raises(SchemaError, match="不是 siyu 的数据库"):
        with reading(db):
            pass


def test_orders_lose_their_primary_key_index_and_keep_every_row(tmp_path: Path) -> None:
    """Migration 012 rebuilds `orders` without the PRIMARY KEY (its in-memory index cost 2.4× COPY at 10M):
    a version-11 file keeps every row and value, the checks still hold, and no index is left on the table."""
    db = tmp_path / "v11.duckdb"
    con = duckdb.connect(str(db))
    migrate.apply(con, target=11)
    con.execute("INSERT INTO orders (order_id, member_id, paid_at, paid_cents, refunded_cents, status, store, batch_id,"
                " snapshot_at) VALUES ('E1', 7, TIMESTAMP '2024-01-02 10:00:00', 1299, 100, 'partially_refunded',"
                " '门店甲', 3, TIMESTAMP '2024-02-01 00:00:00'), ('E2', 8, NULL, 0, 0, 'unpaid', NULL, 3, NULL)")
    assert migrate.apply(con) == [12]
    assert con.execute("SELECT order_id, member_id, paid_at::VARCHAR, paid_cents, refunded_cents, status, currency, store,"
                       " batch_id, snapshot_at::VARCHAR FROM orders ORDER BY order_id").fetchall() == [
        ("E1", 7, "2024-01-02 10:00:00", 1299, 100, "partially_refunded", "CNY", "门店甲", 3, "2024-02-01 00:00:00"),
        ("E2", 8, None, 0, 0, "unpaid", "CNY", None, 3, None)]
    kinds = {r[0] for r in con.execute(
        "SELECT constraint_type FROM duckdb_constraints() WHERE table_name = 'orders'").fetchall()}
    assert "PRIMARY KEY" not in kinds and "CHECK" in kinds and "NOT NULL" in kinds
    with pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO orders (order_id, member_id, paid_cents, status, batch_id) VALUES ('E3', 1, 5, 'lost', 1)")
    assert con.execute("SELECT count(*) FROM valid_orders").fetchall() == [(1,)]
    con.close()


def test_negative_amounts_violate_the_schema(tmp_path: Path) -> None:
    with pytest.raises(duckdb.ConstraintException):
        with writing(tmp_path / "neg.duckdb") as con:
            con.execute("INSERT INTO orders (order_id, member_id, paid_cents, status, batch_id)"
                        " VALUES ('E1', 1, -5, 'paid', 1)")


def test_valid_orders_view_applies_the_definition(tmp_path: Path) -> None:
    db = tmp_path / "valid.duckdb"
    with writing(db) as con:
        con.execute("""
            INSERT INTO orders (order_id, member_id, paid_at, paid_cents, refunded_cents, status, batch_id) VALUES
            ('paid',      1, '2024-01-01', 1000,    0, 'paid', 1),
            ('partial',   1, '2024-01-02', 1000,  300, 'partially_refunded', 1),
            ('full',      1, '2024-01-03', 1000, 1000, 'refunded', 1),
            ('full_flag', 1, '2024-01-03', 1000, 1000, 'paid', 1),
            ('free',      2, '2024-01-04',    0,    0, 'paid', 1),
            ('cancel',    2, NULL,          500,    0, 'cancelled', 1),
            ('unpaid',    2, NULL,          500,    0, 'unpaid', 1)
        """)
    with reading(db) as con:
        rows = con.execute("SELECT order_id, net_cents FROM valid_orders ORDER BY order_id").fetchall()
    assert rows == [("free", 0), ("paid", 1000), ("partial", 700)]


def test_a_file_that_is_not_duckdb_gets_a_plain_error(tmp_path: Path) -> None:
    from siyu.errors import DatabaseOpenError

    bad = tmp_path / "notes.duckdb"
    bad.write_text("这不是数据库")
    forget_schema_cache()
    with pytest.raises(DatabaseOpenError, match="无法打开数据库"):
        with reading(bad):
            pass
    assert bad.read_text() == "这不是数据库"  # untouched
