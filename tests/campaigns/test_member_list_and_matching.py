"""Member lists (ids, siyu ids, phones with and without the pepper, WeCom ids) and the matched comparison group."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from siyu.campaigns.matched import matched_group
from siyu.campaigns.member_list import members_in_table
from siyu.db import reading, writing
from siyu.errors import SiyuError
from siyu.ingest.readers import read_table
from siyu.privacy import phone_key
from tests.campaigns import campaign_db


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    return campaign_db.build(tmp_path / "l.duckdb")


@pytest.mark.parametrize(("text", "ids", "unmatched"), [
    ("会员编号\nM001\nsiyu:2\nM404\n\n", [1, 2], 1),
    ("siyu_id\n3\n4\n99\n", [3, 4], 1),
    ("手机号\n+86 138-0000-0005\n138****0008\n13800000006\n", [5, 6], 1),  # a masked phone matches nobody
    ("外部联系人ID\nwm7\nwm5\n", [7], 1),  # member 5 is no WeCom friend
    ("昵称,member_id\n甲,M010\n", [10], 0),
])
def test_lists_are_matched_by_their_first_member_column(db: Path, text: str, ids: list[int], unmatched: int) -> None:
    with reading(db) as con:
        found = members_in_table(con, read_table(text.encode("utf-8")))
    assert found.ids.to_list() == ids and found.unmatched == unmatched


def test_phones_are_keyed_with_the_pepper(db: Path) -> None:
    with writing(db) as con:
        con.execute("UPDATE member_identities SET value = ? WHERE kind = 'phone' AND member_id = 9",
                    [phone_key(campaign_db.phone(9), "s3cret")])
    with reading(db) as con:
        found = members_in_table(con, read_table(f"手机号\n{campaign_db.phone(9)}\n".encode()), "s3cret")
    assert found.ids.to_list() == [9]


@pytest.mark.parametrize(("text", "needle"), [("昵称\n甲\n", "找不到会员列"), ("会员编号\nM999\n", "没有一行对上")])
def test_lists_that_name_nobody_are_clear_errors(db: Path, text: str, needle: str) -> None:
    with reading(db) as con, pytest.raises(SiyuError, match=needle):
        members_in_table(con, read_table(text.encode("utf-8")))


def test_the_matched_group_takes_as_many_per_stratum_as_were_sent() -> None:
    sent = pl.DataFrame({"member_id": [1, 2, 3], "stratum": ["R3F1M1", "R3F1M1", "none"]})
    pool = pl.DataFrame({"member_id": [10, 11, 12, 13, 20, 30], "stratum": ["R3F1M1"] * 4 + ["none", "R1F1M1"]})
    group = matched_group(sent, pool, seed=0)
    assert group.filter(pl.col("stratum") == "R3F1M1").height == 2
    assert group.filter(pl.col("stratum") == "none")["member_id"].to_list() == [20]
    assert 30 not in group["member_id"].to_list()  # a stratum nobody was sent from contributes nobody
    assert group.equals(matched_group(sent, pool.reverse(), seed=0))  # the seed, not the input order, decides
    short = matched_group(pl.DataFrame({"member_id": [1, 2], "stratum": ["none", "none"]}), pool, seed=0)
    assert short["member_id"].to_list() == [20]  # fewer in the pool than sent: all of them
