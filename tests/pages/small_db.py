"""A tiny hand-built database for the page and browser tests, small enough to check every KPI by hand.

Data (all times local, range used by the tests: 2024-01-01 .. 2024-03-31, previous: 2023-10-02 .. 2023-12-31):

members   joined       friend (staff s1)                 valid orders (net)
1         2023-11-10   added 2023-11-10, still a friend  2023-12-01 ¥50
2         2024-01-05   added 2024-01-05, deleted 02-20   2024-01-10 ¥100; 2024-02-15 ¥60 (paid 80, refunded 20)
3         2024-02-01   added 2024-02-01, deleted 03-01   2024-02-03 ¥200 and 2024-02-03 ¥40 (same day)
4         2024-03-10   added 2024-03-10, still a friend  -
5         2023-06-01   -                                 2023-07-01 ¥30 (old buyer, no friend)
and orders that are not valid: m2 cancelled 2024-01-20, m3 fully refunded 2024-03-05, m4 unpaid.

Range 2024-01 .. 2024-03 (hi = 2024-04-01):
members 5; new 3 (m2, m3, m4); friends open at hi: m1, m4 -> 2; recent buyers (180 d, since 2023-10-03):
m1, m2, m3 -> valid = {1, 2, 3, 4} = 4; vanity 5; buyers m2, m3 = 2; orders 4 (o2 o3 o4 o5); gmv 100 + 60 + 200 + 40 = 400;
arpu 200; repeat buyers: m2 (two days) -> 1/2 = 50%; friends deleted 2.
Previous period 2023-10-02 .. 2023-12-31 (hi = 2024-01-01): members 2 (m1, m5); buyers 1 (m1), orders 1,
gmv 50, arpu 50, repurchase 0%; valid {m1} = 1 (m5's order is older than 180 days); deleted 0.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from siyu.db import writing

D = dt.datetime


def insert_batch(con, profile: str = "fixture") -> int:
    return con.execute(
        "INSERT INTO import_batches (batch_id, file_name, profile) VALUES (nextval('batch_id_seq'), ?, ?) "
        "RETURNING batch_id", [f"{profile}.csv", profile]).fetchone()[0]


def build_fixture(path: Path) -> Path:
    with writing(path) as con:
        b = insert_batch(con)
        con.executemany("INSERT INTO members (member_id, display_name, joined_at, channel, source, batch_id) "
                        "VALUES (?, ?, ?, ?, 'fixture', ?)", [
                            (1, "老客甲", D(2023, 11, 10), "包裹卡", b),
                            (2, "=cmd|' /C calc'!A0", D(2024, 1, 5), "裂变海报", b),
                            (3, "丙", D(2024, 2, 1), "门店", b),
                            (4, "丁", D(2024, 3, 10), "门店", b),
                            (5, "戊", D(2023, 6, 1), None, b),
                        ])
        con.execute("INSERT INTO staff VALUES ('s1', '小王', '私域组', ?)", [b])
        con.executemany("INSERT INTO friends (member_id, staff_id, added_at, deleted_at, deleted_by, batch_id) "
                        "VALUES (?, 's1', ?, ?, ?, ?)", [
                            (1, D(2023, 11, 10, 9), None, None, b),
                            (2, D(2024, 1, 5, 10), D(2024, 2, 20, 8), "customer", b),
                            (3, D(2024, 2, 1, 12), D(2024, 3, 1, 12), "staff", b),
                            (4, D(2024, 3, 10, 15), None, None, b),
                        ])
        con.executemany("INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, "
                        "status, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
                            ("o1", 1, D(2023, 12, 1, 10), D(2023, 12, 1, 10), 5000, 0, "paid", b),
                            ("o2", 2, D(2024, 1, 10, 11), D(2024, 1, 10, 11), 10000, 0, "paid", b),
                            ("o3", 2, D(2024, 2, 15, 20), D(2024, 2, 15, 20), 8000, 2000, "partially_refunded", b),
                            ("o4", 3, D(2024, 2, 3, 9), D(2024, 2, 3, 9), 20000, 0, "paid", b),
                            ("o5", 3, D(2024, 2, 3, 21), D(2024, 2, 3, 21), 4000, 0, "paid", b),
                            ("o6", 5, D(2023, 7, 1, 10), D(2023, 7, 1, 10), 3000, 0, "paid", b),
                            ("x1", 2, D(2024, 1, 20, 10), D(2024, 1, 20, 10), 9900, 0, "cancelled", b),
                            ("x2", 3, D(2024, 3, 5, 10), D(2024, 3, 5, 10), 7000, 7000, "refunded", b),
                            ("x3", 4, D(2024, 3, 11, 10), None, 0, 0, "unpaid", b),
                        ])
    return path
