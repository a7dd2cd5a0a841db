"""A siyu database holding the raw CDNOW sample: one member per customer, one paid order per line."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from siyu.db import writing

RAW = Path(__file__).resolve().parents[1] / "data" / "cdnow" / "CDNOW_sample.txt"


def cdnow_orders() -> pl.DataFrame:
    """customer, day, cents: the transaction log as published (whitespace-separated columns)."""
    lines = [line.split() for line in RAW.read_text().splitlines() if line.strip()]
    return pl.DataFrame(
        {
            "customer": [int(p[0]) for p in lines],
            "day": [p[2] for p in lines],
            "cents": [round(float(p[4]) * 100) for p in lines],
        }
    ).with_columns(pl.col("day").str.to_date("%Y%m%d"))


def build_cdnow_db(path: Path) -> Path:
    orders = cdnow_orders().with_row_index("n")
    members = orders.group_by("customer").agg(pl.col("day").min().alias("joined")).sort("customer")
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'CDNOW_sample.txt', 'test')")
        frame_m = members.select(
            pl.col("customer").alias("member_id"), pl.col("joined").cast(pl.Datetime("us")).alias("joined_at"))
        con.register("cdnow_members", frame_m)
        con.execute("INSERT INTO members (member_id, joined_at, source, batch_id)"
                    " SELECT member_id, joined_at, 'test', 1 FROM cdnow_members")
        frame_o = orders.select(
            ("CD" + pl.col("n").cast(pl.String)).alias("order_id"), pl.col("customer").alias("member_id"),
            pl.col("day").cast(pl.Datetime("us")).alias("paid_at"), pl.col("cents").alias("paid_cents"))
        con.register("cdnow_orders", frame_o)
        con.execute("INSERT INTO orders (order_id, member_id, paid_at, paid_cents, status, currency, batch_id)"
                    " SELECT order_id, member_id, paid_at, paid_cents, 'paid', 'USD', 1 FROM cdnow_orders")
    return path
