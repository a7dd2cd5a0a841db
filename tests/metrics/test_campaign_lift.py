"""campaign_lift on a hand-built campaign whose counts can be checked on paper, cross-checked against a plain
pandas computation of the same definitions, plus a campaign large enough for a clear lift."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import polars as pl
import pytest

from siyu.metrics.campaign_lift import (
    CONTRACT,
    bootstrap_mean_diff,
    campaign_assignments,
    campaign_lift,
    diff_interval,
)

START = dt.datetime(2024, 6, 1, 10, 0)
T = dt.datetime.fromisoformat

# 春季召回: members 1-10 sent (¥0.05 each), 11-15 held out, all starting 2024-06-01 10:00.
SENDS = pl.DataFrame(
    [("春季召回", i, START, "", "send", 5) for i in range(1, 11)]
    + [("春季召回", i, START, "", "holdout", None) for i in range(11, 16)],
    schema={"campaign": pl.String, "member_id": pl.Int64, "sent_at": pl.Datetime("us"), "variant": pl.String,
            "arm": pl.String, "cost_cents": pl.Int64}, orient="row")
PLANNED = pl.DataFrame(schema={"campaign": pl.String, "member_id": pl.Int64, "arm": pl.String, "variant": pl.String})
ORDERS = pl.DataFrame([  # member_id, paid_at, net_cents (valid orders only)
    (1, T("2024-06-01 12:00"), 10000),
    (2, T("2024-06-03 09:00"), 10000),
    (3, T("2024-06-05 09:00"), 10000), (3, T("2024-06-06 09:00"), 2000),
    (4, T("2024-06-07 09:00"), 10000),
    (5, T("2024-06-11 09:00"), 5000),       # day 10: in the 14- and 30-day windows
    (6, T("2024-05-30 09:00"), 99900),      # before the send: never counted
    (7, T("2024-06-08 10:00"), 3000),       # exactly start + 7 days: not in the 7-day window (half-open)
    (11, T("2024-06-02 09:00"), 8000),
    (12, T("2024-06-21 09:00"), 4000),      # day 20: in the 30-day window only
], schema={"member_id": pl.Int64, "paid_at": pl.Datetime("us"), "net_cents": pl.Int64}, orient="row")
FRIENDS = pl.DataFrame([  # member_id, added_at, deleted_at
    (1, T("2024-06-02 09:00"), None),                      # added after the SMS (SMS -> 企微)
    (2, T("2024-01-01 09:00"), T("2024-06-04 09:00")),      # deleted 3 days after the send
    (13, T("2024-01-01 09:00"), T("2024-06-10 09:00")),     # deleted after 9 days: not within 7
], schema={"member_id": pl.Int64, "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us")}, orient="row")


def _lift(**kwargs: object) -> pl.DataFrame:
    assigned = campaign_assignments(SENDS, PLANNED)
    return campaign_lift(assigned, ORDERS.lazy(), FRIENDS.lazy(), as_of=T("2024-07-15 00:00"), **kwargs)  # type: ignore[arg-type]


def test_columns_start_with_the_contract() -> None:
    assert _lift().columns[: len(CONTRACT)] == CONTRACT


def test_counts_rates_and_lift_by_hand() -> None:
    got = _lift().select(CONTRACT).rows()
    # 7 days: sent buyers 1,2,3,4 -> 4/10; holdout 11 -> 1/5. lift 0.2, se = sqrt(.4*.6/10 + .2*.8/5) = sqrt(.056)
    # = 0.2366432, half-width 1.959964 * se = 0.4638117. GMV 100+100+120+100 = 420 vs 80; 420 - 80*10/5 = 260.
    # 14 days: + members 5 and 7 -> 6/10 vs 1/5, lift 0.4, same se. GMV 500 vs 80 -> 500 - 160 = 340.
    # 30 days: + member 12 -> 6/10 vs 2/5, lift 0.2, se = sqrt(.024 + .048) = 0.2683282, half 0.5259136. 500 - 240.
    expected = [
        ("春季召回", "", 7, 10, 5, 4, 1, 0.4, 0.2, 0.2, -0.2638117, 0.6638117, 2.0, 420.0, 80.0, 260.0, 0.5, 0.25),
        ("春季召回", "", 14, 10, 5, 6, 1, 0.6, 0.2, 0.4, -0.0638117, 0.8638117, 4.0, 500.0, 80.0, 340.0, 0.5, 0.125),
        ("春季召回", "", 30, 10, 5, 6, 2, 0.6, 0.4, 0.2, -0.3259136, 0.7259136, 2.0, 500.0, 120.0, 260.0, 0.5, 0.25),
    ]
    for row, want in zip(got, expected, strict=True):
        assert row[:9] == want[:9]
        assert row[9:] == pytest.approx(want[9:], abs=1e-6)


def test_extra_columns_by_hand() -> None:
    seven = _lift().filter(pl.col("window_days") == 7).row(0, named=True)
    assert (seven["sent_orders"], seven["holdout_orders"]) == (5, 1)
    assert seven["lift_rel"] == pytest.approx(1.0)  # 0.2 / 0.2
    assert (seven["sent_friend_rate"], seven["holdout_friend_rate"]) == (0.1, 0.0)
    assert (seven["sent_deleted_7d_rate"], seven["holdout_deleted_7d_rate"]) == (0.1, 0.0)
    # deleted: 1/10 vs 0/5 -> se = sqrt(.1*.9/10) = 0.0948683, half 0.1859385
    assert (seven["deleted_lift_low"], seven["deleted_lift_high"]) == pytest.approx((0.1 - 0.1859385, 0.1 + 0.1859385))
    assert seven["complete"] and not seven["significant"] and seven["comparison"] == "holdout"
    assert seven["verdict"].startswith("看不出效果：95% 区间包含 0")
    assert "the interval includes zero" in seven["verdict"]


def test_cross_checked_against_plain_pandas() -> None:
    sends = SENDS.to_pandas()
    orders = ORDERS.to_pandas()
    for window in (7, 14, 30):
        merged = sends.merge(orders, on="member_id", how="left")
        inside = merged[(merged.paid_at >= merged.sent_at) & (merged.paid_at < merged.sent_at + pd.Timedelta(days=window))]
        per = sends.set_index("member_id")[["arm"]].join(inside.groupby("member_id").net_cents.sum().rename("gmv"))
        per["gmv"] = per.gmv.fillna(0) / 100
        per["bought"] = per.gmv.index.isin(inside.member_id)
        s, h = per[per.arm == "send"], per[per.arm == "holdout"]
        p1, p0 = s.bought.mean(), h.bought.mean()
        half = 1.959963984540054 * math.sqrt(p1 * (1 - p1) / len(s) + p0 * (1 - p0) / len(h))
        row = _lift().filter(pl.col("window_days") == window).row(0, named=True)
        assert row["lift_abs"] == pytest.approx(p1 - p0)
        assert (row["lift_low"], row["lift_high"]) == pytest.approx((p1 - p0 - half, p1 - p0 + half))
        assert row["incremental_gmv"] == pytest.approx(s.gmv.sum() - h.gmv.mean() * len(s))


def test_gmv_interval_is_a_seeded_bootstrap() -> None:
    a, b = _lift(seed=3), _lift(seed=3)
    assert a.equals(b)
    seven = a.filter(pl.col("window_days") == 7).row(0, named=True)
    sent = np.array([100, 100, 120, 100, 0, 0, 0, 0, 0, 0], dtype=float)
    hold = np.array([80, 0, 0, 0, 0], dtype=float)
    low, high = bootstrap_mean_diff(sent, hold, n_boot=2000, seed=3)  # type: ignore[misc]
    assert (seven["gmv_lift_low"], seven["gmv_lift_high"]) == pytest.approx((low * 10, high * 10))
    assert seven["gmv_lift_low"] < seven["incremental_gmv"] < seven["gmv_lift_high"]
    assert _lift(seed=4).filter(pl.col("window_days") == 7)["gmv_lift_low"].item() != seven["gmv_lift_low"]


def test_a_clear_lift_is_called_one() -> None:
    # 100 sent with 40 buyers vs 100 held out with 10: lift 0.3, se = sqrt(.4*.6/100 + .1*.9/100) = sqrt(.0033)
    # = 0.0574456, half-width 0.1125913 -> [0.1874087, 0.4125913]: above zero.
    assert diff_interval(40, 100, 10, 100) == pytest.approx((0.3, 0.1874087, 0.4125913))
    sends = pl.DataFrame([("c", i, START, "A", "send" if i <= 100 else "holdout", None) for i in range(1, 201)],
                         schema=SENDS.schema, orient="row")
    orders = pl.DataFrame([(i, T("2024-06-02 09:00"), 1000) for i in [*range(1, 41), *range(101, 111)]],
                          schema=ORDERS.schema, orient="row")
    row = campaign_lift(campaign_assignments(sends, PLANNED), orders.lazy(), FRIENDS.clear().lazy(),
                        windows=(7,)).row(0, named=True)
    assert (row["variant"], row["sent_buyers"], row["holdout_buyers"]) == ("A", 40, 10)
    assert (row["lift_low"], row["lift_high"]) == pytest.approx((0.1874087, 0.4125913))
    assert row["significant"] and row["verdict"].startswith("有效")
    assert row["cost"] is None and row["cost_per_incremental_buyer"] is None


def test_planned_holdout_variants_and_no_comparison() -> None:
    planned = pl.DataFrame([("p", 1, "send", "A"), ("p", 2, "send", "B"), ("p", 3, "holdout", ""),
                            ("p", 4, "holdout", "")], schema=PLANNED.schema, orient="row")
    sends = pl.DataFrame([("p", 1, START, "", "send", None), ("p", 2, START + dt.timedelta(hours=1), "", "send", None),
                          ("p", 4, START, "", "send", None),  # planned as holdout but sent anyway: counted as sent
                          ("q", 9, START, "", "send", None)], schema=SENDS.schema, orient="row")
    assigned = campaign_assignments(sends, planned)
    assert assigned.select("campaign", "member_id", "arm", "variant").rows() == [
        ("p", 3, "holdout", ""), ("p", 1, "send", "A"), ("p", 2, "send", "B"), ("p", 4, "send", ""),
        ("q", 9, "send", "")]
    assert assigned.filter(pl.col("member_id") == 3)["start"].item() == START  # the campaign's first send
    lift = campaign_lift(assigned, ORDERS.lazy(), FRIENDS.lazy(), windows=(7,))
    assert lift.select("campaign", "variant", "sent", "holdout").rows() == [
        ("p", "", 1, 1), ("p", "A", 1, 1), ("p", "B", 1, 1), ("q", "", 1, 0)]
    q = lift.filter(pl.col("campaign") == "q").row(0, named=True)
    assert q["lift_abs"] is None and q["comparison"] == "none" and q["verdict"].startswith("没有对照组")


def test_a_window_not_yet_over_is_marked_incomplete() -> None:
    assigned = campaign_assignments(SENDS, PLANNED)
    lift = campaign_lift(assigned, ORDERS.lazy(), FRIENDS.lazy(), as_of=T("2024-06-10 00:00"))
    assert lift["complete"].to_list() == [True, False, False]


# Group leaves (customer groups, group_memberships.left_at) join friend deletions in the 7-day measure.
LEAVES = pl.DataFrame([  # member_id, left_at
    (2, T("2024-06-02 09:00")),     # sent, also deleted a friend on day 3: counted once
    (4, T("2024-06-05 09:00")),     # sent, left a group only
    (4, T("2024-06-06 09:00")),     # ... and a second group: still one member
    (5, T("2024-06-08 10:00")),     # exactly start + 7 days: outside (half-open)
    (6, T("2024-05-31 09:00")),     # before the send: never counted
    (11, T("2024-06-03 09:00")),    # held out, left a group
], schema={"member_id": pl.Int64, "left_at": pl.Datetime("us")}, orient="row")


def test_group_leaves_join_the_deletion_measure_by_hand() -> None:
    lift = _lift(group_leaves=LEAVES.lazy())
    assert lift.columns[-4:] == ["sent_friend_deleted_7d_rate", "holdout_friend_deleted_7d_rate",
                                 "sent_left_group_7d_rate", "holdout_left_group_7d_rate"]
    assert lift.select(CONTRACT).equals(_lift().select(CONTRACT))  # buyers and GMV do not move
    for row in lift.iter_rows(named=True):  # the same in every window: always 7 days from the start
        # sent: deleted a friend {2}, left a group {2, 4}, either {2, 4}; holdout: deleted {} (13 was day 9),
        # left {11}, either {11}
        assert (row["sent_friend_deleted_7d_rate"], row["holdout_friend_deleted_7d_rate"]) == (0.1, 0.0)
        assert (row["sent_left_group_7d_rate"], row["holdout_left_group_7d_rate"]) == (0.2, 0.2)
        assert (row["sent_deleted_7d_rate"], row["holdout_deleted_7d_rate"]) == (0.2, 0.2)
        # 2/10 vs 1/5: difference 0, se = sqrt(.2*.8/10 + .2*.8/5) = sqrt(0.048) = 0.2190890, half 0.4294066
        assert row["deleted_lift_abs"] == 0.0
        assert (row["deleted_lift_low"], row["deleted_lift_high"]) == pytest.approx((-0.4294066, 0.4294066), abs=1e-7)


def test_without_group_data_the_measure_is_friend_deletions() -> None:
    seven = _lift().filter(pl.col("window_days") == 7).row(0, named=True)
    assert (seven["sent_deleted_7d_rate"], seven["sent_friend_deleted_7d_rate"]) == (0.1, 0.1)
    assert (seven["sent_left_group_7d_rate"], seven["holdout_left_group_7d_rate"]) == (0.0, 0.0)


def test_group_leaves_cross_checked_against_plain_pandas() -> None:
    sends = SENDS.to_pandas()
    gone = pd.concat([FRIENDS.to_pandas().rename(columns={"deleted_at": "gone_at"})[["member_id", "gone_at"]],
                      LEAVES.to_pandas().rename(columns={"left_at": "gone_at"})])
    merged = sends.merge(gone.dropna(), on="member_id")
    days = merged.gone_at - merged.sent_at
    inside = set(merged[(days >= pd.Timedelta(0)) & (days < pd.Timedelta(days=7))].member_id)
    sends["gone"] = sends.member_id.isin(inside)
    expected = sends.groupby("arm").gone.mean()
    row = _lift(group_leaves=LEAVES.lazy()).row(0, named=True)
    assert (row["sent_deleted_7d_rate"], row["holdout_deleted_7d_rate"]) == pytest.approx(
        (expected["send"], expected["holdout"]))
