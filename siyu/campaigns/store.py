"""Reading and writing campaigns (migration 010): plans, their members, comparison groups."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from siyu.db import query
from siyu.errors import SiyuError
from siyu.ingest.sqlrun import run, stage

MAX_NAME = 80


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name):
        raise SiyuError(f"活动名称需要 1–{MAX_NAME} 个可见字符 / the campaign name needs 1–{MAX_NAME} visible characters")
    return name


def campaign(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, Any] | None:
    found = query(con, "cmp_campaign_get", {"campaign": name})
    return found.row(0, named=True) if found.height else None


def campaigns(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return query(con, "cmp_campaigns")


def members(con: duckdb.DuckDBPyConnection, name: str | None = None) -> pl.DataFrame:
    return query(con, "cmp_members", {"campaign": name})


def write_plan(con: duckdb.DuckDBPyConnection, *, name: str, source: str, planned_at: dt.datetime, planned_by: str,
               seed: int, holdout: float, variants: tuple[str, ...], split: pl.DataFrame, note: str | None = None) -> None:
    """Inside a writing() transaction: refuses a name already used (a plan is never silently replaced)."""
    if campaign(con, name) is not None:
        raise SiyuError(f"已有名为 {name!r} 的活动；请换一个名称 / a campaign named {name!r} exists; choose another name")
    stage(con, "stg_cmp_members", split.select("member_id", "arm", "variant", "stratum"))
    run(con, "cmp_plan_write", {"campaign": name, "source": source, "planned_at": planned_at, "planned_by": planned_by,
                                "seed": seed, "holdout_share": holdout, "variants": ",".join(v for v in variants if v),
                                "note": note})


def db_exists(path: Path) -> None:
    if not Path(path).exists():
        raise SiyuError(f"数据库 {path} 不存在 / no database at {path}")
