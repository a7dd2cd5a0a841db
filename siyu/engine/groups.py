"""The customer-group metrics (社群): the group scorecard, the layer pyramid and the moves between layers,
the members behind a number, the daily group statistic (`python -m siyu metric groups|group_layers|...`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import EndParams, NoParams, choice, order_days
from siyu.engine.spec import MetricSpec
from siyu.errors import MetricError
from siyu.metrics.periods import parse_date

END = {"end": "as-of day (default: the data's last day, group data included)"}


def groups_frame(ctx: ReadContext) -> pl.LazyFrame:
    """group_id, group_name, group_type of every group."""
    return query(ctx.con, "m_groups").lazy()


def layer_rules(ctx: ReadContext) -> pl.LazyFrame:
    """position, pattern, layer of the operator's rules."""
    return query(ctx.con, "m_group_layer_rules").lazy()


def memberships(ctx: ReadContext) -> pl.LazyFrame:
    """group_id, member_id, joined_at, left_at (in the scope of the context)."""
    return query(ctx.con, "m_group_memberships").lazy()


def group_as_of(ctx: ReadContext, end: dt.date | None) -> dt.date | None:
    """The data's last day (orders, members, friendships, and group joins, leaves, snapshots, daily
    statistics), or `end` when that is earlier; None when there is no data at all."""
    days = [d for d in (inputs.data_last_day(ctx), query(ctx.con, "m_group_last_day").item(0, 0)) if d is not None]
    if not days:
        return None
    return min(max(days), end) if end else max(days)


def _run_groups(ctx: ReadContext, p: EndParams) -> pl.DataFrame:
    from siyu.metrics.groups import SCHEMA, group_scorecard

    as_of = group_as_of(ctx, p.end)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return group_scorecard(groups_frame(ctx), layer_rules(ctx), memberships(ctx), order_days(ctx), as_of=as_of)


def _run_group_layers(ctx: ReadContext, p: EndParams) -> pl.DataFrame:
    from siyu.metrics.group_layers import SCHEMA, layer_pyramid

    as_of = group_as_of(ctx, p.end)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return layer_pyramid(groups_frame(ctx), layer_rules(ctx), memberships(ctx), order_days(ctx), as_of=as_of)


def _run_group_layer_moves(ctx: ReadContext, p: EndParams) -> pl.DataFrame:
    from siyu.metrics.group_layers import MOVES_SCHEMA, layer_moves

    as_of = group_as_of(ctx, p.end)
    if as_of is None:
        return pl.DataFrame(schema=MOVES_SCHEMA)
    return layer_moves(groups_frame(ctx), layer_rules(ctx), memberships(ctx), as_of=as_of)


@dataclass(frozen=True)
class GroupMembersParams:
    group_id: str | None
    layer: str | None
    """Exactly one of group_id and layer is given."""
    measure: str = "joined"
    end: dt.date | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> GroupMembersParams:
        from siyu.metrics.group_members import MEASURES

        group, layer = params.get("group_id"), params.get("layer")
        if bool(group) == bool(layer):
            raise MetricError("需要 group_id 或 layer 其中之一 / give exactly one of group_id or layer")
        measure = choice(params, "measure", MEASURES, "joined")
        return cls(group, layer, measure, parse_date(params.get("end"), "end"))


def _run_group_members(ctx: ReadContext, p: GroupMembersParams) -> pl.DataFrame:
    from siyu.metrics.group_members import SCHEMA, group_members

    as_of = group_as_of(ctx, p.end)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return group_members(groups_frame(ctx), layer_rules(ctx), memberships(ctx), order_days(ctx), as_of=as_of,
                         group_id=p.group_id, layer=p.layer, measure=p.measure)


def _run_group_layer_rule_rows(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    return query(ctx.con, "m_group_layer_rules")


def _run_group_daily(ctx: ReadContext, p: NoParams) -> pl.DataFrame:
    return query(ctx.con, "m_group_daily")


SPECS: tuple[MetricSpec, ...] = (
    MetricSpec("groups", "社群记分卡：每个群的入群、在群、退群、入群后购买、GMV 前后对比、复购 / one row per group",
               dict(END), _run_groups, parse=EndParams.parse),
    MetricSpec("group_layers", "社群分层金字塔：大群 → 核心群 → 超级用户群的人数、购买、GMV 占比、ARPU、留存 / the layer pyramid",
               dict(END), _run_group_layers, parse=EndParams.parse),
    MetricSpec("group_layer_moves", "社群分层流动：每月从一层到另一层的人数 / members moving between layers per month",
               dict(END), _run_group_layer_moves, parse=EndParams.parse),
    MetricSpec("group_members", "社群记分卡某个数字背后的会员 / the members behind one number of groups or group_layers",
               {"group_id": "the group (or layer)", "layer": "mass | core | super | other (or group_id)",
                "measure": "joined | members_now | left_7d | left_30d | buyers_30d | buyers_90d | buyers (default joined)",
                **END}, _run_group_members, parse=GroupMembersParams.parse),
    MetricSpec("group_layer_rule_rows", "群分层规则（群名关键词 → 分层，按顺序）/ the saved name → layer rules", {},
               _run_group_layer_rule_rows, parse=NoParams.parse),
    MetricSpec("group_daily", "客户群每日统计（各群主合计）/ the daily group statistic, summed over owners", {},
               _run_group_daily, parse=NoParams.parse),
)
"""This domain's metrics, in the catalog (siyu.engine.catalog)."""
