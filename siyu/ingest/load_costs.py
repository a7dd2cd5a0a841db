"""Writing channel costs inside the import's transaction.

Key: (channel, period_start, period_end). Rows of one file with the same key are summed (a spend sheet
may list several line items of one channel and month). Against the database, the file's total for a key
replaces the stored one: re-importing the same or a corrected export never doubles a cost (same value:
a duplicate, nothing written; changed: updated, the previous value kept for undo). A key that overlaps a
stored period of the same channel without being the same period refuses the whole file: two overlapping
periods would count the spend twice, and which one is right is the operator's call (undo the older batch,
or re-export with the same periods).
"""

from __future__ import annotations

import duckdb
import polars as pl

from siyu.errors import IngestError
from siyu.ingest.load import Counts
from siyu.ingest.sqlrun import run, stage

KEY = ["channel", "period_start", "period_end"]
MAX_LISTED = 10


def summed(rows: pl.DataFrame) -> pl.DataFrame:
    """One row per key: costs summed, distinct notes joined with '；', the first row number kept."""
    return (rows.group_by(KEY, maintain_order=True)
            .agg(pl.col("cost_cents").sum(), pl.col("note").drop_nulls().unique(maintain_order=True).str.join("；"),
                 pl.col("row_no").min())
            .with_columns(pl.when(pl.col("note") != "").then(pl.col("note")).alias("note")))


def load_channel_costs(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame) -> Counts:
    keyed = summed(rows)
    c = Counts(records=keyed.height)
    stage(con, "stg_costs", keyed.select(*KEY, "cost_cents", "note", "row_no"))
    clashes = run(con, "ingest_costs_overlaps")
    if clashes is not None and clashes.height:
        lines = [f"第 {r['row_no']} 行 {r['channel']} {r['period_start']}~{r['period_end']} 与批次 {r['batch_id']} 的 "
                 f"{r['old_start']}~{r['old_end']} 重叠" for r in clashes.head(MAX_LISTED).iter_rows(named=True)]
        more = f"（另有 {clashes.height - MAX_LISTED} 处）" if clashes.height > MAX_LISTED else ""
        raise IngestError(
            "渠道成本的期间与已导入的期间重叠，会重复计算，整个文件未导入：" + "；".join(lines) + more
            + "。请按已导入的期间重新导出（同一渠道同一期间会覆盖），或先撤销旧批次。"
            " / Cost periods overlap periods already imported for the same channel (the spend would count twice);"
            " nothing was imported. Re-export with the same periods (they replace), or undo the older batch first.")
    existing = run(con, "ingest_costs_existing")
    assert existing is not None
    new = keyed.join(existing, on=KEY, how="anti")
    upd = keyed.join(existing.filter(~pl.col("same")), on=KEY, how="semi")
    stage(con, "stg_costs_new", new.select(*KEY, "cost_cents", "note"))
    stage(con, "stg_costs_upd", upd.select(*KEY, "cost_cents", "note"))
    run(con, "ingest_costs_write", {"batch_id": batch_id})
    c.inserted, c.updated = new.height, upd.height
    c.duplicates = keyed.height - new.height - upd.height
    return c
