"""`python -m siyu lake export` (siyu.lake): the tables, the member buckets, the manifest, the atomic swap.
No Spark needed: the files are read back with Polars."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from siyu.cli import main
from siyu.lake.layout import bucket_of

ORDERS = (
    "order_id,member_id,paid_at,amount,refund_amount,status,store\n"
    "1,M1,2024-01-05 10:00:00,100.00,0,paid,S\n"
    "2,M1,2024-02-10 10:00:00,50.00,0,paid,S\n"
    "3,M2,2024-01-20 10:00:00,30.00,0,paid,S\n"
    "4,M3,2024-02-03 10:00:00,20.00,0,paid,S\n"
    "5,M3,2024-03-04 10:00:00,40.00,0,paid,S\n"
    "6,M2,2024-03-15 10:00:00,10.00,10.00,paid,S\n"   # refunded in full: not a valid order
)


def imported(tmp_path: Path) -> Path:
    db = tmp_path / "siyu.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text(ORDERS, encoding="utf-8")
    assert main(["import", str(csv), "--db", str(db)]) == 0
    return db


def test_bucket_is_the_documented_multiplicative_hash() -> None:
    # (id mod 2^32) x 2654435761 mod 2^32 mod buckets, worked out by hand for ids 1, 2, 3:
    # 2654435761 mod 2 = 1; 5308871522 - 2^32 = 1013904226 -> 0; 7963307283 - 2^32 = 3668339987 -> 1.
    assert [bucket_of(i, 2) for i in (1, 2, 3)] == [1, 0, 1]
    assert bucket_of(1, 16) == 2654435761 % 16 == 1


def test_export_writes_valid_orders_by_bucket_and_a_manifest(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = imported(tmp_path)
    capsys.readouterr()
    lake = tmp_path / "lake"
    assert main(["lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "2"]) == 0
    printed = json.loads(capsys.readouterr().out)
    manifest = json.loads((lake / "manifest.json").read_text(encoding="utf-8"))
    assert printed["out"] == str(lake)
    assert manifest["buckets"] == 2 and manifest["format"] == 1 and manifest["schema_version"] >= 7
    assert manifest["rows"]["orders"] == 5  # the refunded order is not a valid order
    assert manifest["rows"]["members"] == 3
    assert manifest["last_valid_order_day"] == "2024-03-04"
    assert manifest["data_last_day"] == "2024-03-15"  # the refunded order's payment still is data
    orders = pl.read_parquet(lake / "orders", hive_partitioning=True)
    assert sorted(orders["net_cents"].to_list()) == [2000, 3000, 4000, 5000, 10000]
    assert set(orders["bucket"].to_list()) == {0, 1}
    for row in orders.iter_rows(named=True):
        assert row["bucket"] == bucket_of(row["member_id"], 2)
    refs = pl.read_parquet(lake / "member_refs" / "part-0.parquet")
    assert sorted(refs["member_id"].to_list()) == ["M1", "M2", "M3"]


def test_export_replaces_the_lake_whole_and_refuses_foreign_folders(tmp_path: Path) -> None:
    db = imported(tmp_path)
    lake = tmp_path / "lake"
    assert main(["lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "4"]) == 0
    assert main(["lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "2"]) == 0
    buckets = sorted(p.name for p in (lake / "orders").iterdir())
    assert buckets == ["bucket=0", "bucket=1"]  # nothing of the 4-bucket lake is left
    assert not list(tmp_path.glob(".lake.*"))  # no temporary or moved-aside folders
    foreign = tmp_path / "photos"
    foreign.mkdir()
    (foreign / "a.jpg").write_bytes(b"x")
    assert main(["lake", "export", "--db", str(db), "--out", str(foreign)]) == 1
    assert [p.name for p in foreign.iterdir()] == ["a.jpg"]
    assert main(["lake", "export", "--db", str(db), "--out", str(lake), "--buckets", "0"]) == 1
