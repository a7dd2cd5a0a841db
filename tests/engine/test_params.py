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


def test_every_metric_in_the_catalog_has_its_typed_parameter_class() -> None:
    """Each spec parses its strings into a frozen dataclass (the runner's second argument's type), so no
    runner reads strings; a spec without `parse` would still run (its runner takes the strings)."""
    import dataclasses
    import typing

    from siyu.engine.catalog import CATALOG

    for name, spec in CATALOG.items():
        assert spec.parse is not None, name
        cls = spec.parse.__self__  # type: ignore[attr-defined]  # the class of the classmethod
        assert dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen, name  # type: ignore[attr-defined]
        hints = typing.get_type_hints(spec.run)
        assert list(hints.values())[1] is cls, name
        defaults_only = {k: v for k, v in {"cohort_start": "2024-01-01", "period_start": "2024-01-01",
                                            "tier": "金卡", "channel": "门店", "layer": "core"}.items()
                         if k in spec.params}
        assert isinstance(spec.parse_params(defaults_only), cls), name


def test_a_spec_without_a_parameter_class_gets_the_strings() -> None:
    """The add-a-metric path before typed classes keeps working (new metrics merged from other branches)."""
    from siyu.engine.spec import MetricSpec

    seen = []
    spec = MetricSpec(name="x", summary="x", params={"a": "help"}, defaults={"a": "1"},
                      run=lambda ctx, params: seen.append(params))  # type: ignore[func-returns-value]
    assert spec.parse_params({}) == {"a": "1"}
    assert spec.parse_params({"a": "2"}) == {"a": "2"}


@pytest.mark.parametrize(("name", "params", "message"), [
    ("kpi_trend", {"start": "2024-02-01", "end": "2024-01-01", "grain": "year"}, "开始日期 2024-02-01 晚于结束日期"),
    ("kpi_trend", {"grain": ""}, "grain=''：只能是 day、week 或 month / grain must be day, week or month"),
    ("clv", {"unit": "month", "calibration_end": "x"}, "unit='month'：只能是 week 或 day"),
    ("clv_members", {"discount_monthly": "-1"}, "参数 discount_monthly='-1'：不能小于 0.0"),
    ("super_users", {"view": "x"}, "参数 view='x'：只能是 members | layers"),
    ("super_users", {"launch_window": "0"}, "参数 launch_window='0'：需要 >= 1 的整数"),
    ("tier_members", {"start": "x"}, "需要 tier（等级名称，未定级写「未定级」）/ tier is required"),
    ("tier_migration", {"to": "2024-13-01"}, "参数 to='2024-13-01' 不是日期"),
    ("member_contacts", {"ids": "1,x"}, "参数 ids 只能是逗号分隔的会员编号"),
    ("referral_leaderboard", {"exclude_coupon_only": "maybe"}, "参数 exclude_coupon_only='maybe'：只能是 true 或 false"),
    ("referred_vs_organic", {"window": "0"}, "参数 window='0'：需要 >= 1 的整数"),
    ("friend_survival", {"days": "1,a"}, "参数 days='1,a'：写成 1,7,30"),
    ("friend_survival", {"days": "0,7"}, "参数 days 需要正整数 / days must be positive"),
    ("channel_costs", {"gmv_days": "0"}, "参数 gmv_days='0'：需要 >= 1 的整数"),
    ("channel_members", {"by": "x"}, "需要 channel（渠道名称，未知渠道写「未知」）"),
    ("channel_members", {"channel": "门店", "by": "x"}, "参数 by='x'：只能是 member | friend_channel | add_way"),
    ("lifecycle_members", {"status": "x"}, "需要 period_start（该期间的第一天）/ period_start is required"),
    ("lifecycle_members", {"period_start": "2024-01-01", "status": "x"}, "参数 status='x'：只能是 new | returning"),
    ("segment_members", {"standard": "x"}, "参数 standard='x'：只能是 cn | classic"),
    ("segment_members", {"r_cut": "abc"}, "参数 r_cut='abc' 不是数字 / r_cut must be a number"),
    ("rfm", {"unit": "month"}, "参数 unit='month'：只能是 day | week"),
    ("referrals", {"root": "-3"}, "参数 root='-3'：需要 >= 0 的整数"),
    ("staff", {"start": "2025-06-01", "end": "2025-01-01"}, "开始日期 2025-06-01 晚于结束日期 2025-01-01"),
    ("group_members", {"group_id": "g1", "layer": "core"}, "需要 group_id 或 layer 其中之一"),
    ("group_members", {"layer": "core", "measure": "x", "end": "bad"}, "参数 measure='x'：只能是 joined"),
    ("campaign_lift", {"windows": "0"}, "参数 windows 需要 1 到 365 之间的天数"),
    ("campaign_lift", {"bootstrap": "200000", "end": "bad"}, "参数 bootstrap 最多 100000"),
    ("points_liability", {"value": "-1"}, "积分价值需在 0 到 1000 元之间"),
    ("points_liability", {"view": "members", "top": "x"}, "参数 top='x'：需要 >= 0 的整数"),
    ("redeemer_uplift", {"window": "0", "end": "bad"}, "参数 window='0'：需要 >= 1 的整数"),
    ("tier_downgrades", {"view": "x", "end": "bad"}, "参数 view='x'：只能是 paths | members"),
    ("near_next_tier", {"within": "-1"}, "参数 within='-1'：不能小于 0.0"),
    ("paid_members", {"view": "members", "window": "0"}, "参数 window='0'：需要 >= 1 的整数"),
])
def test_refusals_happen_in_the_parameter_class(name: str, params: dict[str, str], message: str) -> None:
    """The messages the CLI and the pages show, raised by parsing alone (no database is read)."""
    from siyu.engine.catalog import CATALOG

    with pytest.raises(MetricError) as info:
        CATALOG[name].parse_params(params)
    assert str(info.value).startswith(message)


def test_parsed_values() -> None:
    from siyu.engine.channels import ChannelCostsParams, FriendSurvivalParams
    from siyu.engine.cohorts import SegmentMembersParams
    from siyu.engine.members import MemberContactsParams
    from siyu.engine.referrals import LeaderboardParams, ReferralsParams
    from siyu.engine.value import AtRiskParams, FitParams

    assert MemberContactsParams.parse({"ids": "3, 1,2,3"}) == MemberContactsParams((1, 2, 3))
    assert ReferralsParams.parse({"view": "members", "root": "0"}) == ReferralsParams("members", 0)
    assert ReferralsParams.parse({"root": ""}) == ReferralsParams("members", None)
    assert LeaderboardParams.parse({"exclude_deleted": "yes", "top": "0"}) == LeaderboardParams(False, True, 0, 990)
    assert FriendSurvivalParams.parse({"days": "1,7"}).horizons == (1, 7)
    assert ChannelCostsParams.parse({"end": "2024-03-31"}) == ChannelCostsParams(
        "member", 90, DateRange(None, dt.date(2024, 3, 31)))
    assert AtRiskParams.parse({"unit": "day", "top_share": "0.1"}) == AtRiskParams(FitParams("day"), 90, 0.1, 0.5)
    parsed = SegmentMembersParams.parse({"segment": "重要价值客户", "m_cut": "100", "r_cut": ""})
    assert (parsed.standard, parsed.segment, parsed.cuts.m_cut, parsed.cuts.r_cut) == ("cn", "重要价值客户", 100.0, None)


def test_parsed_values_of_the_relation_group_campaign_point_and_tier_metrics() -> None:
    """Parameters a view does not read are not checked (as before the classes: `top` outside view=members)."""
    from decimal import Decimal

    from siyu.engine.campaigns import CampaignLiftParams
    from siyu.engine.points import PointsLiabilityParams
    from siyu.engine.relations import TagsParams, WecomListParams
    from siyu.engine.tier_economics import DowngradesParams, PaidMembersParams

    assert TagsParams.parse({"group": ""}) == TagsParams(DateRange(), None)
    assert WecomListParams.parse({"label": ""}) == WecomListParams(None, "siyu分群")
    assert CampaignLiftParams.parse({"windows": "7,14", "end": "2024-03-31"}) == CampaignLiftParams(
        None, (7, 14), 0, 2000, dt.date(2024, 3, 31))
    assert PointsLiabilityParams.parse({"value": "0", "top": "x"}) == PointsLiabilityParams(None, Decimal("0"), "summary", 0)
    assert DowngradesParams.parse({"view": "members", "end": "bad"}) == DowngradesParams("members", None)
    assert PaidMembersParams.parse({"window": "x"}) == PaidMembersParams(None, "plans", 365)
