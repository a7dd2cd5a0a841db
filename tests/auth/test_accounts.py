"""Accounts without a browser: argon2 hashes, lockout, roles, the first admin, the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.auth import AuthError, accounts, allows
from siyu.auth.audit import read_audit
from siyu.config import load_settings
from siyu.db import reading

T0 = dt.datetime(2026, 3, 1, 9, 0)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "auth.duckdb"


@pytest.fixture
def settings(db):
    return load_settings(env={}, db=db, max_login_failures=3, lockout_minutes=10)


def test_password_is_stored_as_a_salted_argon2id_hash(db, settings):
    accounts.create_account(db, "Alice", "s3cret-pass", "operator", by="t")
    accounts.create_account(db, "bob", "s3cret-pass", "viewer", by="t")
    with reading(db) as con:
        rows = dict(con.execute("SELECT username, password_hash FROM accounts").fetchall())
    assert set(rows) == {"alice", "bob"}  # names are case-insensitive
    assert all(h.startswith("$argon2id$") and "s3cret" not in h for h in rows.values())
    assert rows["alice"] != rows["bob"]  # same password, different salt
    result = accounts.login(db, "ALICE ", "s3cret-pass", settings, now=T0)
    assert (result.ok, result.username, result.role) == (True, "alice", "operator")


def test_wrong_passwords_make_the_next_attempt_wait_then_the_right_one_opens(db, settings):
    """Changed by issue 16: no more 10-minute lock that refuses the right password (tests/auth/test_throttle.py)."""
    accounts.create_account(db, "alice", "s3cret-pass", "operator", by="t")
    assert accounts.login(db, "alice", "nope", settings, now=T0).reason == "bad"
    assert accounts.login(db, "alice", "nope", settings, now=T0).reason == "bad"
    third = accounts.login(db, "alice", "nope", settings, now=T0)
    assert third.reason == "locked" and third.locked_until == T0 + dt.timedelta(seconds=1)
    # during the wait the right password is not even checked
    assert accounts.login(db, "alice", "s3cret-pass", settings, now=T0).reason == "locked"
    assert accounts.login(db, "alice", "s3cret-pass", settings, now=T0 + dt.timedelta(seconds=1)).ok
    actions = read_audit(db)["action"].to_list()[::-1]
    assert actions == ["account_created", "login_failed", "login_failed", "login_failed", "locked", "login"]


def test_a_success_resets_the_failure_count_and_an_admin_can_unlock(db, settings):
    accounts.create_account(db, "alice", "s3cret-pass", "operator", by="t")
    accounts.login(db, "alice", "nope", settings, now=T0)
    accounts.login(db, "alice", "nope", settings, now=T0)
    assert accounts.login(db, "alice", "s3cret-pass", settings, now=T0).ok
    assert accounts.login(db, "alice", "nope", settings, now=T0).reason == "bad"  # counting from 0 again
    for _ in range(2):
        accounts.login(db, "alice", "nope", settings, now=T0)
    assert accounts.get_account(db, "alice")["locked_until"] is not None
    accounts.unlock(db, "alice", by="admin")
    assert accounts.login(db, "alice", "s3cret-pass", settings, now=T0).ok


def test_unknown_and_disabled_accounts_read_as_a_wrong_password(db, settings):
    accounts.create_account(db, "alice", "s3cret-pass", "operator", by="t")
    accounts.create_account(db, "root", "s3cret-pass", "admin", by="t")
    assert accounts.login(db, "mallory", "s3cret-pass", settings).reason == "bad"
    accounts.set_disabled(db, "alice", True, by="root")
    assert accounts.login(db, "alice", "s3cret-pass", settings).reason == "bad"
    hostile = "x' OR '1'='1"
    assert accounts.login(db, hostile, hostile, settings).reason == "bad"
    assert accounts.login(db, "a" * 10_000, "", settings).reason == "bad"
    log = read_audit(db, action="login_failed")
    assert log["detail"].to_list()[::-1] == ["unknown user", "disabled", "unknown user", "unknown user"]
    assert max(len(u) for u in log["username"]) <= accounts.MAX_NAME


def test_roles_are_ordered_and_the_last_admin_stays():
    assert allows("admin", "operator") and allows("operator", "viewer") and not allows("viewer", "operator")
    assert not allows(None, "viewer") and not allows("root", "viewer")


def test_last_admin_cannot_be_demoted_or_disabled(db):
    accounts.create_account(db, "root", "s3cret-pass", "admin", by="t")
    with pytest.raises(AuthError):
        accounts.set_role(db, "root", "viewer", by="root")
    with pytest.raises(AuthError):
        accounts.set_disabled(db, "root", True, by="root")
    accounts.create_account(db, "second", "s3cret-pass", "admin", by="root")
    accounts.set_role(db, "root", "viewer", by="second")
    assert accounts.get_account(db, "root")["role"] == "viewer"


def test_bad_input_is_refused_with_a_message(db):
    with pytest.raises(AuthError, match="8"):
        accounts.create_account(db, "alice", "short", "viewer", by="t")
    with pytest.raises(AuthError, match="role"):
        accounts.create_account(db, "alice", "long enough", "superuser", by="t")
    with pytest.raises(AuthError):
        accounts.create_account(db, "a b", "long enough", "viewer", by="t")
    accounts.create_account(db, "alice", "long enough", "viewer", by="t")
    with pytest.raises(AuthError, match="exists"):
        accounts.create_account(db, "ALICE", "long enough", "viewer", by="t")


def test_first_admin_from_the_environment_or_a_one_time_password(tmp_path):
    db1 = tmp_path / "a.duckdb"
    s1 = load_settings(env={"SIYU_ADMIN_PASSWORD": "from-the-env"}, db=db1)
    assert accounts.ensure_first_admin(db1, s1) is None  # nothing to print: the password is known
    first = accounts.login(db1, "admin", "from-the-env", s1)
    assert first.ok and first.role == "admin" and not first.must_change
    assert accounts.ensure_first_admin(db1, s1) is None  # only once

    db2 = tmp_path / "b.duckdb"
    s2 = load_settings(env={}, db=db2)
    one_time = accounts.ensure_first_admin(db2, s2)
    assert one_time and len(one_time) >= 12
    assert accounts.ensure_first_admin(db2, s2) is None
    second = accounts.login(db2, "admin", one_time, s2)
    assert second.ok and second.must_change
    accounts.change_own_password(db2, "admin", one_time, "a-new-password", s2)
    assert not accounts.login(db2, "admin", "a-new-password", s2).must_change
    with pytest.raises(AuthError):
        accounts.change_own_password(db2, "admin", "wrong-old", "another-password", s2)


def test_settings_never_print_secrets():
    text = repr(load_settings(env={"SIYU_ADMIN_PASSWORD": "hunter2hunter2", "SIYU_PEPPER": "pepper-secret"}))
    assert "hunter2" not in text and "pepper-secret" not in text
