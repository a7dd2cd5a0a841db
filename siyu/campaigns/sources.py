"""`--from SOURCE`: which members a campaign starts from, through a small registry of resolvers.

A source is `KIND:ARGUMENT` or a bare word:
- `rfm:重要挽留客户` / `rfm:At Risk` (or the bare segment name): an RFM segment, either standard
  (siyu.metrics.rfm_segments, default cut-offs);
- `at_risk` (also `at-risk`, `at_risk_super_users`): the at-risk super users (siyu.metrics.at_risk);
- `file:PATH` (or a bare path to an existing .csv/.xlsx): an uploaded member list (siyu.campaigns.member_list).

Saved segments (another branch, migration 009) plug in with one call, without touching this module's callers:
`register_source("saved", resolve_saved_segment, "保存的分群 saved segment")`, after which `saved:NAME` works
in the CLI and on the page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from siyu.engine.context import ReadContext
from siyu.errors import SiyuError

Resolver = Callable[[ReadContext, str], pl.Series]
"""(read context, the argument after `KIND:`) -> the member ids (siyu ids, Int64) of the source."""


@dataclass(frozen=True)
class SourceKind:
    kind: str
    resolve: Resolver
    label: str


SOURCES: dict[str, SourceKind] = {}
AT_RISK_NAMES = ("at_risk", "at-risk", "at_risk_super_users", "高价值流失预警")


def register_source(kind: str, resolve: Resolver, label: str) -> None:
    """Make `KIND:ARGUMENT` a source. A kind already registered is replaced (tests, plug-ins)."""
    SOURCES[kind] = SourceKind(kind, resolve, label)


def _ids(frame: pl.DataFrame) -> pl.Series:
    return frame["member_id"].cast(pl.Int64).unique().sort()


def _rfm(ctx: ReadContext, name: str) -> pl.Series:
    from siyu.engine.catalog import CATALOG

    spec = CATALOG["rfm_segments"]
    frame = spec.run(ctx, spec.parse_params({"view": "members"}))  # runners take their typed parameters
    chosen = frame.filter((pl.col("cn_segment") == name) | (pl.col("segment") == name))
    if chosen.is_empty():
        known = sorted(set(frame["cn_segment"].to_list()) | set(frame["segment"].to_list()))
        raise SiyuError(f"没有名为 {name!r} 的 RFM 分群（或它是空的）；可选：{'、'.join(known) or '（无购买数据）'}"
                        f" / no RFM segment {name!r} with members")
    return _ids(chosen)


def _at_risk(ctx: ReadContext, _: str) -> pl.Series:
    from siyu.engine.catalog import CATALOG

    spec = CATALOG["at_risk_super_users"]
    return _ids(spec.run(ctx, spec.parse_params({})))


def _file(ctx: ReadContext, path: str) -> pl.Series:
    from siyu.campaigns.member_list import members_in_file

    return members_in_file(ctx.con, Path(path)).ids


register_source("rfm", _rfm, "RFM 分群 RFM segment")
register_source("at_risk", _at_risk, "高价值流失预警 at-risk super users")
register_source("file", _file, "上传的会员名单 member list file")


def split_source(text: str) -> tuple[str, str]:
    """(kind, argument) of a `--from` text; a bare word is a known alias, an existing list file or an RFM segment."""
    text = text.strip()
    if not text:
        raise SiyuError("--from 不能为空 / --from is empty")
    kind, sep, arg = text.partition(":")
    if sep and kind in SOURCES:
        return kind, arg.strip()
    if text in AT_RISK_NAMES:
        return "at_risk", ""
    if Path(text).suffix.lower() in (".csv", ".xlsx", ".txt") and Path(text).exists():
        return "file", text
    return "rfm", text


def resolve(ctx: ReadContext, text: str) -> pl.Series:
    """The member ids of a source; a source with no members is an error (nothing to plan)."""
    kind, arg = split_source(text)
    ids = SOURCES[kind].resolve(ctx, arg)
    if ids.is_empty():
        raise SiyuError(f"来源 {text!r} 没有会员 / the source {text!r} has no members")
    return ids.alias("member_id")
