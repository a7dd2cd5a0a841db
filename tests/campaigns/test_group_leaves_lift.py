"""campaign_lift through the CLI reads customer-group leaves from the database (m_campaign_group_leaves.sql):
members 1-10 sent and 11-15 held out at 2024-06-01 10:00, nobody deleted a friend, some left groups."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siyu.db import writing
from tests.campaigns import campaign_db

LEAVES = [  # group_id, member_id, joined_at, left_at
    ("g1", 2, "2024-05-01 09:00", "2024-06-02 09:00"),   # sent, day 1
    ("g1", 4, "2024-05-01 09:00", "2024-06-05 09:00"),   # sent, day 4 ...
    ("g2", 4, "2024-05-01 09:00", "2024-06-06 09:00"),   # ... and another group on day 5: one member
    ("g1", 5, "2024-05-01 09:00", "2024-06-08 10:00"),   # sent, exactly start + 7 days: outside
    ("g1", 6, "2024-05-01 09:00", "2024-05-31 09:00"),   # sent, before the send: outside
    ("g1", 3, "2024-05-01 09:00", None),                 # sent, still in the group
    ("g1", 11, "2024-05-01 09:00", "2024-06-03 09:00"),  # held out, day 2
    ("g1", 20, "2024-05-01 09:00", "2024-06-02 09:00"),  # in no campaign
]


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = campaign_db.build(tmp_path / "brand.duckdb")
    with writing(path) as con:
        for i in range(1, 16):
            con.execute("INSERT INTO campaign_sends (campaign, member_id, sent_at, arm, batch_id) VALUES "
                        "('群测试', ?, TIMESTAMP '2024-06-01 10:00', ?, 1)", [i, "send" if i <= 10 else "holdout"])
        con.execute("INSERT INTO groups (group_id, group_name, batch_id) VALUES ('g1', '一群', 1), ('g2', '二群', 1)")
        for group, member, joined, left in LEAVES:
            con.execute("INSERT INTO group_memberships (group_id, member_id, joined_at, left_at, left_source, batch_id) "
                        "VALUES (?, ?, ?, ?, ?, 1)", [group, member, joined, left, "export" if left else None])
    return path


def test_group_leaves_counted_from_the_database(db: Path) -> None:
    code, out, _ = campaign_db.run_cli("metric", "campaign_lift", "--db", str(db), "--param", "windows=7,30")
    assert code == 0
    for row in json.loads(out):
        assert (row["sent"], row["holdout"]) == (10, 5)
        # left a group within 7 days: sent {2, 4} = 2/10, held out {11} = 1/5; no friend was deleted
        assert (row["sent_left_group_7d_rate"], row["holdout_left_group_7d_rate"]) == (0.2, 0.2)
        assert (row["sent_friend_deleted_7d_rate"], row["holdout_friend_deleted_7d_rate"]) == (0.0, 0.0)
        assert (row["sent_deleted_7d_rate"], row["holdout_deleted_7d_rate"]) == (0.2, 0.2)
