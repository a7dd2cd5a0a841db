"""The Referrals page's frames (siyu/ui/views/referrals.py) on tests/pages/small_db.py plus three referrals
(as tests/pages/test_referrals_page.py): m1 老客甲 referred m2 (2024-01-05) and m3 (2024-02-01); m2 referred
m4 (2024-03-10). One tree: root m1, 4 members, depth 2. m2 and m3 later deleted their only friendship."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.db import writing
from siyu.metrics.periods import DateRange
from siyu.ui.views import referrals as view
from tests.pages.small_db import build_fixture, insert_batch
from tests.ui.conftest import contacts_of, loader

RNG = DateRange(dt.date(2023, 6, 1), dt.date(2024, 3, 10))


@pytest.fixture(scope="module")
def referred_db(tmp_path_factory):
    path = build_fixture(tmp_path_factory.mktemp("ref") / "small.duckdb")
    with writing(path) as con:
        b = insert_batch(con, "referrals")
        con.executemany("INSERT INTO referrals (referee_id, referrer_id, referred_at, batch_id) VALUES (?, ?, ?, ?)", [
            (2, 1, dt.datetime(2024, 1, 5, 10), b), (3, 1, dt.datetime(2024, 2, 1, 12), b),
            (4, 2, dt.datetime(2024, 3, 10, 15), b)])
    return path


@pytest.fixture(scope="module")
def referred(referred_db):
    return loader(referred_db)


@pytest.fixture(scope="module")
def referred_contacts(referred_db):
    return contacts_of(referred_db)


def test_nobody_referred_nobody_is_empty(load, contacts):
    assert view.referral_frames(load, contacts, rng=RNG, lang="zh") is None


def test_frames_of_one_tree(referred, referred_contacts):
    frames = view.referral_frames(referred, referred_contacts, rng=RNG, lang="zh")
    assert frames is not None
    assert frames.largest.select("root", "tree_size", "tree_depth").rows() == [(1, 4, 2)]
    assert frames.root_name(1) == "老客甲" and frames.tree(1)["tree_size"] == 4
    assert frames.k_generation.select("generation", "members").rows() == [(0, 1), (1, 2), (2, 1)]
    # referred: m2, m3, m4; organic: m1, m5 (the group named in the reader's words)
    assert sorted(frames.vs_view.select("group", "members").rows()) == [("自然用户", 2), ("被推荐用户", 3)]
    nodes, names = view.tree(referred, referred_contacts, 1)
    assert sorted(nodes["member_id"].to_list()) == [1, 2, 3, 4]
    assert names == {"1": "老客甲", "2": "=cmd|' /C calc'!A0", "3": "丙", "4": "丁"}


def test_leaderboard_with_names_and_the_exclusion(referred, referred_contacts):
    board, shown = view.leaderboard(referred, referred_contacts, no_deleted=False, no_coupon=False)
    assert shown.select("rank", "display_name", "referees", "referee_buyers", "referee_gmv").rows()[0] == (
        1, "老客甲", 2, 2, 400.0)
    assert board.height == shown.height and "phone" not in board.columns
    _board, shown = view.leaderboard(referred, referred_contacts, no_deleted=True, no_coupon=False)
    first = shown.filter(shown["display_name"] == "老客甲").row(0, named=True)
    assert (first["referees"], first["excluded_referees"]) == (0, 2)
