"""The tag breakdown (siyu.metrics.tags) on a hand-checked fixture, as of 2024-03-31."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from siyu.metrics.tags import tag_breakdown

D, T = dt.date, dt.datetime
TAGS = pl.LazyFrame([(1, "孩子年龄", "7岁"), (1, "孩子年龄", "8岁"), (1, "兴趣", "瑜伽"), (2, "孩子年龄", "7岁"),
                     (3, "孩子年龄", "8岁"), (4, "", "高意向"), (5, "孩子年龄", "3岁")],
                    schema={"member_id": pl.Int64, "tag_group": pl.String, "tag": pl.String}, orient="row")
FRIENDS = pl.LazyFrame([(1, T(2024, 1, 1), None), (2, T(2024, 1, 1), T(2024, 1, 5)),
                        (3, T(2024, 1, 1), T(2024, 2, 1)), (3, T(2024, 2, 2), None),
                        (5, T(2024, 4, 5), None)],  # after the as-of day: not a friend yet
                       schema={"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us")},
                       orient="row")
ORDERS = pl.LazyFrame([(1, T(2024, 1, 10), 10000), (1, T(2024, 1, 20), 5000), (2, T(2024, 2, 1), 3000),
                       (3, T(2023, 12, 1), 4000)],
                      schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}, orient="row")
COLUMNS = ("members", "group_share", "buyers", "buyer_share", "gmv", "gmv_per_member", "arpu", "repeat_rate",
           "friends", "friends_active", "friend_retention")


def test_tag_breakdown_literal() -> None:
    got = tag_breakdown(TAGS, FRIENDS, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31))
    expected = {
        ("孩子年龄", "7岁"): (2, 0.5, 2, 1.0, 180.0, 90.0, 90.0, 0.5, 2, 1, 0.5),
        ("孩子年龄", "8岁"): (2, 0.5, 2, 1.0, 190.0, 95.0, 95.0, 0.5, 2, 2, 1.0),
        ("孩子年龄", "3岁"): (1, 0.25, 0, 0.0, 0.0, 0.0, None, None, 0, 0, None),
        ("", "高意向"): (1, 1.0, 0, 0.0, 0.0, 0.0, None, None, 0, 0, None),
        ("兴趣", "瑜伽"): (1, 1.0, 1, 1.0, 150.0, 150.0, 150.0, 1.0, 1, 1, 1.0),
    }
    assert [(r["tag_group"], r["tag"]) for r in got.iter_rows(named=True)] == list(expected)
    for row in got.iter_rows(named=True):
        want = expected[(row["tag_group"], row["tag"])]
        for column, value in zip(COLUMNS, want, strict=True):
            assert row[column] == (None if value is None else pytest.approx(value)), (row["tag"], column)


def test_tag_breakdown_range_group_and_empty() -> None:
    got = tag_breakdown(TAGS, FRIENDS, ORDERS, start=D(2024, 1, 1), end=D(2024, 3, 31), as_of=D(2024, 3, 31),
                        group="孩子年龄")
    assert got["tag"].to_list() == ["7岁", "8岁", "3岁"]
    assert got["buyers"].to_list() == [2, 1, 0]  # member 3's order was paid before the range
    assert got["gmv"].to_list() == [180.0, 150.0, 0.0]
    assert tag_breakdown(TAGS.clear(), FRIENDS, ORDERS, start=None, end=D(2024, 3, 31), as_of=D(2024, 3, 31)).height == 0
