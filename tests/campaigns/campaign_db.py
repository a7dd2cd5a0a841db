"""A small brand for the campaign commands: 40 members with phones, WeCom friendships and spread-out orders."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from siyu.cli import main
from siyu.db import writing


def phone(i: int) -> str:
    return f"1380000{i:04d}"


def build(path: Path) -> Path:
    with writing(path) as con:
        con.execute("INSERT INTO import_batches (batch_id, file_name, profile) VALUES (nextval('batch_id_seq'), 'fixture', 'test')")
        con.execute("INSERT INTO staff VALUES ('zhang', '张导购', '门店', 1)")
        for i in range(1, 41):
            con.execute("INSERT INTO members VALUES (?, ?, TIMESTAMP '2024-01-01', '门店', 'test', 1)", [i, f"会员{i}"])
            if i % 8:  # members 8, 16, 24, 32, 40 have only a masked phone
                con.execute("INSERT INTO member_identities VALUES ('phone', ?, ?, false, 1)", [phone(i), i])
            else:
                con.execute("INSERT INTO member_identities VALUES ('phone_masked', ?, ?, false, 1)",
                            [f"138****{i:04d}", i])
            con.execute("INSERT INTO member_identities VALUES ('external_member_id', ?, ?, false, 1)", [f"M{i:03d}", i])
            if i % 5:  # members 5, 10, ... are not WeCom friends
                con.execute("INSERT INTO member_identities VALUES ('wecom_external_id', ?, ?, false, 1)", [f"wm{i}", i])
                con.execute("INSERT INTO friends (member_id, staff_id, added_at, batch_id) VALUES (?, 'zhang', "
                            "TIMESTAMP '2024-01-01', 1)", [i])
            if i <= 30:  # 30 buyers, 10 never bought
                for k in range(1 + i % 4):
                    con.execute("INSERT INTO orders (order_id, member_id, paid_at, paid_cents, status, batch_id) VALUES "
                                "(?, ?, TIMESTAMP '2024-01-01' + INTERVAL (?) DAY, ?, 'paid', 1)",
                                [f"o{i}_{k}", i, i * 9 + k * 3, 1000 * (i % 7 + 1)])
    return path


def run_cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()
