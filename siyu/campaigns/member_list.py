"""An uploaded member list (a campaign's source, or the comparison group of a campaign planned elsewhere):
one column naming members, matched to siyu's members.

The first column whose header is one of ID_HEADERS / PHONE_HEADERS / WECOM_HEADERS is read. A member id
is looked up among the identifiers exports give members (the member's own id, the shop's buyer id, the WeCom
external id, an e-mail, a full phone — what siyu's downloads print as `member_id`), `siyu:N` and the
`siyu_id` column name siyu's own ids; phones are normalised like an import (and keyed with SIYU_PEPPER
when set). A masked phone never links a member. Rows that match nobody are counted, not fatal, unless
nothing matched.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

from siyu.config import load_settings
from siyu.db import query
from siyu.errors import SiyuError
from siyu.ingest import parsers
from siyu.ingest.profiles import norm_header
from siyu.ingest.readers import RawTable, Source, read_table

ID_HEADERS = ("member_id", "会员id", "会员编号", "会员号", "客户id", "买家id")
SIYU_HEADERS = ("siyu_id",)
PHONE_HEADERS = ("phone", "手机号", "手机", "手机号码", "客户手机号", "买家手机号", "mobile")
WECOM_HEADERS = ("外部联系人id", "external_userid", "外部联系人")
ID_KINDS = ["external_member_id", "shop_buyer_id", "wecom_external_id", "email", "phone"]


@dataclass(frozen=True)
class MemberList:
    ids: pl.Series
    rows: int
    unmatched: int
    column: str


def _column(table: RawTable) -> tuple[str, str]:
    heads = [norm_header(h) for h in table.header]
    for kind, names in (("siyu", SIYU_HEADERS), ("id", ID_HEADERS), ("phone", PHONE_HEADERS),
                        ("wecom", WECOM_HEADERS)):
        for name in names:
            if norm_header(name) in heads:
                return kind, f"c{heads.index(norm_header(name))}"
    raise SiyuError(
        f"名单里找不到会员列：需要 member_id / 会员编号、手机号 或 外部联系人ID 之一（表头是 {table.header[:6]}）"
        " / the list needs a member_id, phone or external_userid column")


def _lookup(con: duckdb.DuckDBPyConnection, values: pl.Series, kinds: list[str]) -> pl.DataFrame:
    found = query(con, "cmp_identity_lookup", {"values": values.drop_nulls().unique().to_list(), "kinds": kinds})
    return found if found.height else pl.DataFrame(schema={"value": pl.String, "member_id": pl.Int64})


def members_in_table(con: duckdb.DuckDBPyConnection, table: RawTable, pepper: str | None = None) -> MemberList:
    kind, col = _column(table)
    cells = parsers.clean_text(table.frame[col])
    if kind == "phone":
        phones = parsers.normalise_phones(cells)["phone"]
        if pepper:
            from siyu.privacy import phone_key

            phones = phones.map_elements(lambda p: phone_key(p, pepper), return_dtype=pl.String)
        values, found = phones, _lookup(con, phones, ["phone"])
    elif kind == "wecom":
        values, found = cells, _lookup(con, cells, ["wecom_external_id"])
    else:
        prefix = "siyu:" if kind == "id" else ""
        own = cells.filter(cells.str.starts_with(prefix).fill_null(False)) if prefix else cells
        ids = own.str.strip_prefix(prefix).cast(pl.Int64, strict=False).drop_nulls().unique()
        known = query(con, "cmp_member_exists", {"ids": ids.to_list()})
        by_siyu = pl.DataFrame({"value": [f"{prefix}{i}" for i in known["member_id"].to_list()] if known.height else [],
                                "member_id": known["member_id"].to_list() if known.height else []},
                               schema={"value": pl.String, "member_id": pl.Int64})
        found = pl.concat([by_siyu, _lookup(con, cells, ID_KINDS).cast({"member_id": pl.Int64})]) if prefix else by_siyu
        values = cells
    present = cells.is_not_null()  # a row with a cell that names nobody (a masked phone) is unmatched too
    listed = values.filter(present)
    matched = found.filter(pl.col("value").is_in(listed.drop_nulls().implode()))
    unmatched = int((~listed.is_in(matched["value"].implode()).fill_null(False)).sum())
    if matched.is_empty():
        raise SiyuError(f"名单里的 {listed.len()} 行没有一行对上已导入的会员（按 {table.header[int(col[1:])]} 列）"
                        " / no row of the list matches an imported member")
    return MemberList(matched["member_id"].unique().sort().alias("member_id"), int(listed.len()), unmatched,
                      table.header[int(col[1:])])


def members_in_file(con: duckdb.DuckDBPyConnection, source: Source | Path) -> MemberList:
    settings = load_settings()
    return members_in_table(con, read_table(source), settings.pepper or None)
