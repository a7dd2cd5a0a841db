"""Saved segments (已存分群): a named member population — channel, tier, staff, tag, an RFM segment, a group
layer and a group — kept in
the database (`saved_segments`, migration 009) so that every page and metric can take it as its population
(`?segment=NAME`, `--param segment=NAME`; siyu.engine.population resolves it).

The definition is a small JSON object of plain strings, checked strictly here both when it is saved and when
it is read back: a value from a URL or a form never reaches SQL other than as a bound parameter. The members
are recomputed from the data each time the segment is used, so a segment follows new imports.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import duckdb
import polars as pl

from siyu.auth import audit
from siyu.db import execute, query, writing
from siyu.db.scope import MAX_VALUE, Scope
from siyu.errors import SiyuError

MAX_NAME = 40
RFM_STANDARDS = ("cn", "classic")
RFM_CN = ("重要价值客户", "重要保持客户", "重要发展客户", "重要挽留客户",
          "一般价值客户", "一般保持客户", "一般发展客户", "一般挽留客户")
RFM_CLASSIC = ("Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
               "About To Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost")
"""The labels siyu.metrics.rfm_segments gives (tests/metrics/test_segments_saved.py checks they match)."""
LAYERS = ("mass", "core", "super", "other")
"""The group layers (siyu.metrics.groups.LAYERS): 大群, 核心群, 超级用户群, 其他."""


class SegmentError(SiyuError):
    """A segment name or definition that cannot be saved or used."""


@dataclass(frozen=True)
class SegmentRules:
    """What a saved segment keeps: the member filters of the pages (store restricts orders, not members, so
    it is not part of a population) and optionally one RFM segment of one standard."""

    channel: str | None = None
    tier: str | None = None
    staff: str | None = None
    tag: str | None = None
    rfm_standard: str | None = None
    rfm_segment: str | None = None
    layer: str | None = None
    """Members in a group of this layer (LAYERS) at the end of the data's last day."""
    group: str | None = None
    """Members in this group (groups.group_id) at the end of the data's last day."""

    def scope(self) -> Scope:
        """The global-filter part of the rules."""
        return Scope(channel=self.channel, tier=self.tier, staff=self.staff, tag=self.tag)

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v is not None}, ensure_ascii=False, sort_keys=True)

    def pairs(self) -> list[tuple[str, str]]:
        """The rules in force, as (rule, value) pairs (for captions and the audit log)."""
        return [(k, v) for k, v in asdict(self).items() if v is not None]


def check_rules(rules: SegmentRules) -> SegmentRules:
    """The rules as given, or a SegmentError naming what is wrong."""
    for f in fields(rules):
        value = getattr(rules, f.name)
        if value is not None and (not isinstance(value, str) or not 0 < len(value) <= MAX_VALUE):
            raise SegmentError(f"分群条件 {f.name} 不是有效的文字（1–{MAX_VALUE} 个字符）/ {f.name} must be 1-{MAX_VALUE} characters")
    if (rules.rfm_standard is None) != (rules.rfm_segment is None):
        raise SegmentError("RFM 分群需要同时给出标准和分群名 / an RFM segment needs both its standard and its name")
    if rules.rfm_standard is not None:
        labels = RFM_CN if rules.rfm_standard == "cn" else RFM_CLASSIC if rules.rfm_standard == "classic" else None
        if labels is None:
            raise SegmentError(f"RFM 标准只能是 {' | '.join(RFM_STANDARDS)} / the RFM standard must be cn or classic")
        if rules.rfm_segment not in labels:
            raise SegmentError(f"没有名为 {rules.rfm_segment!r} 的 RFM 分群；可用：{'、'.join(labels)} / unknown RFM segment")
    if rules.layer is not None and rules.layer not in LAYERS:
        raise SegmentError(f"社群层级只能是 {' | '.join(LAYERS)}（大群、核心群、超级用户群、其他）/ the group layer must be one of "
                           f"{', '.join(LAYERS)}")
    if not rules.pairs():
        raise SegmentError("分群至少需要一个条件（渠道、等级、导购、标签、RFM 分群、社群层级或社群）/ a segment needs at least one rule")
    return rules


def parse_rules(text: str) -> SegmentRules:
    """A stored definition back into rules (strictly: unknown keys or non-strings are refused)."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise SegmentError("分群定义已损坏 / the stored segment definition is not valid JSON") from exc
    known = {f.name for f in fields(SegmentRules)}
    if not isinstance(raw, dict) or set(raw) - known or not all(isinstance(v, str) for v in raw.values()):
        raise SegmentError("分群定义已损坏 / the stored segment definition has unknown rules")
    return check_rules(SegmentRules(**raw))


def check_name(name: object) -> str:
    """A segment name: 1–40 characters after trimming, no control characters."""
    text = name.strip() if isinstance(name, str) else ""
    if not 0 < len(text) <= MAX_NAME or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise SegmentError(f"分群名称需要 1–{MAX_NAME} 个字符，不能含控制字符 / a segment name is 1-{MAX_NAME} printable characters")
    return text


def get_rules(con: duckdb.DuckDBPyConnection, name: str) -> SegmentRules:
    """The rules of the saved segment `name` (SegmentError when there is none). `con`: an unscoped connection."""
    found = query(con, "sgm_get", {"name": name})
    if found.is_empty():
        raise SegmentError(f"没有名为 {name!r} 的已存分群 / no saved segment named {name!r}")
    return parse_rules(found.item(0, "definition"))


def list_segments(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """name, definition, created_by, created_at, updated_at of every saved segment."""
    return query(con, "sgm_list")


def save_segment(db: Path, name: str, rules: SegmentRules, *, by: str, timeout: float = 30.0) -> str:
    """Save (or redefine) a segment; audited as `segment_saved`. Returns the name as stored."""
    name = check_name(name)
    rules = check_rules(rules)
    with writing(db, timeout) as con:
        execute(con, "sgm_save", {"name": name, "definition": rules.to_json(), "by": by})
        audit.write(con, by, "segment_saved", detail=f"{name}: {rules.to_json()}")
    return name


def delete_segment(db: Path, name: str, *, by: str, timeout: float = 30.0) -> None:
    with writing(db, timeout) as con:
        execute(con, "sgm_delete", {"name": name})
        audit.write(con, by, "segment_deleted", detail=name)
