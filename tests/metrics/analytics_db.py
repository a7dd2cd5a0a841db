"""A tiny brand in a DuckDB file for CLI runs of the analytics metrics (literal checks live in each test)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from siyu.cli import main
from siyu.db import writing

MEMBERS = [  # member_id, joined_at, channel
    (1, "2024-01-03 09:00", "包裹卡"),
    (2, "2024-01-20 10:00", "门店"),
    (3, "2024-02-01 08:00", "裂变海报"),
    (4, "2024-02-15 08:00", "裂变海报"),
    (5, "2024-03-01 08:00", None),
]
ORDERS = [  # order_id, member_id, paid_at, paid_cents, refunded_cents, discount_cents, status, coupon_code
    ("o1", 1, "2024-01-03 10:00", 10000, 0, 0, "paid", None),
    ("o2", 1, "2024-02-10 10:00", 5000, 0, 0, "paid", None),
    ("o3", 2, "2024-01-21 10:00", 20000, 5000, 0, "partially_refunded", None),
    ("o4", 3, "2024-02-02 10:00", 0, 0, 1000, "paid", "NEW10"),
    ("o5", 3, "2024-03-20 10:00", 8000, 0, 0, "paid", None),
    ("o6", 4, "2024-03-01 10:00", 3000, 3000, 0, "refunded", None),
    ("o7", 5, None, 3000, 0, 0, "unpaid", None),
]
FRIENDS = [  # member_id, staff_id, added_at, deleted_at, channel
    (1, "A", "2024-01-03 09:00", None, "包裹卡"),
    (2, "A", "2024-01-20 10:00", "2024-01-22 10:00", "门店"),
    (3, "B", "2024-02-01 08:00", None, "裂变海报"),
    (4, "B", "2024-02-15 08:00", "2024-02-15 09:00", "裂变海报"),
]
TIERS = [("普通", 1), ("高级", 2), ("尊享", 3)]
SNAPSHOTS = [  # member_id, snapshot_date, tier
    (1, "2024-01-31", "普通"), (2, "2024-01-31", "高级"),
    (1, "2024-03-31", "高级"), (2, "2024-03-31", "高级"), (3, "2024-03-31", "普通"),
]
REFERRALS = [(3, 1, "2024-02-01 08:00", "春季裂变"), (4, 3, "2024-02-15 08:00", "春季裂变")]
ITEMS = [("o1", 1, "精华液", "S1", 1, 10000), ("o5", 1, "面霜", "S2", 1, 8000)]


def build(path: Path) -> Path:
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (1, 'fixture', 'test')")
        con.executemany("INSERT INTO members VALUES (?, NULL, ?, ?, 'test', 1)", MEMBERS)
        con.executemany(
            "INSERT INTO orders (order_id, member_id, paid_at, paid_cents, refunded_cents, discount_cents, status,"
            " coupon_code, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1)", ORDERS)
        con.executemany("INSERT INTO friends (member_id, staff_id, added_at, deleted_at, channel, batch_id)"
                        " VALUES (?, ?, ?, ?, ?, 1)", FRIENDS)
        con.executemany("INSERT INTO tiers VALUES (?, ?)", TIERS)
        con.executemany("INSERT INTO member_snapshots (member_id, snapshot_date, tier, batch_id) VALUES (?, ?, ?, 1)",
                        SNAPSHOTS)
        con.executemany("INSERT INTO referrals VALUES (?, ?, ?, ?, 1)", REFERRALS)
        con.executemany("INSERT INTO order_items VALUES (?, ?, ?, ?, ?, ?, 1)", ITEMS)
    return path


def run_cli(db: Path, name: str, *params: str, fmt: str = "json") -> tuple[int, str]:
    argv = ["metric", name, "--db", str(db), "--format", fmt]
    for p in params:
        argv += ["--param", p]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, out.getvalue()


def run_json(db: Path, name: str, *params: str) -> list[dict]:
    code, text = run_cli(db, name, *params)
    assert code == 0, text
    return json.loads(text)
