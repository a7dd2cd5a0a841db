"""groups, group_layers, group_layer_moves, group_members on a hand-built fixture (expected values written
out by hand in the comments), imported through the generic profiles and read through the CLI."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest

from siyu.config import Settings
from siyu.db.connection import ensure_schema, forget_schema_cache
from siyu.ingest import import_file
from siyu.ingest.group_layers import save_layer_rules
from siyu.metrics.groups import group_layers_of
from tests.metrics.analytics_db import run_cli, run_json

MEMBERSHIPS = [
    ["group_id", "group_name", "member_id", "joined_at", "left_at", "group_type"],
    ["g1", "福利1群", "A", "2024-01-01 10:00", "2024-01-03 10:00", "大群"],  # first stay 2 days
    ["g1", "福利1群", "A", "2024-02-01 10:00", "", "大群"],                  # re-join: counted once, from 01-01
    ["g1", "福利1群", "B", "2024-01-01 12:00", "2024-01-20 12:00", "大群"],  # 19 days
    ["g1", "福利1群", "C", "2024-01-02 09:00", "", "大群"],
    ["g1", "福利1群", "D", "2024-04-05 10:00", "", "大群"],                  # 90-day window not closed
    ["g2", "核心群", "C", "2024-01-15 10:00", "", "核心群"],
    ["g2", "核心群", "E", "2024-02-01 10:00", "2024-03-15 10:00", "核心群"],  # 43 days
]
ORDERS = [
    ["order_id", "member_id", "paid_at", "amount", "status"],
    ["o1", "A", "2023-12-20 10:00", "100.00", "paid"],     # 12 days before A's join
    ["o2", "A", "2024-01-10 10:00", "50.00", "paid"],      # day 9
    ["o3", "B", "2024-02-15 10:00", "80.00", "paid"],      # day 45
    ["o4", "C", "2024-01-02 09:00", "30.00", "paid"],      # the instant C joined g1: inside [join, join + 30 d)
    ["o5", "C", "2024-01-20 10:00", "40.00", "refunded"],  # not a valid order
    ["o6", "C", "2024-03-01 10:00", "20.00", "paid"],      # g1 day 59, g2 day 45
    ["o7", "D", "2024-04-06 10:00", "10.00", "paid"],
    ["o8", "E", "2024-01-31 10:00", "60.00", "paid"],      # a day before E joined g2
    ["o9", "E", "2024-05-10 10:00", "70.00", "paid"],      # g2 day 99; the data's last day
]


def _csv(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("gb18030")


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    forget_schema_cache()
    path = tmp_path_factory.mktemp("groups") / "siyu.duckdb"
    ensure_schema(path)
    settings = Settings(db=path, lock_timeout=10.0)
    for name, rows in (("orders.csv", ORDERS), ("group_members.csv", MEMBERSHIPS)):
        report = import_file(path, _csv(rows), file_name=name, settings=settings)
        assert report.ok, (report.refused, report.errors)
    return path


def test_groups_literal(db: Path) -> None:
    rows = run_json(db, "groups")
    assert [list(r)[:9] for r in rows][0] == ["group_id", "group_name", "layer", "joined", "members_now", "left_7d",
                                             "left_30d", "buyers_30d", "buyers_90d"]
    g1, g2 = rows
    # As of 2024-05-10. g1: A, B, C, D joined; A (re-joined), C, D are in it now.
    assert g1 == {
        "group_id": "g1", "group_name": "福利1群", "layer": "mass", "joined": 4, "members_now": 3,
        "left_7d": 1, "left_30d": 2,            # A (2 days); A and B (19 days)
        "buyers_30d": 3, "buyers_90d": 4,       # A (o2), C (o4), D (o7); + B (o3, day 45)
        "left_7d_share": 0.25, "left_30d_share": 0.5, "buyers_30d_share": 0.75,  # all four windows closed
        "buyers_90d_share": 1.0, "matured_90d": 3,  # D's 90 days are not over: A, B, C
        "gmv_90d_after_per_member": 60.0,       # (50 + 80 + 30 + 20) / 3
        "gmv_90d_before_per_member": pytest.approx(100 / 3),  # o1 / 3
        "repeat_rate": 0.25,                    # C bought on two days; A, B, D on one
    }
    assert g2 == {
        "group_id": "g2", "group_name": "核心群", "layer": "core", "joined": 2, "members_now": 1,
        "left_7d": 0, "left_30d": 0, "buyers_30d": 0, "buyers_90d": 1,  # C's o6 on day 45
        "left_7d_share": 0.0, "left_30d_share": 0.0, "buyers_30d_share": 0.0, "buyers_90d_share": 0.5,
        "matured_90d": 2, "gmv_90d_after_per_member": 10.0,  # 20 / 2
        "gmv_90d_before_per_member": 45.0,      # C's o4 (30) + E's o8 (60), / 2
        "repeat_rate": 0.0,
    }


def test_groups_csv_columns_are_the_contract(db: Path) -> None:
    code, text = run_cli(db, "groups", fmt="csv")
    assert code == 0
    assert text.splitlines()[0].startswith(
        "group_id,group_name,layer,joined,members_now,left_7d,left_30d,buyers_30d,buyers_90d,")


def test_group_layers_literal(db: Path) -> None:
    mass, core, sup = run_json(db, "group_layers")
    total = 420.0  # every valid order: 100 + 50 + 80 + 30 + 20 + 10 + 60 + 70
    assert mass == {"layer": "mass", "groups": 1, "members": 4, "members_now": 3, "buyers": 4, "buyer_share": 1.0,
                    "buyers_90d_share": 1.0, "gmv": 190.0,  # since joining: 50 + 80 + 30 + 20 + 10
                    "gmv_share": pytest.approx(190 / total), "arpu": 47.5, "retained_share": 0.75, "repeat_rate": 0.25}
    assert core == {"layer": "core", "groups": 1, "members": 2, "members_now": 1, "buyers": 2, "buyer_share": 1.0,
                    "buyers_90d_share": 0.5, "gmv": 90.0,  # C's o6 + E's o9
                    "gmv_share": pytest.approx(90 / total), "arpu": 45.0, "retained_share": 0.5, "repeat_rate": 0.0}
    assert sup == {"layer": "super", "groups": 0, "members": 0, "members_now": 0, "buyers": 0, "buyer_share": None,
                   "buyers_90d_share": None, "gmv": 0.0, "gmv_share": 0.0, "arpu": None, "retained_share": None,
                   "repeat_rate": None}


def test_group_layer_moves_literal(db: Path) -> None:
    assert [tuple(r.values()) for r in run_json(db, "group_layer_moves")] == [
        ("2024-01-01", "none", "core", 1),   # C (in g1 and g2 at the end of January: the higher layer)
        ("2024-02-01", "none", "core", 1),   # E
        ("2024-02-01", "none", "mass", 1),   # A's re-join (A and B joined and left within January: no move)
        ("2024-03-01", "core", "none", 1),   # E left
        ("2024-04-01", "none", "mass", 1),   # D
    ]


@pytest.mark.parametrize(("params", "ids"), [
    (("group_id=g1", "measure=left_30d"), ["B", "A"]),  # newest first join first
    (("group_id=g1", "measure=members_now"), ["D", "C", "A"]),
    (("group_id=g1", "measure=buyers_30d"), ["D", "C", "A"]),
    (("layer=core", "measure=buyers"), ["E", "C"]),
])
def test_group_members_behind_a_number(db: Path, params: tuple[str, ...], ids: list[str]) -> None:
    # The CLI shows members by their own ids (the generic files' member_id).
    assert [r["member_id"] for r in run_json(db, "group_members", *params)] == ids


def test_group_members_needs_one_population(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = run_cli(db, "group_members", "measure=joined")
    assert code != 0 and "需要 group_id 或 layer" in capsys.readouterr().err


def test_layer_rules_decide_groups_without_a_stated_type() -> None:
    groups = pl.LazyFrame({"group_id": ["a", "b", "c", "d", "e"],
                           "group_name": ["宝妈福利大群1群", "VIP超级用户群", "核心群vip", "随便聊", "x大群"],
                           "group_type": [None, None, None, None, "super"]})
    rules = pl.LazyFrame({"position": [1, 2, 3], "pattern": ["vip", "核心", "大群"], "layer": ["super", "core", "mass"]})
    got = group_layers_of(groups, rules).collect().sort("group_id")
    # c matches both vip and 核心: the first rule wins; e's type was stated by its import.
    assert got["layer"].to_list() == ["mass", "super", "super", "other", "super"]


def test_saved_rules_change_the_layer_and_the_data_version(tmp_path: Path) -> None:
    forget_schema_cache()
    path = tmp_path / "siyu.duckdb"
    ensure_schema(path)
    settings = Settings(db=path, lock_timeout=10.0)
    rows = [["group_id", "group_name", "member_id", "joined_at"], ["x", "VIP 群", "A", "2024-01-01 10:00"]]
    assert import_file(path, _csv(rows), file_name="m.csv", settings=settings).ok
    assert run_json(path, "groups")[0]["layer"] == "other"
    save_layer_rules(path, [("vip", "超级用户群")], settings=settings)
    assert run_json(path, "groups")[0]["layer"] == "super"
