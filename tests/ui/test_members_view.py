"""The Members & tiers page's frames (siyu/ui/views/members.py) on tests/pages/small_db.py plus the tier ladder
of tests/pages/test_members_page.py: 普通会员 (1) < 金卡会员 (2); snapshot 2024-01-01: m1 普通, m2 普通;
snapshot 2024-03-01: m1 金卡, m2 普通, m3 普通. Range 2023-06-01 .. 2024-03-10 (all the data).
Buyers by net spend: m3 240, m2 160, m1 50, m5 30; total 480."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.db import writing
from siyu.ui.views import members as view
from tests.pages.small_db import build_fixture, insert_batch
from tests.ui.conftest import contacts_of, loader

ALL = {"start": "2023-06-01", "end": "2024-03-10"}


@pytest.fixture(scope="module")
def tiered_db(tmp_path_factory):
    path = build_fixture(tmp_path_factory.mktemp("tiers") / "small.duckdb")
    with writing(path) as con:
        b = insert_batch(con, "member_export")
        con.executemany("INSERT INTO tiers VALUES (?, ?)", [("普通会员", 1), ("金卡会员", 2)])
        con.executemany("INSERT INTO member_snapshots (member_id, snapshot_date, tier, batch_id) VALUES (?, ?, ?, ?)", [
            (1, dt.date(2024, 1, 1), "普通会员", b), (2, dt.date(2024, 1, 1), "普通会员", b),
            (1, dt.date(2024, 3, 1), "金卡会员", b), (2, dt.date(2024, 3, 1), "普通会员", b),
            (3, dt.date(2024, 3, 1), "普通会员", b)])
    return path


@pytest.fixture(scope="module")
def tiered(tiered_db):
    return loader(tiered_db)


@pytest.fixture(scope="module")
def tiered_contacts(tiered_db):
    return contacts_of(tiered_db)


def test_tiers_named_with_no_zero_for_nobody(tiered, tiered_contacts):
    tiers = view.tier_frames(tiered, params=ALL, lang="en")
    assert not tiers.empty
    # 未定级: m4 and m5, one buyer (m5 ¥30): ARPU 30, GMV per member 15
    assert tiers.shown.select("tier", "members", "buyers", "arpu", "gmv_per_member").rows() == [
        ("普通会员", 2, 2, 200.0, 200.0), ("金卡会员", 1, 1, 50.0, 50.0), ("No tier", 2, 1, 30.0, 15.0)]
    assert tiers.clickable == ["普通会员", "金卡会员", "未定级"]
    who = view.tier_members(tiered, tiered_contacts, params=ALL, tier="普通会员")
    assert who.select("member_id", "display_name", "net", "last_order").rows() == [
        ("3", "丙", 240.0, dt.date(2024, 2, 3)), ("2", "=cmd|' /C calc'!A0", 160.0, dt.date(2024, 2, 15))]


def test_a_tier_without_buyers_has_no_arpu_not_zero(tiered):
    tiers = view.tier_frames(tiered, params={"start": "2024-03-06", "end": "2024-03-10"}, lang="zh")
    assert tiers.shown["arpu"].to_list() == [None] * tiers.shown.height
    assert tiers.tiers["arpu"].to_list() == [0.0] * tiers.tiers.height  # the metric's CSV keeps its 0
    assert tiers.chart["arpu"].null_count() == tiers.tiers.height  # a gap in the bars


def test_no_ladder_is_empty(load):
    assert view.tier_frames(load, params=ALL, lang="zh").empty


def test_migration_in_order_whichever_way_picked(tiered):
    moved, counts, start, end = view.migration(tiered, start=dt.date(2024, 3, 1), end=dt.date(2024, 1, 1))
    assert (start, end) == (dt.date(2024, 1, 1), dt.date(2024, 3, 1))
    assert counts == {"up": 1, "down": 0, "same": 1, "exit": 0}  # m1 普通 -> 金卡, m2 stays
    assert int(moved["members"].sum()) == 3  # and m3, new in the second snapshot


def test_concentration_by_hand(tiered):
    conc = view.concentration(tiered, params=ALL)
    assert conc.top_share[0.01] == 0.5 and conc.top_share[0.2] == 0.5  # m3: 240 of 480
    assert conc.top_share[0.5] == pytest.approx(400 / 480)
    # Gini of 30, 50, 160, 240: 2 * (1*30 + 2*50 + 3*160 + 4*240) / (4 * 480) - 5/4
    assert conc.gini == pytest.approx(2 * 1570 / 1920 - 1.25)
    assert view.concentration(tiered, params={"start": "2025-01-01", "end": "2025-02-01"}) is None


def test_super_users_and_the_model_checks_window(tiered, tiered_contacts):
    layers = tiered("super_users", **ALL, view="layers")
    listing = view.super_list(tiered, tiered_contacts, params=ALL, layers=layers, predictions=tiered("clv_members"))
    assert listing.select("member_id", "display_name", "spend").rows() == [("3", "丙", 240.0)]
    assert {"p_alive", "clv"} <= set(listing.columns)
    assert view.calibration_end(dt.date(2023, 6, 1), dt.date(2024, 3, 5)) is None  # under 360 days of data
    assert view.calibration_end(dt.date(2023, 1, 1), dt.date(2024, 3, 5)) == dt.date(2023, 9, 7)
    assert view.holdout({"holdout": None}) is None
    check = view.holdout({"holdout": {"buckets": [{"frequency": 0, "actual": 2.0, "predicted": 1.5}],
                                      "actual_total": 2, "predicted_total": 1.5}})
    assert (check.actual, check.predicted, check.buckets.height) == (2.0, 1.5, 1)
