"""KPIs on a five-member brand whose every figure is worked out by hand in the comments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siyu.cli import main
from siyu.db import reading, writing
from siyu.engine.catalog import run_metric

# member_id, name, joined_at
MEMBERS = [
    (1, "张三", "2024-01-10 09:00"),
    (2, "李四", "2024-02-01 00:00"),
    (3, "王五", "2024-03-15 12:00"),
    (4, "赵六", "2024-06-01 08:00"),
    (5, "孙七", "2023-12-31 20:00"),
]
# order_id, member_id, paid_at, paid_cents, refunded_cents, status
ORDERS = [
    ("A1", 1, "2024-01-10 10:00", 10000, 0, "paid"),
    ("A2", 1, "2024-01-10 18:00", 5000, 0, "paid"),          # same day as A1: not a repurchase
    ("A3", 1, "2024-03-01 09:00", 2000, 0, "paid"),
    ("B1", 2, "2024-02-05 09:00", 0, 0, "paid"),              # free sample: a valid order
    ("C1", 3, "2024-03-20 09:00", 8000, 3000, "partially_refunded"),  # net 50.00
    ("C2", 3, None, 4000, 0, "cancelled"),
    ("D1", 4, "2024-06-05 09:00", 20000, 20000, "refunded"),  # fully refunded: not valid
    ("E1", 5, "2023-12-31 21:00", 9900, 0, "paid"),
    ("E2", 5, None, 3000, 0, "unpaid"),
]
# member_id, staff, added_at, deleted_at
FRIENDS = [
    (1, "A", "2024-01-10 09:00", None),
    (2, "A", "2024-02-01 00:00", "2024-02-03 10:00"),
    (3, "B", "2024-03-15 12:00", "2024-06-10 10:00"),
    (4, "A", "2024-06-01 08:00", None),
    (5, "B", "2023-12-31 20:00", "2024-01-02 10:00"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("kpis") / "kpis.duckdb"
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'fixture', 'test')")
        con.executemany("INSERT INTO members VALUES (?, ?, ?, '门店', 'test', 1)", MEMBERS)
        con.executemany(
            "INSERT INTO orders (order_id, member_id, paid_at, paid_cents, refunded_cents, status, batch_id)"
            " VALUES (?, ?, ?, ?, ?, ?, 1)", ORDERS)
        con.executemany(
            "INSERT INTO friends (member_id, staff_id, added_at, deleted_at, batch_id) VALUES (?, ?, ?, ?, 1)",
            FRIENDS)
    return path


def _kpis(db: Path, **params: str) -> dict:
    with reading(db) as con:
        _, frame = run_metric(con, "kpis", params)
    return frame.row(0, named=True)


def test_first_half_of_2024(db: Path) -> None:
    k = _kpis(db, start="2024-01-01", end="2024-06-30")
    # joined before 2024-07-01: all five; joined inside the range: members 1-4
    assert (k["members"], k["vanity_headcount"], k["new_members"]) == (5, 5, 4)
    # at 2024-07-01: friends 1 and 4 are open; 1, 2 (free sample counts) and 3 bought since 2024-01-02
    assert k["valid_members"] == 4
    # valid orders inside the range: A1 A2 A3 B1 C1 -> 100 + 50 + 20 + 0 + 50
    assert (k["buyers"], k["orders"]) == (3, 5)
    assert k["gmv"] == pytest.approx(220.0, abs=1e-9)
    assert k["arpu"] == pytest.approx(220.0 / 3, rel=1e-12)
    # member 1 bought on 2024-01-10 and 2024-03-01; members 2 and 3 on one day each
    assert k["repurchase_rate"] == pytest.approx(1 / 3, rel=1e-12)
    assert (k["friends_active"], k["friends_deleted"]) == (2, 3)


def test_january_only(db: Path) -> None:
    k = _kpis(db, start="2024-01-01", end="2024-01-31")
    # member 2 joined at midnight 2024-02-01, exactly at the end of the range: not yet a member
    assert (k["members"], k["new_members"]) == (2, 1)
    # friend 1 open; member 5 deleted on 01-02 but bought on 2023-12-31, within 180 days
    assert k["valid_members"] == 2
    assert (k["buyers"], k["orders"], k["gmv"], k["arpu"]) == (1, 2, 150.0, 150.0)
    assert k["repurchase_rate"] == 0.0  # two orders on the same day are one purchase day
    assert (k["friends_active"], k["friends_deleted"]) == (1, 1)


def test_default_range_is_the_whole_data(db: Path) -> None:
    k = _kpis(db)
    assert (str(k["start"]), str(k["end"])) == ("2023-12-31", "2024-06-10")
    assert (k["members"], k["buyers"], k["orders"]) == (5, 4, 6)
    assert k["gmv"] == pytest.approx(319.0, abs=1e-9)
    # as of 2024-06-11: friends 1 and 4 open; buyers since 2023-12-14: 1, 2, 3, 5
    assert k["valid_members"] == 5


def test_a_range_with_no_orders_gives_zeros_not_errors(db: Path) -> None:
    k = _kpis(db, start="2025-01-01", end="2025-01-31")
    assert (k["buyers"], k["orders"], k["gmv"], k["arpu"], k["repurchase_rate"]) == (0, 0, 0.0, 0.0, 0.0)
    assert k["members"] == 5 and k["valid_members"] == 2  # the two open friendships


def test_cli_json_contract(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metric", "kpis", "--db", str(db), "--param", "start=2024-01-01",
                 "--param", "end=2024-06-30", "--format", "json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    for key in ("members", "valid_members", "buyers", "orders", "gmv", "arpu", "repurchase_rate"):
        assert key in payload
    assert payload["gmv"] == 220.0 and payload["orders"] == 5 and payload["start"] == "2024-01-01"


def test_cli_csv_keeps_full_precision(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["metric", "kpis", "--db", str(db), "--param", "start=2024-01-01",
                 "--param", "end=2024-06-30", "--format", "csv"]) == 0
    header, row = capsys.readouterr().out.strip().split("\n")
    values = dict(zip(header.split(","), row.split(","), strict=True))
    assert values["arpu"] == "73.33333333333333"
    assert values["repurchase_rate"] == "0.3333333333333333"


@pytest.mark.parametrize("args, message", [
    (["metric", "nope"], "没有名为"),
    (["metric", "kpis", "--param", "start=yesterday"], "不是日期"),
    (["metric", "kpis", "--param", "start=2024-05-01", "--param", "end=2024-01-01"], "晚于"),
    (["metric", "kpis", "--param", "colour=red"], "不接受参数"),
])
def test_cli_bad_parameters_exit_1_with_a_message(db: Path, capsys: pytest.CaptureFixture[str],
                                                  args: list[str], message: str) -> None:
    assert main([*args, "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and captured.out == ""


def test_kpi_trend_by_month(db: Path) -> None:
    with reading(db) as con:
        _, frame = run_metric(con, "kpi_trend", {"start": "2024-01-01", "end": "2024-06-30"})
    assert frame["period"].cast(str).to_list() == [
        "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01", "2024-05-01", "2024-06-01"]
    assert frame["new_members"].to_list() == [1, 1, 1, 0, 0, 1]
    assert frame["friends_added"].to_list() == [1, 1, 1, 0, 0, 1]
    assert frame["friends_deleted"].to_list() == [1, 1, 0, 0, 0, 1]
    assert frame["buyers"].to_list() == [1, 1, 2, 0, 0, 0]
    assert frame["orders"].to_list() == [2, 1, 2, 0, 0, 0]
    assert frame["gmv"].to_list() == [150.0, 0.0, 70.0, 0.0, 0.0, 0.0]


def test_kpi_trend_marks_periods_the_range_cuts(db: Path) -> None:
    with reading(db) as con:
        _, frame = run_metric(con, "kpi_trend", {"start": "2024-01-15", "end": "2024-03-31"})
    # January is cut at the 15th; February and March are whole
    assert frame["period"].cast(str).to_list() == ["2024-01-01", "2024-02-01", "2024-03-01"]
    assert frame["complete"].to_list() == [False, True, True]
    with reading(db) as con:
        _, weeks = run_metric(con, "kpi_trend", {"start": "2024-01-01", "end": "2024-01-10", "grain": "week"})
    # 2024-01-01 is a Monday: the first week is whole, the second ends on the 14th, after the range
    assert weeks["complete"].to_list() == [True, False]
