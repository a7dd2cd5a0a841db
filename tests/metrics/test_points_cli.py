"""The points metrics from the command line after a real import: `python -m siyu import` of a GB18030 有赞
积分明细, then `metric points_liability / points_flow / points_value` as JSON and CSV with literal values, and
bad parameters refused with exit code 1 and a Chinese-first message (README: exit codes)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from siyu.cli import main
from siyu.db.connection import ensure_schema, forget_schema_cache

ROWS = [
    "客户昵称,手机号,积分变动,收支类型,变动后积分,变动类型,变动时间",
    "小王,13800138000,+120,收入,120,消费获得,2024-01-01 10:00:00",
    "小王,13800138000,100,支出,20,积分兑换,2024-01-05 09:30:00",
    "李四,13900139000,10,收入,10,分享商品,2024-01-03 12:00:00",
    "李四,13900139000,10,支出,0,积分过期,2024-12-31 23:59:59",
]


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    forget_schema_cache()
    path = tmp_path / "p.duckdb"
    ensure_schema(path)
    export = tmp_path / "积分明细.csv"
    export.write_bytes(("\r\n".join(ROWS) + "\r\n").encode("gb18030"))
    code, out, err = cli("import", str(export), "--db", str(path))
    assert code == 0, out + err
    return path


def test_liability_flow_and_value_as_json_and_csv(db: Path) -> None:
    code, out, _ = cli("metric", "points_liability", "--db", str(db), "--param", "value=0.015")
    assert code == 0
    assert json.loads(out) == [{"members": 1, "issued": 130, "redeemed": 100, "expired": 10, "outstanding": 20,
                                "yuan_per_point": 0.015, "liability": 0.3, "breakage_rate": 10 / 110}]
    code, out, _ = cli("metric", "points_flow", "--db", str(db), "--format", "csv", "--param", "grain=month")
    assert code == 0
    assert out.splitlines() == ["period,kind,issued,redeemed,expired,deducted,changes,members",
                                "2024-01-01,purchase,120,0,0,0,1,1", "2024-01-01,redeem,0,100,0,0,1,1",
                                "2024-01-01,share,10,0,0,0,1,1", "2024-12-01,expire,0,0,10,0,1,1"]
    code, out, _ = cli("metric", "points_value", "--db", str(db))
    assert code == 0 and json.loads(out)["yuan_per_point"] == 0.01 and json.loads(out)["updated_by"] == "default"


@pytest.mark.parametrize(("metric", "param", "words"), [
    ("points_liability", "value=-1", "积分价值需在 0 到"), ("points_liability", "value=abc", "不是数字"),
    ("points_flow", "grain=year", "grain"), ("redeemer_uplift", "window=0", "window"),
    ("near_next_tier", "within=-0.1", "within"),
])
def test_bad_parameters_are_refused(db: Path, metric: str, param: str, words: str) -> None:
    code, out, err = cli("metric", metric, "--db", str(db), "--param", param)
    assert code == 1 and out == "" and words in err
