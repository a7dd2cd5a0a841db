"""Identity resolution: which member each incoming record belongs to (vectorised, one pass per file).

Rules (docs/import.md, "Identity"):
1. Strong identities link records to existing members, in this priority: external_member_id,
   wecom_external_id, phone (normalised 11-digit mobile), email (lower-cased).
2. A WeCom record without a strong identity is matched by its weak identity wecom_name only when an
   existing member has that name AND a friendship with the same staff member and the same add time
   (the same customer row seen in an earlier export). Inside one export, rows with the same name and
   no phone are one person; they join a same-name row that has a phone when there is exactly one.
3. A masked phone never links anything. A 有赞 customer row with only a masked phone (or none) is
   recognised again only as the same row: same masked phone, same 成为客户时间, same name, same source.
4. Records left over become new members, one per first strong identity (or per weak name group, or
   per record). Ids come from member_id_seq; if the sequence is behind the ids in the table (the demo
   generator writes explicit ids) new ids continue after the largest id instead.
"""

from __future__ import annotations

import duckdb
import polars as pl

from siyu.ingest.sqlrun import run, stage

STRONG = (("external_member_id", "ext_id"), ("wecom_external_id", "wecom_ext_id"), ("phone", "phone"), ("email", "email"),
          ("phone", "phone2"))
IDENTITY_COLUMNS = ["ext_id", "wecom_ext_id", "phone", "email", "phone_masked", "wecom_name", "staff_id", "added_at",
                    "display_name", "joined_at", "channel"]


def _strong_keys(recs: pl.DataFrame) -> pl.DataFrame:
    parts = [recs.select("rid", pl.lit(kind).alias("kind"), pl.col(col).alias("value"), pl.lit(p).alias("prio"))
             .filter(pl.col("value").is_not_null()) for p, (kind, col) in enumerate(STRONG)]
    return pl.concat(parts)


def resolve(con: duckdb.DuckDBPyConnection, recs: pl.DataFrame, *, source: str, weak_names: bool = False,
            recognise_masked: bool = False) -> pl.DataFrame:
    """recs (one row per record, IDENTITY_COLUMNS present) -> recs + member_id, existed (bool), new (bool)."""
    recs = recs.with_row_index("rid")
    keys = _strong_keys(recs)
    distinct = keys.select("kind", "value").unique()
    stage(con, "stg_ident_keys", distinct)
    found = run(con, "ingest_identity_lookup")
    assert found is not None
    matched = (keys.join(found, on=["kind", "value"]).sort("rid", "prio")
               .group_by("rid").agg(pl.col("member_id").first()))
    first_key = keys.sort("rid", "prio").group_by("rid").agg(
        (pl.lit("s|") + pl.col("kind") + "|" + pl.col("value")).first().alias("gkey"))
    recs = recs.join(first_key, on="rid", how="left").join(matched, on="rid", how="left")

    no_strong = pl.col("gkey").is_null()
    if weak_names:
        weak = recs.filter(no_strong & pl.col("wecom_name").is_not_null() & pl.col("staff_id").is_not_null()
                           & pl.col("added_at").is_not_null()).select("rid", "wecom_name", "staff_id", "added_at")
        if weak.height:
            stage(con, "stg_weak_keys", weak)
            wfound = run(con, "ingest_identity_weak")
            assert wfound is not None
            recs = recs.join(wfound.rename({"member_id": "weak_member"}), on="rid", how="left").with_columns(
                pl.coalesce("member_id", "weak_member").alias("member_id")).drop("weak_member")
        # A name-only row joins the one same-name row that has a strong identity, else its name group.
        strong_by_name = (recs.filter(pl.col("gkey").is_not_null() & pl.col("wecom_name").is_not_null())
                          .group_by("wecom_name").agg(pl.col("gkey").unique())
                          .filter(pl.col("gkey").list.len() == 1).with_columns(pl.col("gkey").list.first().alias("name_gkey"))
                          .drop("gkey"))
        recs = recs.join(strong_by_name, on="wecom_name", how="left").with_columns(
            pl.when(no_strong & pl.col("wecom_name").is_not_null())
            .then(pl.coalesce("name_gkey", pl.lit("n|") + pl.col("wecom_name")))
            .otherwise(pl.col("gkey")).alias("gkey")).drop("name_gkey")
    if recognise_masked:
        masked = recs.filter(no_strong & pl.col("member_id").is_null() & pl.col("joined_at").is_not_null()).select(
            "rid", "phone_masked", "joined_at", "display_name")
        if masked.height:
            stage(con, "stg_masked_keys", masked)
            mfound = run(con, "ingest_identity_masked", {"source": source})
            assert mfound is not None
            recs = recs.join(mfound.rename({"member_id": "m2"}), on="rid", how="left").with_columns(
                pl.coalesce("member_id", "m2").alias("member_id")).drop("m2")
    recs = recs.with_columns(pl.col("gkey").fill_null(pl.lit("r|") + pl.col("rid").cast(pl.Utf8)))
    # Every record of a group shares the group's member (the smallest existing one if several matched).
    recs = recs.with_columns(pl.col("member_id").min().over("gkey").alias("member_id"))
    recs = recs.with_columns(pl.col("member_id").is_not_null().alias("existed"))
    new_groups = recs.filter(pl.col("member_id").is_null()).select("gkey").unique(maintain_order=True)
    if new_groups.height:
        ids = draw_member_ids(con, new_groups.height)
        new_groups = new_groups.with_columns(pl.Series("new_id", ids, dtype=pl.Int64))
        recs = recs.join(new_groups, on="gkey", how="left").with_columns(
            pl.coalesce("member_id", "new_id").alias("member_id"), pl.col("new_id").is_not_null().alias("new")
        ).drop("new_id")
    else:
        recs = recs.with_columns(pl.lit(False).alias("new"))
    return recs.sort("rid").drop("rid", "gkey")


def draw_member_ids(con: duckdb.DuckDBPyConnection, n: int) -> list[int]:
    drawn = run(con, "ingest_draw_member_ids", {"n": n})
    assert drawn is not None
    seq = drawn["seq"].to_list()
    top = int(drawn["top"][0])
    if min(seq) > top:
        return seq
    return list(range(top + 1, top + 1 + n))


def identities_of(recs: pl.DataFrame, *, weak_names: bool) -> pl.DataFrame:
    """(kind, value, member_id, is_weak) to record for resolved records; strong values once each."""
    parts = [recs.select(pl.lit(kind).alias("kind"), pl.col(col).alias("value"), "member_id", pl.lit(False).alias("is_weak"))
             for kind, col in STRONG]
    parts.append(recs.select(pl.lit("phone_masked").alias("kind"), pl.col("phone_masked").alias("value"), "member_id",
                             pl.lit(False).alias("is_weak")))
    if weak_names:
        parts.append(recs.select(pl.lit("wecom_name").alias("kind"), pl.col("wecom_name").alias("value"), "member_id",
                                 pl.lit(True).alias("is_weak")))
    ids = pl.concat(parts).filter(pl.col("value").is_not_null()).unique()
    strong = ids.filter(pl.col("kind").is_in([k for k, _ in STRONG]))
    strong = strong.sort("member_id").unique(["kind", "value"], keep="first")
    return pl.concat([strong, ids.filter(~pl.col("kind").is_in([k for k, _ in STRONG]))])


def new_member_rows(recs: pl.DataFrame, source: str) -> pl.DataFrame:
    """One row per member created by this import."""
    return (recs.filter(pl.col("new")).group_by("member_id").agg(
        pl.col("display_name").sort_by("joined_at").drop_nulls().first(), pl.col("joined_at").min(),
        pl.col("channel").sort_by("joined_at").drop_nulls().first())
        .with_columns(pl.lit(source).alias("source")).sort("member_id"))


def touched_member_rows(recs: pl.DataFrame) -> pl.DataFrame:
    """Existing members this import may complete: earliest join time, first name/channel seen."""
    return (recs.filter(pl.col("existed")).group_by("member_id").agg(
        pl.col("display_name").sort_by("joined_at").drop_nulls().first(), pl.col("joined_at").min(),
        pl.col("channel").sort_by("joined_at").drop_nulls().first()))
