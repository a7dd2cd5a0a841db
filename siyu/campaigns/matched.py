"""Comparison groups for campaigns planned outside siyu (imported sends without a holdout).

- named: the operator lists the comparison members (a member list file); members of the list who were
  sent in the campaign are dropped from it.
- matched: siyu builds one from the campaign's source (`--from`, or the source stored with it): members of
  the source who were not sent, matched stratum by stratum (recency/frequency/value terciles computed from
  orders paid before the campaign's first send day, siyu.metrics.campaign_split.strata) — as many as were
  sent in each stratum when the pool allows, drawn with a seeded generator. It is NOT a randomised holdout:
  the campaign is then marked `comparison = matched` and the lift says so (docs/campaigns.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from siyu.campaigns import sources, store
from siyu.campaigns.member_list import members_in_file
from siyu.campaigns.plan import member_features
from siyu.config import Settings
from siyu.db import query, reading, writing
from siyu.engine.context import read_context
from siyu.errors import SiyuError
from siyu.ingest.sqlrun import run, stage
from siyu.metrics.campaign_split import strata


def matched_group(sent: pl.DataFrame, pool: pl.DataFrame, seed: int) -> pl.DataFrame:
    """member_id, stratum: for each stratum of `sent` (member_id, stratum), as many members of `pool` (same
    columns) in that stratum as were sent, or all of them when fewer; drawn in member_id order by seed."""
    want = sent.group_by("stratum").len()
    rng = np.random.default_rng(seed)
    keyed = pool.sort("member_id").with_columns(pl.Series("_key", rng.random(pool.height)))
    return (keyed.join(want, on="stratum").sort("stratum", "_key")
            .filter(pl.int_range(pl.len()).over("stratum") < pl.col("len"))
            .select("member_id", "stratum").sort("member_id"))


def compare(settings: Settings, name: str, *, members: Path | None = None, matched: bool = False, seed: int = 0,
            source: str | None = None) -> dict[str, Any]:
    if bool(members) == bool(matched):
        raise SiyuError("campaign compare 需要 --members 名单 或 --matched 二选一 / give either --members or --matched")
    store.db_exists(settings.db)
    with reading(settings.db, settings.lock_timeout) as con:
        row = store.campaign(con, name)
        if row is None:
            raise SiyuError(f"没有名为 {name!r} 的活动；先导入它的发送记录 / no campaign {name!r}: import its sends first")
        if row["origin"] == "plan":
            raise SiyuError(f"活动 {name!r} 由 siyu 规划，已有随机对照组 / {name!r} was planned in siyu and has a random holdout")
        sent = query(con, "cmp_sent_members", {"campaign": name})
        if sent.is_empty():
            raise SiyuError(f"活动 {name!r} 还没有发送记录 / campaign {name!r} has no sends yet")
        first_day = sent["sent_at"].min().date()  # type: ignore[union-attr]
        ctx = read_context(con)
        if members is not None:
            listed = members_in_file(con, members)
            group = pl.DataFrame({"member_id": listed.ids}).join(sent, on="member_id", how="anti").with_columns(
                pl.lit(None, dtype=pl.String).alias("stratum"))
            how, note, shortfall = "named", f"对照组：名单 {members.name}（{listed.rows} 行，{listed.unmatched} 行未匹配）", 0
            source = None
        else:
            source = source or row["source"]
            if not source:
                raise SiyuError("构建匹配对照组需要 --from（活动的来源分群）/ --matched needs --from (the campaign's source)")
            ids = sources.resolve(ctx, source)
            features = member_features(ctx, ids, before=first_day)
            cells = strata(features)
            sent_cells = cells.join(sent, on="member_id", how="semi")
            pool = cells.join(sent, on="member_id", how="anti")
            group = matched_group(sent_cells, pool, seed)
            shortfall = sent_cells.height - group.height
            how = "matched"
            note = (f"匹配对照组：来源 {source} 中未发送的会员，按发送前的 R/F/V 三分位分层匹配（非随机对照）"
                    f"；{sent_cells.height - shortfall}/{sent_cells.height} 人配上")
    if group.is_empty():
        raise SiyuError("对照组是空的（来源里的会员都被发送了，或名单里的人都在发送组）/ the comparison group is empty")
    with writing(settings.db, settings.lock_timeout) as con:
        stage(con, "stg_cmp_members", group.select("member_id", "stratum"))
        run(con, "cmp_comparison_write", {"campaign": name, "comparison": how, "note": note, "source": source})
    return {"campaign": name, "comparison": how, "members": group.height, "sent": sent.height,
            "unmatched_sent": shortfall, "note": note}
