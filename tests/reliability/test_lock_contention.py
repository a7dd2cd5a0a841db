"""Lock contention: another process holding the database in an open write transaction.

tests/db/test_locking.py checks `metric` against a process that merely has the file open, and
tests/ingest/test_cli_and_crash.py `import` against a reader. This holds the file the way a real
import does (a write transaction with uncommitted rows) and checks every way in: `import`, `metric`
and `report` on the command line (exit code 1, the holder's PID and a how-to-fix on stderr, no
traceback, nothing on stdout, no report file), and the dashboard (AppTest: the plain message as an
st.error, no exception element) both at the entry and on analysis pages after logging in. When the
holder commits, the same commands and pages work again and see its rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import log_in_as
from tests.pages.small_db import build_fixture

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


class Holder:
    """A process inside a write transaction on `db` until told to commit (a line on its stdin)."""

    def __init__(self, db: Path) -> None:
        code = textwrap.dedent(f"""
            import sys, time, duckdb
            for _ in range(100):  # the dashboard keeps the file a moment after a read (siyu.db.connection)
                try:
                    con = duckdb.connect({str(db)!r})
                    break
                except duckdb.IOException:
                    time.sleep(0.05)
            con.execute("BEGIN TRANSACTION")
            con.execute("INSERT INTO members (member_id, joined_at, source, batch_id) "
                        "VALUES (9999, TIMESTAMP '2024-03-20 10:00', 'holder', 1)")
            print("holding", flush=True)
            sys.stdin.readline()
            con.execute("COMMIT")
            con.close()
        """)
        self.proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        assert self.proc.stdout.readline().strip() == "holding"

    def commit(self) -> None:
        self.proc.stdin.write("commit\n")
        self.proc.stdin.flush()
        assert self.proc.wait(30) == 0

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = build_fixture(tmp_path / "held.duckdb")
    log_in_as(AppTest.from_file(APP), path, "admin", "tester")  # the account exists before the lock is taken
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.setenv("SIYU_LOCK_TIMEOUT", "1")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path


@pytest.fixture
def holder(db: Path) -> Iterator[Holder]:
    h = Holder(db)
    try:
        yield h
    finally:
        h.kill()


def _cli(db: Path, tmp: Path, *only: str) -> dict[str, subprocess.Popen]:
    """import, metric and report (or `only` some), started at once (each waits its 1 s for the lock)."""
    orders = tmp / "orders.csv"
    orders.write_text("order_id,member_id,paid_at,amount\nH1,M1,2024-03-05 10:00,10.00\n", encoding="utf-8")
    env = {**os.environ, "SIYU_LOCK_TIMEOUT": "1"}
    commands = {
        "import": ["import", "--db", str(db), str(orders)],
        "metric": ["metric", "kpis", "--db", str(db)],
        "report": ["report", "--db", str(db), "--out", str(tmp / "report.html"), "--no-webhook"],
    }
    return {name: subprocess.Popen([sys.executable, "-m", "siyu", *args], cwd=ROOT, env=env, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for name, args in commands.items() if not only or name in only}


def test_cli_commands_say_who_holds_the_database_then_work_after_the_commit(db: Path, holder: Holder,
                                                                          tmp_path: Path) -> None:
    for name, proc in _cli(db, tmp_path).items():
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 1, (name, err)
        assert out == "", name
        assert "Traceback" not in err, err
        assert f"PID {holder.proc.pid}" in err and "占用" in err and "retry" in err, err
    assert not (tmp_path / "report.html").exists()
    holder.commit()
    for name in ("import", "metric", "report"):  # one after the other: the metric sees the import
        proc = _cli(db, tmp_path, name)[name]
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, (name, err)
        if name == "metric":
            assert '"members": 7' in out  # the fixture's five, the holder's committed one and M1 imported
    assert (tmp_path / "report.html").stat().st_size > 1000


def _app() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60)


def _lock_message(at: AppTest, pid: int) -> str:
    assert not at.exception, [e.message for e in at.exception]
    errors = [e.value for e in at.error]
    assert len(errors) == 1, errors
    assert f"PID {pid}" in errors[0] and "请等该进程" in errors[0] and "Traceback" not in errors[0]
    return errors[0]


def _drawn(at: AppTest) -> tuple:
    return ([t.value for t in at.title], len(at.get("plotly_chart")), [(m.label, m.value) for m in at.metric],
            len(at.dataframe))


def test_the_dashboard_entry_shows_a_plain_message(db: Path, holder: Holder) -> None:
    at = _app().run()
    _lock_message(at, holder.proc.pid)
    assert not at.metric  # nothing half-drawn from a database it could not read


@pytest.mark.parametrize("page", ["app_pages/overview.py", "app_pages/members.py"])
def test_an_open_page_shows_a_plain_message_and_recovers(db: Path, page: str) -> None:
    at = log_in_as(_app(), db, "admin", "tester").run()
    at.switch_page(page).run()
    assert not at.exception and not at.error
    drawn = _drawn(at)
    assert drawn[0]  # the page's title: it really ran
    holder = Holder(db)
    try:
        at.run()
        _lock_message(at, holder.proc.pid)
        holder.commit()
    finally:
        holder.kill()
    at.run()
    assert not at.exception and not at.error
    assert _drawn(at) == drawn
