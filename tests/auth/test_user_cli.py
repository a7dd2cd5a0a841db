"""`python -m siyu user ...`: accounts from the command line (the way back in when a password is lost)."""

from __future__ import annotations

import io
import json

from siyu.auth import accounts
from siyu.cli import main
from siyu.config import load_settings


def run(monkeypatch, *argv: str, stdin: str = "") -> int:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    return main(["user", *argv])


def test_add_passwd_role_unlock_list(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "u.duckdb")
    settings = load_settings(env={}, db=db)
    assert run(monkeypatch, "--db", db, "add", "Olga", "--role", "operator", stdin="first-password\n") == 0
    result = accounts.login(db, "olga", "first-password", settings)
    assert result.ok and result.role == "operator" and result.must_change
    assert run(monkeypatch, "--db", db, "passwd", "olga", stdin="second-password\n") == 0
    assert accounts.login(db, "olga", "second-password", settings).ok
    assert run(monkeypatch, "--db", db, "role", "olga", "--role", "viewer") == 0
    assert run(monkeypatch, "--db", db, "disable", "olga") == 0
    assert not accounts.login(db, "olga", "second-password", settings).ok
    assert run(monkeypatch, "--db", db, "enable", "olga") == 0
    assert run(monkeypatch, "--db", db, "unlock", "olga") == 0
    capsys.readouterr()
    assert run(monkeypatch, "--db", db, "list") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["username"], a["role"]) for a in listed] == [("olga", "viewer")]
    assert "hash" not in json.dumps(listed)


def test_errors_are_messages(tmp_path, monkeypatch, capsys):
    db = str(tmp_path / "u.duckdb")
    assert run(monkeypatch, "--db", db, "add", "x", stdin="short\n") == 1
    assert run(monkeypatch, "--db", db, "passwd", "nobody", stdin="long-enough-pw\n") == 1
    assert run(monkeypatch, "--db", db, "passwd") == 1
    assert "Traceback" not in capsys.readouterr().err


def test_command_line_imports_are_in_the_audit_log(tmp_path):
    from siyu.auth.audit import read_audit

    db = tmp_path / "i.duckdb"
    csv = tmp_path / "orders.csv"
    csv.write_text("order_id,member_id,paid_at,amount\nP1,M1,2024-03-05 10:00,12\nP2,M2,2024-03-06 10:00,3\n",
                   encoding="utf-8")
    assert main(["import", str(csv), "--db", str(db), "--user", "ops-cron"]) == 0
    row = read_audit(db, action="import").row(0, named=True)
    assert (row["username"], row["rows"]) == ("ops-cron", 2)
    assert row["detail"].startswith("orders.csv: batch ") and row["detail"].endswith("(cli)")
