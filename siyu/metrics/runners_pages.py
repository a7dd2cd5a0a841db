"""Registry entries the dashboard pages need besides the analytics metrics: snapshot dates for the
tier-migration pickers and the contact columns of a recall list.

Kept apart from the analytics runners (another team owns them); the functions here only read.
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import polars as pl

from siyu.errors import MetricError
from siyu.metrics import inputs
from siyu.metrics.registry import MetricSpec, register

MAX_IDS = 1_000_000  # the longest recall list a page asks contacts for (a segment of a very large brand)


def parse_ids(raw: str | None) -> list[int]:
    """'3,1,2' -> [1, 2, 3]: member ids as integers, strictly (digits and commas only), at most MAX_IDS."""
    if raw in (None, ""):
        return []
    parts = raw.split(",")
    if len(parts) > MAX_IDS or not all(p.strip().isascii() and p.strip().isdigit() for p in parts):
        raise MetricError(f"参数 ids 只能是逗号分隔的会员编号（最多 {MAX_IDS} 个）/ ids must be comma-separated member ids")
    return sorted({int(p) for p in parts})


def _run_snapshot_dates(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    dates = inputs.snapshot_dates(con)
    return pl.DataFrame({"snapshot_date": dates}, schema={"snapshot_date": pl.Date})


def _run_member_contacts(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    return inputs.member_contacts(con, parse_ids(params.get("ids")))


register(MetricSpec(
    name="snapshot_dates",
    summary="会员导出快照的日期（新到旧）/ member-export snapshot dates, newest first",
    params={},
    run=_run_snapshot_dates,
))
register(MetricSpec(
    name="member_contacts",
    summary="名单会员的昵称、手机号与最近下单日（召回名单用）/ name, phone and last order of listed members",
    params={"ids": "comma-separated member ids"},
    run=_run_member_contacts,
))


def _run_cohort_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.cohort_members import cohort_members
    from siyu.metrics.periods import parse_date
    from siyu.metrics.retention import COHORTS, MODES
    from siyu.metrics.runner_params import as_of_range, choice, integer, order_days

    cohort = choice(params, "cohort", COHORTS, "first_order")
    grain = choice(params, "grain", ("day", "week", "month"), "month")
    mode = choice(params, "mode", MODES, "on")
    start = parse_date(params.get("cohort_start"), "cohort_start")
    if start is None:
        raise MetricError("需要 cohort_start（同期群的第一天）/ cohort_start is required")
    rng, as_of = as_of_range(con, params)
    members = None if cohort == "first_order" else inputs.members_channel(con)
    return cohort_members(order_days(con), members, as_of=as_of, cohort=cohort, grain=grain, cohort_start=start,
                          period=integer(params, "period", 0), mode=mode, channel=params.get("channel") or None,
                          start=rng.start, end=rng.end)


register(MetricSpec(
    name="cohort_members",
    summary="留存三角某一格背后的会员 / the members behind one cell of the retention triangle",
    params={"cohort": "first_order | joined | channel (default first_order)", "grain": "day | week | month",
            "mode": "on | on_or_after", "cohort_start": "first day of the cohort's period (ISO date)",
            "period": "period k (0 = the cohort's own period)", "channel": "the channel (cohort=channel)",
            "start": "first cohort day of the triangle's range (optional, as retention's start)",
            "end": "last cohort day and as-of day (default: the data's last day)"},
    run=_run_cohort_members,
))


def _run_channel_survival(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_survival import channel_survival
    from siyu.metrics.runner_params import as_of_range

    rng, as_of = as_of_range(con, params)
    return channel_survival(inputs.friends_channel(con), as_of=as_of, start=rng.start, end=rng.end)


register(MetricSpec(
    name="channel_survival",
    summary="各渠道好友留存曲线（Kaplan–Meier，按添加期间汇总）/ friend survival per channel over an add range",
    params={"start": "first add day (optional)", "end": "last add day and as-of day (default: the data's last day)"},
    run=_run_channel_survival,
))


SEGMENT_STANDARDS = {"cn": "cn_segment", "classic": "segment"}


def _run_segment_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.registry import REGISTRY
    from siyu.metrics.runner_params import choice

    standard = choice(params, "standard", tuple(SEGMENT_STANDARDS), "cn")
    wanted = params.get("segment") or ""
    passed = {k: params[k] for k in ("observation_end", "r_cut", "f_cut", "m_cut") if params.get(k)}
    frame = REGISTRY["rfm_segments"].run(con, {**passed, "view": "members"})  # the page's own, from memory
    chosen = frame.filter(pl.col(SEGMENT_STANDARDS[standard]) == wanted)
    contacts = inputs.member_contacts(con, sorted({int(v) for v in chosen["member_id"].to_list()}))
    return (chosen.with_columns(pl.col("member_id").cast(pl.String))
            .join(contacts, on="member_id", how="left")
            .select("member_id", "display_name", "phone", "last_order", "recency_days", "frequency", "monetary",
                    pl.col(SEGMENT_STANDARDS[standard]).alias("segment"))
            .sort(["monetary", "member_id"], descending=[True, False]))


register(MetricSpec(
    name="segment_members",
    summary="某个 RFM 分群的会员名单（召回用：昵称、手机号、最近下单）/ the members of one RFM segment, with contacts",
    params={"standard": "cn (八大类) | classic (RFM grid)", "segment": "segment name, as rfm_segments spells it",
            "observation_end": "as rfm_segments", "r_cut": "as rfm_segments", "f_cut": "as rfm_segments",
            "m_cut": "as rfm_segments"},
    run=_run_segment_members,
))


def _run_lifecycle_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.lifecycle_members import STATUSES, lifecycle_members
    from siyu.metrics.periods import parse_date
    from siyu.metrics.runner_params import as_of_range, choice, order_days

    period = parse_date(params.get("period_start"), "period_start")
    if period is None:
        raise MetricError("需要 period_start（该期间的第一天）/ period_start is required")
    _, as_of = as_of_range(con, params)
    return lifecycle_members(order_days(con), as_of=as_of, grain=choice(params, "grain", ("day", "week", "month"), "month"),
                             period_start=period, status=choice(params, "status", STATUSES, "new"))


register(MetricSpec(
    name="lifecycle_members",
    summary="买家生命周期某一根柱子背后的会员 / the members behind one bar of the buyer lifecycle",
    params={"grain": "day | week | month", "period_start": "first day of the period (ISO date)",
            "status": "new | returning | resurrecting | dormant", "end": "as-of day (default: the data's last day)"},
    run=_run_lifecycle_members,
))


def _run_tier_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.registry import resolve_range
    from siyu.metrics.runner_params import order_days
    from siyu.metrics.tiers import tier_members

    tier = params.get("tier")
    if not tier:
        raise MetricError("需要 tier（等级名称，未定级写「未定级」）/ tier is required")
    rng = resolve_range(con, params)
    return tier_members(inputs.members(con), inputs.member_snapshots(con), order_days(con), start=rng.start,
                        end=rng.end, tier=tier, assume_sorted=True)


register(MetricSpec(
    name="tier_members",
    summary="某一会员等级的会员（等级分布的明细）/ the members of one tier, as counted by `tiers`",
    params={"tier": "tier name (未定级 for members without one)", "start": "first day", "end": "last day"},
    run=_run_tier_members,
))


def _run_channel_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.channel_members import SCHEMA, channel_members
    from siyu.metrics.channels import BY
    from siyu.metrics.runner_params import as_of_range, choice

    channel = params.get("channel")
    if not channel:
        raise MetricError("需要 channel（渠道名称，未知渠道写「未知」）/ channel is required")
    rng, as_of = as_of_range(con, params)
    if as_of is None:
        return pl.DataFrame(schema=SCHEMA)
    return channel_members(inputs.members_channel(con), inputs.friends_channel(con), start=rng.start,
                           end=rng.end or as_of, as_of=as_of, by=choice(params, "by", BY, "member"), channel=channel)


register(MetricSpec(
    name="channel_members",
    summary="渠道看板某一行（新增会员）背后的会员 / the members behind one row of the channel scorecard",
    params={"channel": "the row's channel (未知 for none)", "by": "member | friend_channel | add_way",
            "start": "first join day", "end": "last join day and as-of day (default: the data's last day)"},
    run=_run_channel_members,
))


def _run_kpi_members(con: duckdb.DuckDBPyConnection, params: Mapping[str, str]) -> pl.DataFrame:
    from siyu.metrics.kpi_members import CARDS, kpi_members
    from siyu.metrics.registry import resolve_range
    from siyu.metrics.runner_params import choice

    rng = resolve_range(con, params)
    return kpi_members(inputs.members(con), inputs.valid_orders_cached(con), inputs.friends(con), lo=rng.lo,
                       hi=rng.hi, card=choice(params, "card", CARDS, "buyers"))


register(MetricSpec(
    name="kpi_members",
    summary="总览某张指标卡背后的会员 / the members behind one Overview KPI card",
    params={"card": " | ".join(("members", "new_members", "valid_members", "buyers", "repeat_buyers")),
            "start": "first day", "end": "last day"},
    run=_run_kpi_members,
))
