"""member_contacts: names and phones from the database, the last valid order day from the order frame in memory."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from siyu.db import reading, writing
from siyu.db.scope import Scope, apply_scope
from siyu.engine import frame_cache
from siyu.engine.catalog import run_metric
from tests.metrics import analytics_db


def test_member_contacts_literal_and_scoped(tmp_path: Path) -> None:
    db = analytics_db.build(tmp_path / "brand.duckdb")
    with writing(db) as con:
        con.execute("UPDATE members SET display_name = '小林' WHERE member_id = 1")
        con.execute("INSERT INTO member_identities (kind, value, member_id, batch_id) VALUES"
                    " ('phone', '13800138000', 1, 1), ('phone_masked', '139****0000', 3, 1)")
    frame_cache.clear()
    with reading(db) as con:
        _, got = run_metric(con, "member_contacts", {"ids": "5,3,1,2,4,99"})
    # o2 is member 1's last valid order; o3 (partly refunded) still counts for 2; member 4's only order was
    # refunded and member 5's is unpaid: no last order. 99 is nobody. Rows by member id, ids as strings.
    assert got.rows() == [
        ("1", "小林", "13800138000", dt.date(2024, 2, 10)),
        ("2", None, None, dt.date(2024, 1, 21)),
        ("3", None, "139****0000", dt.date(2024, 3, 20)),
        ("4", None, None, None),
        ("5", None, None, None),
    ]
    with reading(db) as con:
        apply_scope(con, Scope(channel="裂变海报"))  # members 3 and 4
        _, scoped = run_metric(con, "member_contacts", {"ids": "1,2,3,4"})
    assert scoped.rows() == [("3", None, "139****0000", dt.date(2024, 3, 20)), ("4", None, None, None)]
