"""The staff and tags metrics on the demo brand, recomputed independently with plain pandas from the tables,
and the demo's staff styles (siyu/demo/relations.py) as docs/demo.md tells them."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from siyu.db import reading
from siyu.demo import write_demo
from siyu.engine.catalog import run_metric

DAY = pd.Timedelta(days=1)


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    write_demo(path, members=3000, seed=7)
    return path


def _tables(path: Path) -> dict[str, pd.DataFrame]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            "friends": con.sql("SELECT member_id, staff_id, added_at, deleted_at, deleted_by FROM friends").df(),
            "orders": con.sql("SELECT member_id, paid_at, net_cents FROM valid_orders").df(),
            "tags": con.sql("SELECT member_id, tag_group, tag FROM member_tags").df(),
            "last": con.sql("SELECT greatest((SELECT max(joined_at) FROM members), (SELECT max(paid_at) FROM orders),"
                            " (SELECT max(added_at) FROM friends), (SELECT max(deleted_at) FROM friends)) AS d").df(),
        }
    finally:
        con.close()


def _metric(path: Path, name: str) -> pd.DataFrame:
    with reading(path) as con:
        return run_metric(con, name, {})[1].to_pandas()


def test_staff_matches_pandas(demo: Path) -> None:
    t = _tables(demo)
    hi = pd.Timestamp(t["last"]["d"].iloc[0]).normalize() + DAY
    f = t["friends"][t["friends"]["added_at"] < hi].copy()
    f.loc[f["deleted_at"] >= hi, "deleted_at"] = pd.NaT
    first = f.sort_values("added_at").groupby(["staff_id", "member_id"], as_index=False).first()
    is_open = f[f["deleted_at"].isna()].groupby(["staff_id", "member_id"]).size().rename("open_rows")
    first = first.join(is_open, on=["staff_id", "member_id"])
    lasted = first["deleted_at"] - first["added_at"]
    first["gone7"] = first["deleted_at"].notna() & (lasted < 7 * DAY)
    first["judged7"] = hi - first["added_at"] >= 7 * DAY
    first["credited"] = (first["deleted_at"].isna() & first["judged7"]) | (lasted >= 7 * DAY)
    o = t["orders"][t["orders"]["paid_at"] < hi]
    joined = first.merge(o, on="member_id")
    joined = joined[joined["paid_at"] >= joined["added_at"]]
    money = joined.groupby(["staff_id", "member_id"])["net_cents"].sum().rename("net")
    first = first.join(money, on=["staff_id", "member_id"])
    expected = first.groupby("staff_id").agg(
        friends=("member_id", "size"), active=("open_rows", lambda s: int(s.notna().sum())),
        buyers=("net", lambda s: int(s.notna().sum())), gmv=("net", lambda s: s.fillna(0).sum() / 100),
        credited_friends=("credited", "sum"))
    judged = first[first["judged7"]]
    expected["deleted_7d"] = judged.groupby("staff_id")["gone7"].mean()
    expected["deleted_7d_customer"] = (judged["gone7"] & (judged["deleted_by"] == "customer")).groupby(judged["staff_id"]).mean()
    got = _metric(demo, "staff").set_index("staff_id").sort_index()
    expected = expected.sort_index()
    assert list(got.index) == list(expected.index)
    for column in ("friends", "active", "buyers", "credited_friends"):
        assert got[column].tolist() == expected[column].astype(int).tolist(), column
    for column in ("gmv", "deleted_7d", "deleted_7d_customer"):
        assert got[column].tolist() == pytest.approx(expected[column].tolist()), column


def test_tags_match_pandas(demo: Path) -> None:
    t = _tables(demo)
    hi = pd.Timestamp(t["last"]["d"].iloc[0]).normalize() + DAY
    o = t["orders"][t["orders"]["paid_at"] < hi]
    spend = o.groupby("member_id")["net_cents"].sum().rename("net")
    days = o.assign(day=o["paid_at"].dt.date).groupby("member_id")["day"].nunique().rename("days")
    f = t["friends"][t["friends"]["added_at"] < hi]
    still = (f["deleted_at"].isna() | (f["deleted_at"] >= hi)).groupby(f["member_id"]).any().rename("open")
    tagged = t["tags"].join(spend, on="member_id").join(days, on="member_id").join(still, on="member_id")
    expected = tagged.groupby(["tag_group", "tag"]).agg(
        members=("member_id", "size"), buyers=("net", lambda s: int(s.notna().sum())),
        gmv=("net", lambda s: s.fillna(0).sum() / 100), repeaters=("days", lambda s: int((s >= 2).sum())),
        friends=("open", lambda s: int(s.notna().sum())), active=("open", lambda s: int(s.fillna(False).sum())))
    got = _metric(demo, "tags").set_index(["tag_group", "tag"]).sort_index()
    expected = expected.sort_index()
    assert list(got.index) == list(expected.index)
    assert got["members"].tolist() == expected["members"].tolist()
    assert got["buyers"].tolist() == expected["buyers"].tolist()
    assert got["gmv"].tolist() == pytest.approx(expected["gmv"].tolist())
    assert got["repeat_rate"].tolist() == pytest.approx((expected["repeaters"] / expected["buyers"]).tolist())
    assert got["friend_retention"].tolist() == pytest.approx((expected["active"] / expected["friends"]).tolist())


def test_demo_staff_styles_tell_their_story(demo: Path) -> None:
    card = _metric(demo, "staff").set_index("staff_id")
    lin, su = card.loc["tl_LinKe"], card.loc["SuQing"]
    assert lin["deleted_7d"] > 0.3 and lin["deleted_7d_customer"] > 5 * lin["deleted_7d_staff"]  # a third gone in a week
    assert lin["friends"] > 3 * su["friends"]                                                      # she adds many more
    assert su["deleted_30d"] == 0.0 and su["buyer_90d"] > 0.9                                     # his stay and buy
    assert su["gmv_per_friend"] > 50 * lin["gmv_per_friend"]
    tags = _metric(demo, "tags").set_index(["tag_group", "tag"])
    assert tags.loc[("孩子年龄", "7岁"), "buyer_share"] > tags.loc[("孩子年龄", "3岁"), "buyer_share"]
