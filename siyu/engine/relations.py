"""The relationship metrics: the staff scorecard (导购), tags (标签) and saved segments' member lists."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from siyu.db import query
from siyu.engine.context import ReadContext
from siyu.engine.params import as_of_range, order_days
from siyu.engine.spec import MetricSpec


def _run_staff(ctx: ReadContext, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.staff import SCHEMA, staff_scorecard

    rng, as_of = as_of_range(ctx, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return staff_scorecard(query(ctx.con, "m_staff_friends").lazy(), query(ctx.con, "m_staff").lazy(),
                           order_days(ctx), start=rng.start, end=rng.end or as_of, as_of=as_of)


_STAFF = MetricSpec(
    name="staff",
    summary="导购记分卡：加好友、1/7/30天删除（客户删 vs 导购删）、转化、好友GMV与复购、排行 / staff scorecard",
    params={"start": "first add day (optional)", "end": "last add day and as-of day (default: the data's last day)"},
    run=_run_staff,
)

SPECS: tuple[MetricSpec, ...] = (_STAFF,)
