"""Login sessions (siyu/auth/sessions.py) against an injected clock: literal instants, no sleeping."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.auth import accounts, sessions
from siyu.db import writing

T0 = dt.datetime(2024, 5, 1, 10, 0, 0)  # the login
TTL = dt.timedelta(minutes=30)
PW = "correct horse battery"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "s.duckdb"
    accounts.create_account(path, "mei", PW, "operator", by="tests")
    with writing(path) as con:  # the password was set an hour before the login
        con.execute("UPDATE accounts SET password_set_at = ? WHERE username = 'mei'", [T0 - dt.timedelta(hours=1)])
    return path


def at(minutes: float) -> dt.datetime:
    return T0 + dt.timedelta(minutes=minutes)


def test_a_session_stands_within_the_idle_ttl_and_only_its_hash_is_stored(db):
    token = sessions.issue(db, "mei", "password", now=T0)
    hashed = sessions.token_hash(token)
    assert len(token) >= 43 and len(hashed) == 64
    found = sessions.check(db, hashed, ttl=TTL, now=at(29))
    assert (found.ok, found.username, found.role, found.via, found.must_change) == (True, "mei", "operator", "password", False)
    with writing(db) as con:
        stored = [r[0] for r in con.execute("SELECT token_hash FROM login_sessions").fetchall()]
    assert stored == [hashed] and token not in stored
    assert sessions.check(db, sessions.token_hash("guessed"), ttl=TTL, now=at(1)).reason == "unknown"
    assert sessions.check(db, "", ttl=TTL, now=at(1)).reason == "unknown"


def test_idle_longer_than_the_ttl_expires_once_and_use_moves_the_clock(db):
    hashed = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    found = sessions.check(db, hashed, ttl=TTL, now=at(0.5))
    assert not sessions.touch(db, found, now=at(0.5))          # less than a minute since: no write
    found = sessions.check(db, hashed, ttl=TTL, now=at(25))
    assert sessions.touch(db, found, now=at(25))               # used at 10:25
    assert sessions.check(db, hashed, ttl=TTL, now=at(55)).ok  # 30 minutes after 10:25 is 10:55
    late = sessions.check(db, hashed, ttl=TTL, now=at(55.5))   # 30.5 minutes idle
    assert (late.ok, late.reason, late.username) == (False, "expired", "mei")
    assert sessions.check(db, hashed, ttl=TTL, now=at(56)).reason == "expired"  # revoked as expired: stays so


def test_no_session_outlives_max_age_however_busy(db):
    hashed = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    ttl = dt.timedelta(hours=6)  # an idle limit of 6 hours, used every 5 hours
    for hours in (5, 10, 15, 20):
        found = sessions.check(db, hashed, ttl=ttl, now=at(hours * 60))
        assert found.ok, hours
        sessions.touch(db, found, now=at(hours * 60))
    assert sessions.check(db, hashed, ttl=ttl, now=at(24 * 60)).ok            # exactly 24 hours
    assert sessions.check(db, hashed, ttl=ttl, now=at(24 * 60 + 1)).reason == "expired"


def test_logout_revokes_only_that_session(db):
    one = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    two = sessions.token_hash(sessions.issue(db, "mei", "password", now=at(1)))
    sessions.revoke(db, one, why="logout", now=at(2))
    assert sessions.check(db, one, ttl=TTL, now=at(3)).reason == "revoked"
    assert sessions.check(db, two, ttl=TTL, now=at(3)).ok
    assert sessions.open_sessions(db, ttl=TTL, now=at(3))["username"].to_list() == ["mei"]


def test_a_disabled_account_ends_its_sessions(db):
    hashed = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    accounts.set_disabled(db, "mei", True, by="admin")
    assert sessions.check(db, hashed, ttl=TTL, now=at(1)).reason == "disabled"
    accounts.set_disabled(db, "mei", False, by="admin")
    assert sessions.check(db, hashed, ttl=TTL, now=at(1)).ok  # enabled again: the session was never revoked


def test_a_password_set_after_the_login_ends_the_session(db):
    hashed = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    with writing(db) as con:  # an admin reset at 10:05
        con.execute("UPDATE accounts SET password_set_at = ? WHERE username = 'mei'", [at(5)])
    assert sessions.check(db, hashed, ttl=TTL, now=at(6)).reason == "password_changed"
    fresh = sessions.token_hash(sessions.issue(db, "mei", "password", now=at(7)))  # logging in again works
    assert sessions.check(db, fresh, ttl=TTL, now=at(8)).ok


def test_revoke_user_ends_every_browser_of_that_user(db):
    accounts.create_account(db, "lin", PW, "viewer", by="tests")
    with writing(db) as con:
        con.execute("UPDATE accounts SET password_set_at = ?", [T0 - dt.timedelta(hours=1)])
    mei = [sessions.token_hash(sessions.issue(db, "mei", "password", now=at(i))) for i in range(2)]
    lin = sessions.token_hash(sessions.issue(db, "lin", "password", now=T0))
    sessions.revoke_user(db, "mei", why="password_changed", now=at(3))
    assert [sessions.check(db, h, ttl=TTL, now=at(4)).reason for h in mei] == ["revoked", "revoked"]
    assert sessions.check(db, lin, ttl=TTL, now=at(4)).ok


def test_sso_sessions_have_no_account_row_and_leave_the_role_to_the_rules(db):
    hashed = sessions.token_hash(sessions.issue(db, "ops@brand.cn", "sso", now=T0))
    found = sessions.check(db, hashed, ttl=TTL, now=at(1))
    assert (found.ok, found.via, found.role) == (True, "sso", None)


def test_ended_sessions_are_forgotten_after_30_days(db):
    old = sessions.token_hash(sessions.issue(db, "mei", "password", now=T0))
    sessions.revoke(db, old, why="logout", now=at(1))
    sessions.issue(db, "mei", "password", now=T0 + dt.timedelta(days=31))
    assert sessions.check(db, old, ttl=TTL, now=T0 + dt.timedelta(days=31)).reason == "unknown"
