"""Member references for outputs people read: the id a member is known by in the brand's own exports.

Inside siyu every member is an integer (`members.member_id`, called `siyu_id` in outputs); nobody outside
knows it. Every member-level frame that leaves siyu (`python -m siyu metric ...`, the dashboard's member
tables and downloads) therefore carries

- `member_id`: the member's own identifier, chosen by `choose_refs` (docs/metrics.md, "Member ids"):
  the first kind of KINDS the member has — the export's member id, else the shop's buyer id, else the WeCom
  external id, else the e-mail, else a masked phone; within one kind the identifier recorded by the earliest
  import batch, then the smallest value (code-point order). A member with none of them gets `siyu:<siyu_id>`.
  A value that looks like a mobile number is masked whatever its kind (never a raw phone in an output).
- `siyu_id`: the internal integer, next to it (unique, for joining outputs with each other, and what the
  `ids=` / `root=` parameters take).

Other columns naming a member (`referrer_id`, `root`, `referee_id`) keep their siyu ids and get a
`<name>_member_id` column beside them. Pure Polars apart from `fetch_refs`/`attach`, which read through
siyu.db.query.
"""

from __future__ import annotations

import duckdb
import polars as pl

from siyu.privacy import mask_phone_expr

KINDS = ("external_member_id", "shop_buyer_id", "wecom_external_id", "email", "phone", "phone_masked")
"""Strongest first: the ids an export itself keys members by, then contact identifiers."""

FALLBACK = "siyu:"
"""Prefix of the reference of a member no export identified (a WeCom friend known only by nickname)."""

LINKED = {"referrer_id": "referrer_member_id", "root": "root_member_id", "referee_id": "referee_member_id"}
"""Columns that hold the siyu id of another member, and the reference column added beside each."""

BOUND_IDS = 5_000
"""Up to this many ids are bound into the query (a cohort cell, a tree); longer lists (a segment, every
buyer) read every identifier and filter in memory: binding a Python list costs ~4 µs per id, reading
the table ~0.3 µs per row (20k-member demo: 12.5k ids bound 0.13 s, the whole table 0.01 s)."""

_MOBILE = r"^(1\d{10}|\+\d{6,15})$"  # the forms siyu stores phones in (docs/import.md, "Cell forms")
_PEPPER_KEY = r"^h:[0-9a-f]{32}$"  # a phone replaced by its HMAC key (SIYU_PEPPER): means nothing to a reader
_SCHEMA = {"siyu_id": pl.Int64, "member_id": pl.String}


def choose_refs(candidates: pl.DataFrame) -> pl.DataFrame:
    """candidates (member_id = siyu id, kind, value, batch_id; queries/member_ref_candidates.sql) ->
    one row per member that has a usable identifier: siyu_id, member_id (the reference, masked if a phone)."""
    if candidates.is_empty():
        return pl.DataFrame(schema=_SCHEMA)
    rank = {kind: i for i, kind in enumerate(KINDS)}
    usable = candidates.filter(pl.col("kind").is_in(KINDS) & pl.col("value").is_not_null() & (pl.col("value") != "")
                               & ~((pl.col("kind") == "phone") & pl.col("value").str.contains(_PEPPER_KEY)))
    chosen = (usable.with_columns(pl.col("kind").replace_strict(rank, return_dtype=pl.Int64).alias("prio"))
              .sort("member_id", "prio", "batch_id", "value")
              .unique("member_id", keep="first", maintain_order=True))
    looks_like_phone = (pl.col("kind") == "phone") | pl.col("value").str.contains(_MOBILE)
    return chosen.select(pl.col("member_id").cast(pl.Int64).alias("siyu_id"),
                         pl.when(looks_like_phone).then(mask_phone_expr("value")).otherwise(pl.col("value"))
                         .alias("member_id"))


def member_level(frame: pl.DataFrame) -> bool:
    """Does `frame` name members by siyu id (integers, or their digits as text) and has not been given
    references yet?"""
    if "siyu_id" in frame.columns:
        return False
    cols = [c for c in ("member_id", *LINKED) if c in frame.columns]
    return bool(cols) and all(_siyu_ids_in(frame.get_column(c)) for c in cols)


def _siyu_ids_in(column: pl.Series) -> bool:
    if column.dtype.is_integer() or column.dtype == pl.Null:
        return True
    return column.dtype == pl.String and bool(column.drop_nulls().str.contains(r"^\d{1,18}$").all())


def siyu_ids(frame: pl.DataFrame) -> list[int]:
    """Every siyu id `frame` names (member_id and the LINKED columns), sorted, without nulls."""
    cols = [c for c in ("member_id", *LINKED) if c in frame.columns]
    if not cols or frame.is_empty():
        return []
    ids = pl.concat([frame.get_column(c).cast(pl.Int64).rename("id") for c in cols]).drop_nulls().unique().sort()
    return ids.to_list()


def _ref_of(col: str, refs: pl.DataFrame, frame: pl.DataFrame) -> pl.Series:
    ids = frame.select(pl.col(col).cast(pl.Int64).alias("siyu_id"))
    found = ids.join(refs, on="siyu_id", how="left", maintain_order="left")
    return found.select(
        pl.when(pl.col("siyu_id").is_null()).then(None)
        .otherwise(pl.coalesce("member_id", pl.lit(FALLBACK) + pl.col("siyu_id").cast(pl.String)))
    ).to_series()


def with_member_refs(frame: pl.DataFrame, refs: pl.DataFrame, *, internal: bool = True) -> pl.DataFrame:
    """`frame` with `member_id` replaced by the member's reference and `siyu_id` beside it, and a
    `<name>_member_id` reference beside each LINKED column; rows and their order unchanged.
    refs: siyu_id, member_id (choose_refs); ids missing from it get `siyu:<id>`.
    internal=False (the dashboard's tables and files, which show no internal ids): references replace the
    ids in place, no column is added."""
    if not member_level(frame):
        return frame
    refs = refs.select(pl.col("siyu_id").cast(pl.Int64), pl.col("member_id").cast(pl.String))
    if not internal:
        return frame.with_columns(_ref_of(col, refs, frame).rename(col)
                                  for col in ("member_id", *LINKED) if col in frame.columns)
    added: dict[str, pl.Series] = {}
    if "member_id" in frame.columns:
        added["siyu_id"] = frame.get_column("member_id").cast(pl.Int64).rename("siyu_id")
    for col, ref in LINKED.items():
        if col in frame.columns:
            added[ref] = _ref_of(col, refs, frame).rename(ref)
    own = _ref_of("member_id", refs, frame).rename("member_id") if "member_id" in frame.columns else None
    columns: list[pl.Series] = []
    for col in frame.columns:
        if col == "member_id" and own is not None:
            columns += [own, added["siyu_id"]]
        else:
            columns.append(frame.get_column(col))
            if col in LINKED:
                columns.append(added[LINKED[col]])
    return pl.DataFrame(columns)


def fetch_refs(con: duckdb.DuckDBPyConnection, ids: list[int]) -> pl.DataFrame:
    """siyu_id, member_id of the listed members that have an identifier (choose_refs)."""
    from siyu.db import query

    if not ids:
        return pl.DataFrame(schema=_SCHEMA)
    if len(ids) <= BOUND_IDS:
        return choose_refs(query(con, "member_ref_candidates", {"ids": ids}))
    every = query(con, "member_ref_candidates_all")
    return choose_refs(every.filter(pl.col("member_id").is_in(pl.Series(ids, dtype=pl.Int64).implode())))


def attach(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, *, internal: bool = True) -> pl.DataFrame:
    """`with_member_refs` with the references read from `con` (frames that name no member pass through).
    Give it an unscoped connection: a referrer outside the global filters still has his own id."""
    if not member_level(frame):
        return frame
    return with_member_refs(frame, fetch_refs(con, siyu_ids(frame)), internal=internal)
