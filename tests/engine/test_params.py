"""Typed parameters, parsed and checked once per run (siyu.engine.cohorts): defaults, values, refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.engine.cohorts import CohortMembersParams, RetentionParams
from siyu.errors import MetricError
from siyu.metrics.periods import DateRange


def test_retention_defaults_and_values() -> None:
    assert RetentionParams.parse({}) == RetentionParams("first_order", "month", "members", "on", DateRange())
    assert RetentionParams.parse({"cohort": "channel", "grain": "week", "measure": "revenue", "mode": "on_or_after",
                                  "start": "2024-01-01", "end": "2024-03-31"}) == RetentionParams(
        "channel", "week", "revenue", "on_or_after", DateRange(dt.date(2024, 1, 1), dt.date(2024, 3, 31)))


@pytest.mark.parametrize(("params", "message"), [
    ({"grain": "year"}, "参数 grain='year'：只能是 day | week | month / grain must be one of ('day', 'week', 'month')"),
    ({"cohort": "x", "grain": "year"}, "参数 cohort='x'：只能是 first_order | joined | channel"),
    ({"start": "2024-02-01", "end": "2024-01-01"}, "开始日期 2024-02-01 晚于结束日期 2024-01-01 / start is after end"),
    ({"end": "soon"}, "参数 end='soon' 不是日期，请写成 2024-03-05 / end must be an ISO date"),
])
def test_retention_refusals(params: dict[str, str], message: str) -> None:
    with pytest.raises(MetricError) as info:
        RetentionParams.parse(params)
    assert str(info.value).startswith(message)


def test_cohort_members_needs_its_cell() -> None:
    with pytest.raises(MetricError, match="需要 cohort_start"):
        CohortMembersParams.parse({"period": "1"})
    assert CohortMembersParams.parse({"cohort_start": "2024-01-01", "period": "2", "end": "2024-06-30"}) == \
        CohortMembersParams(dt.date(2024, 1, 1), period=2, end=dt.date(2024, 6, 30))
    with pytest.raises(MetricError, match="period"):
        CohortMembersParams.parse({"cohort_start": "2024-01-01", "period": "-1"})
