"""The relationship metrics: the staff scorecard (导购), tags (标签) and saved segments' member lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from siyu.db import query
from siyu.engine import inputs
from siyu.engine.context import ReadContext
from siyu.engine.params import RangeParams, as_of, order_days, parse_range
from siyu.engine.spec import MetricSpec
from siyu.metrics.periods import DateRange


def _run_staff(ctx: ReadContext, p: RangeParams) -> pl.DataFrame:
    from siyu.metrics.staff import SCHEMA, staff_scorecard

    day = as_of(ctx, p.days.end)
    if day is None:
        return pl.DataFrame(schema=SCHEMA)
    return staff_scorecard(query(ctx.con, "m_staff_friends").lazy(), query(ctx.con, "m_staff").lazy(),
                           order_days(ctx), start=p.days.start, end=p.days.end or day, as_of=day,
                           groups=query(ctx.con, "m_staff_groups").lazy())


_STAFF = MetricSpec(
    name="staff",
    summary="导购记分卡：加好友、1/7/30天删除（客户删 vs 导购删）、转化、好友GMV与复购、排行 / staff scorecard",
    params={"start": "first add day (optional)", "end": "last add day and as-of day (default: the data's last day)"},
    parse=RangeParams.parse,
    run=_run_staff,
)


@dataclass(frozen=True)
class TagsParams:
    days: DateRange = DateRange()
    group: str | None = None
    """One tag group only (None: every group)."""

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> TagsParams:
        return cls(parse_range(params), params.get("group") or None)


def _run_tags(ctx: ReadContext, p: TagsParams) -> pl.DataFrame:
    from siyu.metrics.tags import SCHEMA, tag_breakdown

    day = as_of(ctx, p.days.end)
    if day is None:
        return pl.DataFrame(schema=SCHEMA)
    return tag_breakdown(query(ctx.con, "m_member_tags").lazy(), inputs.friends(ctx), order_days(ctx),
                         start=p.days.start, end=p.days.end or day, as_of=day, group=p.group)


_TAGS = MetricSpec(
    name="tags",
    summary="标签：每个标签组的各标签的会员、购买人、GMV、复购与好友留存 / members, buyers, GMV and retention per tag",
    params={"start": "first order day (optional)", "end": "last order day and as-of day (default: the data's last day)",
            "group": "one tag group only, e.g. 孩子年龄 (default: every group)"},
    parse=TagsParams.parse,
    run=_run_tags,
)

DEFAULT_TAG_GROUP = "siyu分群"


@dataclass(frozen=True)
class WecomListParams:
    label: str | None = None
    """The tag to put on the members (None: the saved segment's name, known only from the run's scope)."""
    label_group: str = DEFAULT_TAG_GROUP

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> WecomListParams:
        return cls(params.get("label") or None, params.get("label_group") or DEFAULT_TAG_GROUP)


def _run_wecom_list(ctx: ReadContext, p: WecomListParams) -> pl.DataFrame:
    """The population (global filters, a saved segment) as a WeCom member list: one row per open friendship."""
    scope = dict(ctx.scope.key) if ctx.scope else {}
    label = p.label or scope.get("segment") or ""
    frame = query(ctx.con, "sgm_wecom_list")
    return frame.with_columns(pl.lit(p.label_group, pl.String).alias("tag_group"), pl.lit(label, pl.String).alias("tag"))


_WECOM_LIST = MetricSpec(
    name="wecom_list",
    summary="企微名单：当前范围（筛选、已存分群）内仍是好友的会员，按企微打标签/群发导入的列 / members as a WeCom tag-import and 群发 list",
    params={"label": "the tag to put on them (default: the saved segment's name)",
            "label_group": f"its tag group (default {DEFAULT_TAG_GROUP})"},
    parse=WecomListParams.parse,
    run=_run_wecom_list,
)

SPECS: tuple[MetricSpec, ...] = (_STAFF, _TAGS, _WECOM_LIST)
