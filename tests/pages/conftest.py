"""Fixtures for the page tests: the hand-built database of small_db.py (its docstring explains every number)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.pages.small_db import build_fixture


@pytest.fixture(scope="session")
def fixture_template(tmp_path_factory) -> Path:
    """The hand-built database, built once per session (worker): each test gets its own copy of the file."""
    path = build_fixture(tmp_path_factory.mktemp("fixture_template") / "fixture.duckdb")
    assert not path.with_name(path.name + ".wal").exists()  # closed and checkpointed: the file is all of it
    return path


@pytest.fixture
def fixture_db(tmp_path, monkeypatch, fixture_template) -> Path:
    """A fresh copy of the hand-built database, with SIYU_DB pointing at it and autodemo off."""
    path = tmp_path / "fixture.duckdb"
    shutil.copyfile(fixture_template, path)
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.delenv("SIYU_LANG", raising=False)
    return path


# ---- logging in --------------------------------------------------------------------------------------------
# Every page sits behind the login gate (siyu/ui/auth.py). Page tests are about pages, so each AppTest
# starts logged in as `tester` (an admin account created in $SIYU_DB); tests of the gate itself use the
# `anonymous` fixture, and `log_in_as(at, db, role)` switches to an account of another role.
TEST_PASSWORD = "correct horse battery"


def ensure_account(db: Path, username: str, role: str) -> None:
    from siyu.auth import accounts
    from siyu.errors import SiyuError

    try:
        if accounts.get_account(db, username, timeout=0.5) is None:
            accounts.create_account(db, username, TEST_PASSWORD, role, by="tests", timeout=0.5)
    except SiyuError:  # a test that holds the database's lock on purpose: the account is there already
        pass


def log_in_as(at, db: Path, role: str, username: str | None = None):
    """Mark the AppTest's session as logged in to an account of `role` (created when missing)."""
    import time

    from siyu.ui.auth import SESSION_KEY

    username = username or f"test-{role}"
    ensure_account(db, username, role)
    at.session_state[SESSION_KEY] = {"username": username, "role": role, "via": "password",
                                     "last_seen": time.time(), "must_change": False}
    return at


@pytest.fixture
def anonymous(monkeypatch):
    """AppTests in this test start logged out."""
    monkeypatch.setattr("tests.pages.conftest._AUTO_LOGIN", False)


_AUTO_LOGIN = True


@pytest.fixture(autouse=True)
def _logged_in_apptests(monkeypatch):
    import os

    from streamlit.testing.v1 import AppTest

    original = AppTest.from_file.__func__

    def from_file(cls, *args, **kwargs):
        at = original(cls, *args, **kwargs)
        db = os.environ.get("SIYU_DB")
        if _AUTO_LOGIN and db:
            log_in_as(at, Path(db), "admin", "tester")
        return at

    monkeypatch.setattr(AppTest, "from_file", classmethod(from_file))


@pytest.fixture(autouse=True)
def _fast_argon2(monkeypatch):
    """Cheaper argon2id parameters (the production ones cost ~0.2 s per hash on purpose)."""
    from argon2 import PasswordHasher

    cheap = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
    monkeypatch.setattr("siyu.auth.accounts.HASHER", cheap)
    # An unknown name is verified against accounts._dummy_hash(), made with the production parameters; here it
    # costs what the accounts' cheap hashes cost, as in production (tests/auth/conftest.py does the same).
    dummy = cheap.hash("the hash an unknown name is checked against")
    monkeypatch.setattr("siyu.auth.accounts._dummy_hash", lambda: dummy)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """The login throttle lives in the process (siyu/auth/throttle.py): each test starts with none."""
    from siyu.auth.throttle import THROTTLE

    THROTTLE.reset()
    yield
    THROTTLE.reset()


def shown(markdown: str) -> str:
    """The text a Markdown string shows when it holds literal() parts (siyu/ui/literal.py): the escapes
    removed, and the word joiners. Tests compare messages that carry data or exception text through this."""
    import re

    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")
