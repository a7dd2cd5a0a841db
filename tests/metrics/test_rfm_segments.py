"""RFM segments: quintile scores, the classic RF grid and the Chinese 8-way split, written out by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from siyu.metrics.rfm_segments import rfm_cutoffs, rfm_segments
from tests.metrics import analytics_db

D = dt.date
ORDERS = pl.LazyFrame(
    [(1, D(2024, 1, 5), 100), (1, D(2024, 2, 5), 200), (1, D(2024, 4, 1), 300), (2, D(2024, 1, 9), 1000),
     (3, D(2024, 3, 3), 50), (3, D(2024, 3, 9), 50), (4, D(2024, 4, 10), 0), (5, D(2024, 2, 1), 400)],
    schema={"member_id": pl.Int64, "paid_at": pl.Date, "net_cents": pl.Int64}, orient="row")


def test_literal_scores_and_segments() -> None:
    got = rfm_segments(ORDERS)  # observation end = 04-10, the last order day
    assert got.select("member_id", "recency_days", "frequency", "monetary", "r_score", "f_score", "m_score",
                      "segment", "cn_segment").rows() == [
        ("1", 9, 3, 6.0, 4, 5, 4, "Loyal Customers", "重要价值客户"),
        ("2", 92, 1, 10.0, 1, 1, 5, "Lost", "重要挽留客户"),
        ("3", 32, 2, 1.0, 3, 4, 2, "Loyal Customers", "一般价值客户"),
        ("4", 0, 1, 0.0, 5, 1, 1, "New Customers", "一般发展客户"),     # ties at F = 1 share the lowest score
        ("5", 69, 1, 4.0, 2, 1, 3, "Hibernating", "一般挽留客户"),
    ]
    # Cuts default to the means: recency (9 + 92 + 32 + 0 + 69) / 5, frequency 8 / 5, monetary 21 / 5.
    assert got.row(0, named=True)["r_cut"] == 40.4 and got["f_cut"][0] == 1.6 and got["m_cut"][0] == 4.2


def test_explicit_cuts_and_cutoff_table() -> None:
    got = rfm_segments(ORDERS, observation_end=D(2024, 4, 30), r_cut=30, f_cut=2, m_cut=5)
    assert got["cn_segment"].to_list() == ["重要价值客户", "重要挽留客户", "一般保持客户", "一般发展客户", "一般挽留客户"]
    cut = rfm_cutoffs(got)
    assert cut.columns == ["dimension", "score", "min", "max", "members"]
    assert cut.filter(pl.col("dimension") == "F").rows() == [("F", 1, 1.0, 1.0, 3), ("F", 4, 2.0, 2.0, 1),
                                                            ("F", 5, 3.0, 3.0, 1)]


def test_empty_and_cli(tmp_path: Path) -> None:
    assert rfm_segments(ORDERS.clear()).height == 0 and rfm_cutoffs(rfm_segments(ORDERS.clear())).height == 0
    db = analytics_db.build(tmp_path / "brand.duckdb")
    rows = analytics_db.run_json(db, "rfm_segments", "r_cut=30")
    assert [(r["member_id"], r["recency_days"], r["cn_segment"]) for r in rows] == [
        ("siyu:1", 39, "重要保持客户"), ("siyu:2", 59, "重要挽留客户"), ("siyu:3", 0, "一般价值客户")]  # M: 80 < mean 126.67
    assert len(analytics_db.run_json(db, "rfm_segments", "view=cutoffs")) == 7
    for view in ("members", "cutoffs"):
        code, text = analytics_db.run_cli(tmp_path / "empty.duckdb", "rfm_segments", f"view={view}", fmt="csv")
        assert code == 0 and text.count("\n") == 1
