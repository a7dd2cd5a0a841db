"""The Channels page's frames (siyu/ui/views/channels.py) on tests/pages/small_db.py, 2024-01-01 .. 2024-03-31:
members added by channel: 门店 m3 (joined 2024-02-01, friend deleted 03-01) and m4 (joined 03-10, still a
friend), 裂变海报 m2; m1 (包裹卡) joined in 2023 and m5 has no channel, so neither is in the range."""

from __future__ import annotations

import datetime as dt

from siyu.ui.views import channels as view

Q1 = {"start": "2024-01-01", "end": "2024-03-31"}


def test_scorecard_and_ranking(load):
    frames = view.channel_frames(load, by="member", params=Q1)
    assert frames is not None
    assert frames.card.select("channel", "added", "valid_members", "vanity_headcount").rows() == [
        ("门店", 2, 2, 2), ("裂变海报", 1, 1, 1)]
    assert frames.unshaded == ()  # no order-only 未知 channel
    assert frames.ranked.select("channel", "invalid").rows() == [("门店", 0), ("裂变海报", 0)]
    assert not frames.survival.is_empty()  # friend survival by the friends' own channel (none set here: 未知)


def test_a_row_lists_as_many_members_as_it_added(load, contacts):
    who = view.channel_members(load, contacts, by="member", params=Q1, channel="门店", yes="是", no="否")
    assert who.columns == list(view.MEMBERS)
    assert who.select("member_id", "display_name", "still_friend", "joined", "last_order").rows() == [
        ("4", "丁", "是", dt.date(2024, 3, 10), None), ("3", "丙", "否", dt.date(2024, 2, 1), dt.date(2024, 2, 3))]


def test_a_range_without_new_members_is_empty(load):
    assert view.channel_frames(load, by="member", params={"start": "2025-01-01", "end": "2025-03-31"}) is None
