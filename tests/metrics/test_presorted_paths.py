"""Metrics that read member runs give the same answer on unsorted input (they sort) and on the
cached, presorted frame (assume_sorted=True)."""

from __future__ import annotations

import datetime as dt
import random

import polars as pl

from siyu.metrics.k_factor import k_factor
from siyu.metrics.lifecycle import buyer_lifecycle
from siyu.metrics.order_runs import sort_by_member_day
from siyu.metrics.rfm_segments import rfm_segments
from siyu.metrics.super_users import super_users

D, T = dt.date, dt.datetime


def _orders(seed: int = 3, n: int = 1500) -> pl.LazyFrame:
    rng = random.Random(seed)
    rows = [(rng.randint(1, 120), T(2024, 1, 1) + dt.timedelta(minutes=rng.randint(0, 330 * 1440)),
             rng.choice([0, 990, 5000, 30000])) for _ in range(n)]
    return pl.LazyFrame(rows, schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64},
                        orient="row")


EDGES = pl.LazyFrame({"referee_id": list(range(2, 60)), "referrer_id": [i // 2 for i in range(2, 60)],
                      "referred_at": [T(2024, 3, 1)] * 58})


def test_presorted_paths_match() -> None:
    raw = _orders()
    pre = sort_by_member_day(raw).collect().lazy()
    as_of = D(2024, 11, 30)
    for grain in ("day", "week", "month"):
        assert buyer_lifecycle(raw, as_of=as_of, grain=grain).equals(
            buyer_lifecycle(pre, as_of=as_of, grain=grain, assume_sorted=True))
    assert rfm_segments(raw).equals(rfm_segments(pre, assume_sorted=True))
    assert super_users(raw, EDGES, None, start=D(2024, 2, 1), end=as_of).equals(
        super_users(pre, EDGES, None, start=D(2024, 2, 1), end=as_of, assume_sorted=True))
    for by in ("month", "generation"):
        assert k_factor(EDGES, raw, by=by, as_of=as_of).equals(k_factor(EDGES, pre, by=by, as_of=as_of, assume_sorted=True))


def test_eager_sort_matches_lazy_sort() -> None:
    from siyu.metrics.order_runs import sorted_by_member_day

    raw = _orders(9).collect()
    a = sorted_by_member_day(raw)
    b = sort_by_member_day(raw.lazy()).collect()
    key = ["member_id", a["paid_at"].cast(pl.Date)]
    assert a.select(key).equals(b.select(key)) and a.height == raw.height
    assert sorted_by_member_day(raw.clear()).height == 0


def test_joined_cohorts_merge_path_matches_hash_join() -> None:
    from siyu.metrics.retention import cohort_retention

    raw = _orders(11)
    pre = sort_by_member_day(raw).collect().lazy()
    rng = random.Random(4)
    ids = [i for i in range(1, 121) if i % 7]   # members 7, 14, ... have orders but no member row
    members = pl.LazyFrame({"member_id": ids[::-1],
                            "joined_at": [T(2024, 1, 1) + dt.timedelta(hours=rng.randint(0, 200 * 24)) for _ in ids],
                            "channel": [rng.choice(["A", "B", None]) for _ in ids]})
    for cohort in ("joined", "channel"):
        for measure, mode in (("members", "on"), ("members", "on_or_after"), ("revenue", "on")):
            a = cohort_retention(raw, members, as_of=D(2024, 11, 30), cohort=cohort, measure=measure, mode=mode)
            b = cohort_retention(pre, members, as_of=D(2024, 11, 30), cohort=cohort, measure=measure, mode=mode,
                                 assume_sorted=True)
            assert a.equals(b), (cohort, measure, mode)


def test_referred_vs_organic_merge_path_matches() -> None:
    from siyu.metrics.referred_vs_organic import referred_vs_organic

    raw = _orders(12)
    pre = sort_by_member_day(raw).collect().lazy()
    members = pl.LazyFrame({"member_id": list(range(1, 110)),
                            "joined_at": [T(2024, 1, 1) + dt.timedelta(days=i % 90) for i in range(1, 110)]})
    a = referred_vs_organic(members, EDGES, raw, as_of=D(2024, 11, 30))
    b = referred_vs_organic(members, EDGES, pre, as_of=D(2024, 11, 30), assume_sorted=True)
    assert a.equals(b) and a["members"].sum() == 109


def test_channels_merge_path_matches() -> None:
    from siyu.metrics.channels import channel_scorecard

    raw = _orders(13).with_columns(pl.lit(100).alias("paid_cents"), pl.lit(0).alias("discount_cents"),
                                   (pl.col("net_cents") == 990).alias("has_coupon"))
    pre = sort_by_member_day(raw).collect().lazy()
    members = pl.LazyFrame({"member_id": list(range(1, 110)),
                            "joined_at": [T(2024, 1, 1) + dt.timedelta(days=i % 90) for i in range(1, 110)],
                            "channel": ["A" if i % 3 else "B" for i in range(1, 110)]})
    friends = members.select("member_id", pl.col("joined_at").alias("added_at"),
                             pl.lit(None, dtype=pl.Datetime("us")).alias("deleted_at"), "channel",
                             pl.lit("扫码").alias("add_way"))
    a = channel_scorecard(members, friends, raw, start=None, end=D(2024, 11, 30), as_of=D(2024, 11, 30))
    b = channel_scorecard(members, friends, pre, start=None, end=D(2024, 11, 30), as_of=D(2024, 11, 30),
                          assume_sorted=True)
    assert a.equals(b) and a["token_first_order_share"].drop_nulls().len() > 0
