"""Writing campaign sends inside the import's transaction (profile campaign_sends, issue #18).

Each row is matched to a member: a phone through the member's phone (or its SIYU_PEPPER key), a WeCom
external id through the WeCom identity, a member id as the brand's exports or siyu's own downloads write it
(the member's own id, the shop's buyer id, an e-mail, or `siyu:N`). A row matching nobody, or several
members, is a row error: with on-error reject the file is refused, with skip the row is left out and listed.
Key: (campaign, member, sent_at); rows already stored are duplicates, so re-importing a send file (or an
overlapping one) never doubles a send. Failed deliveries (发送状态 失败) are not stored.
"""

from __future__ import annotations

import duckdb
import polars as pl

from siyu.db import query
from siyu.errors import IngestError
from siyu.ingest.cells import ERROR_SCHEMA
from siyu.ingest.load import Counts
from siyu.ingest.sqlrun import run, stage

KEY = ["campaign", "member_id", "sent_at"]
ID_KINDS = ["external_member_id", "shop_buyer_id", "wecom_external_id", "email", "phone"]
MSG_UNKNOWN = "不是已导入的会员：请先导入会员/客户或订单导出 / not a known member: import the member or order export first"
MSG_SEVERAL = "对应到多个会员，无法确定是谁 / matches several members"
MAX_LISTED = 5


def _lookup(con: duckdb.DuckDBPyConnection, values: pl.Series, kinds: list[str]) -> pl.DataFrame:
    vals = values.drop_nulls().unique().to_list()
    found = query(con, "cmp_identity_lookup", {"values": vals, "kinds": kinds}) if vals else pl.DataFrame()
    return found if found.height else pl.DataFrame(schema={"value": pl.Utf8, "member_id": pl.Int64})


def _matches(con: duckdb.DuckDBPyConnection, rows: pl.DataFrame) -> pl.DataFrame:
    """row_no, member_id for every (row, member) pair a row's identifiers name."""
    refs = rows.select("row_no", "member_ref")
    siyu = (refs.filter(pl.col("member_ref").str.starts_with("siyu:"))
            .with_columns(pl.col("member_ref").str.strip_prefix("siyu:").cast(pl.Int64, strict=False).alias("member_id"))
            .drop_nulls("member_id"))
    known = query(con, "cmp_member_exists", {"ids": siyu["member_id"].unique().to_list()}) if siyu.height else None
    siyu = siyu.join(known, on="member_id", how="semi") if known is not None and known.height else siyu.clear()
    parts = [siyu.select("row_no", pl.col("member_id").cast(pl.Int64))]
    for column, kinds in (("member_ref", ID_KINDS), ("phone", ["phone"]), ("ext_id", ["wecom_external_id"])):
        found = _lookup(con, rows[column], kinds)
        parts.append(rows.select("row_no", column).join(found, left_on=column, right_on="value")
                     .select("row_no", pl.col("member_id").cast(pl.Int64)))
    return pl.concat(parts).unique()


def _errors(rows: pl.DataFrame, message: str) -> pl.DataFrame:
    return rows.select(pl.col("row_no").alias("row"), pl.lit("会员 / member").alias("column"),
                       pl.coalesce("member_ref", "ext_id", "phone").alias("value"),
                       pl.lit(message).alias("message")).cast(ERROR_SCHEMA)


def load_campaign_sends(con: duckdb.DuckDBPyConnection, batch_id: int, rows: pl.DataFrame,
                        on_error: str) -> tuple[Counts, pl.DataFrame]:
    """(counts, row errors of rows left out under on-error skip)."""
    delivered = rows.filter(pl.col("delivered"))
    pairs = _matches(con, delivered)
    per_row = pairs.group_by("row_no").agg(pl.col("member_id").min(), pl.len().alias("n"))
    unknown = delivered.join(per_row, on="row_no", how="anti")
    several = delivered.join(per_row.filter(pl.col("n") > 1), on="row_no", how="semi")
    bad = pl.concat([_errors(unknown, MSG_UNKNOWN), _errors(several, MSG_SEVERAL)]).sort("row")
    if bad.height and on_error == "reject":
        shown = "；".join(f"第 {r['row']} 行 {r['value']}：{r['message'].split(' / ')[0]}"
                         for r in bad.head(MAX_LISTED).iter_rows(named=True))
        raise IngestError(f"{bad.height} 行对不上会员，整个文件未导入：{shown}{'…' if bad.height > MAX_LISTED else ''}。"
                          "请先导入会员或订单导出，或用 --on-error skip 只导入对得上的行。"
                          f" / {bad.height} row(s) match no single member; nothing was imported.")
    good = delivered.join(per_row.filter(pl.col("n") == 1).select("row_no", "member_id"), on="row_no")
    keyed = good.unique(KEY, keep="first", maintain_order=True)
    stage(con, "stg_sends", keyed.select(*KEY))
    existing = run(con, "ingest_sends_existing")
    assert existing is not None
    new = keyed.join(existing, on=KEY, how="anti") if existing.height else keyed
    stage(con, "stg_sends_new", new.select(*KEY, "channel", "variant", "arm", "cost_cents"))
    run(con, "ingest_sends_write", {"batch_id": batch_id})
    c = Counts(records=keyed.height, inserted=new.height, duplicates=good.height - new.height,
               linked=new.height)
    return c, bad
