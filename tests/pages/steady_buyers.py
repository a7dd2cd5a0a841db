"""Twelve steady buyers added to the hand-built fixture (tests/pages/small_db.py): members 11..22 each buy
¥100 every Sunday from 2024-02-11 to 2024-03-10, the data's last day. Nobody among them has stopped, so the
BG/NBD likelihood keeps improving as the dropout parameter a falls to its bound: the fit does not converge
(a real non-convergence, not a mocked one) and the pages must say so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from siyu.db import writing
from tests.pages.small_db import insert_batch

SUNDAYS = [dt.datetime(2024, 2, 11, 10) + dt.timedelta(weeks=k) for k in range(5)]


def add_steady_buyers(path: Path) -> Path:
    with writing(path) as con:
        b = insert_batch(con, "steady")
        con.executemany("INSERT INTO members (member_id, display_name, joined_at, channel, source, batch_id) "
                        "VALUES (?, ?, ?, '门店', 'fixture', ?)",
                        [(m, f"常客{m}", dt.datetime(2024, 2, 1), b) for m in range(11, 23)])
        con.executemany("INSERT INTO orders (order_id, member_id, created_at, paid_at, paid_cents, refunded_cents, "
                        "status, batch_id) VALUES (?, ?, ?, ?, 10000, 0, 'paid', ?)",
                        [(f"s{m}-{k}", m, day, day, b) for m in range(11, 23) for k, day in enumerate(SUNDAYS)])
    return path
