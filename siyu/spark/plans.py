"""What each metric computes per member bucket and how the buckets' results combine (pure Polars).

Every bucketed table is split by member (siyu.lake.layout.bucket_expr), so a member's orders, friendships
and snapshots are all in one bucket. A plan's `partial` runs the local engine's pure metric function on
one bucket's frames with the run's global values already resolved on the driver (the as-of day, the date
range, the observation end: a bucket must not pick its own); `combine` gets every bucket's partial
concatenated and returns exactly the local engine's output:

- counts of members, orders and cents add across buckets (each member is in exactly one bucket), so
  cells, periods and tiers are summed and their rates derived again from the sums;
- per-member rows (rfm) are concatenated;
- order statistics over members (concentration's top shares, Lorenz curve, Gini) are computed on the
  driver from a per-member spend table;
- the BG/NBD and Gamma-Gamma fits (clv) run on the driver on the per-buyer RFM summary;
- the referral forest (k_factor) is not member-partitionable: the edges are collected to the driver
  and the pure function runs there on each member's first order of every month (what k_factor reads
  of the orders), which the buckets compute.
Amounts in yuan are carried as integer cents between the steps, so sums are exact.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from siyu.errors import MetricError
from siyu.metrics.periods import DateRange, parse_date

Frames = Mapping[str, pl.DataFrame]
Resolved = dict[str, Any]
"""Parameters resolved on the driver: plain values (dates, strings, numbers) shipped to every bucket."""


@dataclass(frozen=True)
class Bounds:
    """The data's bounds, from the lake's manifest (what the local engine's defaults read)."""

    first_day: dt.date | None
    last_day: dt.date | None
    """data_bounds' first_at / last_at days: the default range of range metrics."""
    data_last_day: dt.date | None
    """The last day with any data (joins, payments, friend adds and deletes): the as-of day."""
    last_valid_order_day: dt.date | None
    """The last day with a valid order: rfm's and clv's default observation end."""

    @classmethod
    def from_manifest(cls, manifest: Mapping[str, Any]) -> Bounds:
        def day(key: str) -> dt.date | None:
            value = manifest.get(key)
            return dt.date.fromisoformat(value[:10]) if value else None
        return cls(day("first_at"), day("last_at"), day("data_last_day"), day("last_valid_order_day"))


@dataclass(frozen=True)
class Plan:
    name: str
    tables: tuple[str, ...]
    """Bucketed tables one bucket reads (siyu.lake.layout.TABLES)."""
    resolve: Callable[[Mapping[str, str], Bounds], Resolved]
    partial: Callable[[Frames, Resolved], pl.DataFrame]
    combine: Callable[[pl.DataFrame, Resolved, Frames], pl.DataFrame]
    """(every bucket's partial concatenated, the resolved parameters, the unbucketed tables)."""
    single_row: bool = False
    driver_tables: tuple[str, ...] = ()
    """Unbucketed tables the combine step reads on the driver (tiers, referrals)."""
    bucket_tables: tuple[str, ...] = ()
    """Unbucketed tables every bucket gets whole (the tier ladder)."""


def choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = params.get(name) or default
    if value not in allowed:
        raise MetricError(f"参数 {name}={value!r}：只能是 {' | '.join(allowed)} / {name} must be one of {allowed}")
    return value


def known(params: Mapping[str, str], allowed: tuple[str, ...], name: str) -> None:
    """Refuse parameters this metric does not take on Spark, rather than ignore them."""
    extra = sorted(set(params) - set(allowed))
    if extra:
        raise MetricError(f"{name} 在 Spark 上不支持参数 {', '.join(extra)} / {name} on Spark does not take {extra}")


def as_of(bounds: Bounds, end: dt.date | None) -> dt.date | None:
    """As siyu.engine.params.as_of: the data's last day, or `end` when that is earlier."""
    last = bounds.data_last_day
    if last is None:
        return None
    return last if end is None else min(end, last)


def resolve_range(params: Mapping[str, str], bounds: Bounds) -> tuple[dt.date, dt.date]:
    """As siyu.engine.params.resolve_range: missing sides default to the data's first and last day."""
    start = parse_date(params.get("start"), "start")
    end = parse_date(params.get("end"), "end")
    if start is None or end is None:
        today = dt.date.today()
        start = start or bounds.first_day or today
        end = end or bounds.last_day or today
        if start > end:
            end = start if params.get("start") else end
            start = min(start, end)
    DateRange(start, end)
    return start, end


def sorted_orders(frames: Frames) -> pl.LazyFrame:
    """The bucket's valid orders sorted by member then time (the local engine's cached frame is; a shuffle
    is not)."""
    return frames["orders"].lazy().sort("member_id", "paid_at")


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
