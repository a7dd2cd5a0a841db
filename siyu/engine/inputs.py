"""Narrow frames fetched from DuckDB for the metrics (integer keys, timestamps, cents), nothing wider.

The order, member, friendship and snapshot frames most metrics read are kept in memory between runs and the global
filters are applied to them there (siyu.engine.frame_cache); the others are fetched per run.

Metrics themselves never touch the database: they take these frames, so tests can feed literal ones.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.db import query
from siyu.engine import frame_cache
from siyu.engine.context import ReadContext


def members(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, joined_at."""
    return frame_cache.scoped(ctx, "kpi_members").lazy()  # kept in memory, scoped in memory


def valid_orders(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of valid orders."""
    return query(ctx.con, "kpi_valid_orders").lazy()


def friends(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, added_at, deleted_at of every friendship."""
    return frame_cache.scoped(ctx, "kpi_friends").lazy()  # kept in memory, scoped in memory


# --- analytics inputs (retention, rfm, concentration, tiers, referrals, channels) ---


def valid_order_days(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, day, net_cents, orders: valid orders summed per member per calendar day."""
    return query(ctx.con, "m_valid_order_days").lazy()


def valid_orders_cached(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, paid_at, net_cents of every valid order in the scope of the context, sorted by member then
    time: the one narrow frame the cohort metrics and the KPIs start from, kept in memory while the
    database is unchanged, with the global filters applied in memory (siyu.engine.frame_cache)."""
    return frame_cache.scoped(ctx, "m_valid_orders_narrow").lazy()


def valid_order_days_cached(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, day, net_cents, orders: `valid_order_days` computed from the cached order frame (in the
    scope of the context), sorted by member then day."""
    return (valid_orders_cached(ctx)
            .group_by("member_id", pl.col("paid_at").cast(pl.Date).alias("day"), maintain_order=True)
            .agg(pl.col("net_cents").sum().cast(pl.Int64), pl.len().cast(pl.Int64).alias("orders")))


def clear_orders_cache() -> None:
    frame_cache.clear()


def members_channel(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, joined_at, channel."""
    return frame_cache.scoped(ctx, "m_members").lazy()  # kept in memory, scoped in memory


def data_last_day(ctx: ReadContext) -> dt.date | None:
    """The last day with any data in the scope of the context (None on an empty database): the latest of the members'
    joins, the orders' payments and the friendships' adds and deletes (queries/m_data_last_day.sql says the
    same in SQL). Once per database state and scope, from the frames kept in memory: almost every metric asks,
    and under a filter the query scans every order through the scope's views."""
    if not frame_cache.state(ctx):  # an in-memory database: nothing is kept, ask it
        day: dt.date | None = query(ctx.con, "m_data_last_day").item(0, 0)
        return day

    def last_day() -> dt.date | None:
        latest = [members(ctx).select(pl.col("joined_at").max()),
                  frame_cache.scoped(ctx, "m_order_last_paid").lazy().select(pl.col("last_paid_at").max()),
                  friends(ctx).select(pl.max_horizontal(pl.col("added_at").max(), pl.col("deleted_at").max()))]
        found = [v for frame in pl.collect_all(latest) if (v := frame.item(0, 0)) is not None]
        return max(found).date() if found else None

    return frame_cache.memo(ctx, "data_last_day", last_day)


def tiers(ctx: ReadContext) -> pl.LazyFrame:
    """tier, rank of the brand's ladder."""
    return query(ctx.con, "m_tiers").lazy()


def member_snapshots(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, snapshot_date, tier, sorted by member then date."""
    return frame_cache.scoped(ctx, "m_member_snapshots").lazy()  # 6M rows at 10M orders: kept in memory


def snapshot_dates(ctx: ReadContext) -> list[dt.date]:
    """Distinct snapshot dates in the scope of the context, newest first (from the snapshot frame kept in memory)."""
    return frame_cache.memo(ctx, "snapshot_dates", lambda: (
        member_snapshots(ctx).select(pl.col("snapshot_date").unique().sort(descending=True)).collect()
        ["snapshot_date"].to_list()))


def referrals(ctx: ReadContext) -> pl.LazyFrame:
    """referee_id, referrer_id, referred_at, campaign."""
    return query(ctx.con, "m_referrals").lazy()


def valid_orders_flags(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, paid_at, net_cents, paid_cents, discount_cents, has_coupon of valid orders."""
    return query(ctx.con, "m_valid_orders_flags").lazy()


def friends_channel(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, added_at, deleted_at, channel, add_way of every friendship."""
    return frame_cache.scoped(ctx, "m_friends").lazy()  # kept in memory, scoped in memory


def order_lines(ctx: ReadContext) -> pl.LazyFrame:
    """member_id, day, product of every line of a valid order (empty when exports have no lines)."""
    return query(ctx.con, "m_order_lines").lazy()


def token_order_candidates(ctx: ReadContext) -> pl.LazyFrame:
    """Valid orders that may be token orders (paid 0, a discount or a coupon), with their flag columns;
    kept in memory like the order frame (siyu.engine.frame_cache)."""
    return frame_cache.scoped(ctx, "m_token_order_candidates").lazy()
