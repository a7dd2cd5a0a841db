"""The login throttle (issue 16) with a clock the test holds: growing waits per name and per client address,
never a lock an attacker can keep shut, one answer for unknown and existing names, waits in the audit log.

Before: five wrong passwords locked `alice` for 15 minutes, the right password was refused meanwhile, and
five more after the expiry locked her again, for ever; an unknown name never showed “locked”."""

from __future__ import annotations

import datetime as dt

import pytest

from siyu.auth import accounts
from siyu.auth.audit import read_audit
from siyu.auth.throttle import ACCOUNT_MAX_WAIT, Throttle, growing_wait
from siyu.config import load_settings

T0 = dt.datetime(2026, 3, 1, 9, 0, 0)
S = dt.timedelta(seconds=1)
RIGHT = "s3cret-pass"


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "auth.duckdb"
    accounts.create_account(path, "alice", RIGHT, "operator", by="t")
    return path


@pytest.fixture
def settings(db):
    return load_settings(env={}, db=db, max_login_failures=3, lockout_minutes=10)


def outcome(result: accounts.LoginResult, now: dt.datetime) -> tuple:
    wait = (result.locked_until - now).total_seconds() if result.locked_until else None
    return result.reason, wait


def test_the_waits_grow_from_one_second_and_stop_at_their_caps():
    cap = dt.timedelta(seconds=60)
    assert [growing_wait(n, 3, cap).total_seconds() for n in range(1, 12)] == [
        0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_after_the_wait_the_right_password_opens(db, settings):
    assert [outcome(accounts.login(db, "alice", "nope", settings, now=T0, client="a"), T0) for _ in range(3)] == [
        ("bad", None), ("bad", None), ("locked", 1.0)]
    # during the wait even the right password is not checked
    assert outcome(accounts.login(db, "alice", RIGHT, settings, now=T0 + 0.5 * S, client="a"), T0) == ("locked", 1.0)
    assert accounts.login(db, "alice", RIGHT, settings, now=T0 + S, client="a").ok


def test_an_attacker_cannot_keep_the_account_shut(db, settings):
    """Wrong passwords sent the moment each wait ends, from a new address each time (so that no address
    wait applies): the name's waits stop growing at 60 s, and the right password, typed once the current
    wait is over, opens. (From one address, that address's own waits grow to lockout_minutes.)"""
    now, throttle = T0, Throttle()
    waits = []
    for i in range(40):
        result = accounts.login(db, "alice", "guess", settings, now=now, client=f"bot{i}", throttle=throttle)
        if result.locked_until:
            waits.append((result.locked_until - now).total_seconds())
            now = result.locked_until
    assert waits[:8] == [1, 2, 4, 8, 16, 32, 60, 60] and max(waits) == ACCOUNT_MAX_WAIT.total_seconds()
    # the attacker's 41st guess came at `now`; the owner, from their own address, after the 60 s
    assert accounts.login(db, "alice", RIGHT, settings, now=now + ACCOUNT_MAX_WAIT, client="owner",
                          throttle=throttle).ok


def test_hammering_during_a_wait_does_not_make_it_longer(db, settings):
    throttle = Throttle()
    for at in (T0, T0, T0, T0 + S):
        last = accounts.login(db, "alice", "nope", settings, now=at, client="a", throttle=throttle)
    assert last.locked_until == T0 + 3 * S
    for i in range(200):
        hit = accounts.login(db, "alice", "nope", settings, now=T0 + S + 2 * S * (i / 200), client="a", throttle=throttle)
        assert hit.locked_until == T0 + 3 * S
    assert read_audit(db, action="login_failed").height == 4  # refused attempts were not even checked
    assert accounts.login(db, "alice", RIGHT, settings, now=T0 + 3 * S, client="a", throttle=throttle).ok


def test_unknown_and_existing_names_get_the_same_answers(db, settings):
    def run(name: str) -> list:
        throttle = Throttle()
        seen = []
        for step in [0, 0, 0, 0, 1, 1, 3, 3, 3]:
            now = T0 + step * S
            seen.append(outcome(accounts.login(db, name, "nope", settings, now=now, client="x", throttle=throttle), now))
        return seen

    assert run("alice") == run("mallory") == [
        ("bad", None), ("bad", None), ("locked", 1.0), ("locked", 1.0), ("locked", 2.0), ("locked", 2.0),
        ("locked", 4.0), ("locked", 4.0), ("locked", 4.0)]


def test_one_address_trying_many_names_waits_alone(db, settings):
    """Per address: the 4 × max_login_failures-th failure (12th here) over all names starts waits of 1 s,
    2 s, … up to lockout_minutes; another address is not slowed."""
    throttle = Throttle()
    answers = [accounts.login(db, f"user{i}", "nope", settings, now=T0, client="10.0.0.9", throttle=throttle).reason
               for i in range(12)]
    assert answers == ["bad"] * 11 + ["locked"]
    assert outcome(accounts.login(db, "fresh-name", "x", settings, now=T0, client="10.0.0.9", throttle=throttle), T0) == (
        "locked", 1.0)
    assert accounts.login(db, "alice", RIGHT, settings, now=T0, client="10.0.0.1", throttle=throttle).ok
    throttle2 = Throttle()  # the address cap is lockout_minutes (10 min here)
    for i in range(40):
        started = throttle2.failed(f"n{i}", "a", T0, free=3, address_cap=dt.timedelta(minutes=10))
    assert [(w.kind, w.failures, w.until) for w in started] == [("address", 40, T0 + dt.timedelta(minutes=10))]


def test_waits_are_in_the_audit_log_and_an_admin_can_clear_them(db, settings):
    for at in (T0, T0, T0, T0 + S):
        accounts.login(db, "alice", "nope", settings, now=at, client="198.51.100.7")
    locked = read_audit(db, action="locked")
    assert locked.select("username", "detail").rows() == [
        ("alice", "account alice: 4 failures; next attempt from 2026-03-01 09:00:03 (wait 2 s)"),
        ("alice", "account alice: 3 failures; next attempt from 2026-03-01 09:00:01 (wait 1 s)")]
    row = accounts.get_account(db, "alice")
    assert (row["failed_logins"], row["locked_until"]) == (4, T0 + 3 * S)  # what the admin page lists
    accounts.unlock(db, "alice", by="root")
    assert accounts.login(db, "alice", RIGHT, settings, now=T0, client="198.51.100.7").ok


def test_counts_are_forgotten_an_hour_after_the_last_failure(db, settings):
    throttle = Throttle()
    for _ in range(3):
        accounts.login(db, "alice", "nope", settings, now=T0, client="a", throttle=throttle)
    later = T0 + dt.timedelta(hours=1, seconds=1)
    assert [accounts.login(db, "alice", "nope", settings, now=later, client="a", throttle=throttle).reason
            for _ in range(3)] == ["bad", "bad", "locked"]


def test_without_a_client_address_only_the_name_waits(db, settings):
    """Behind a proxy nobody named (siyu.auth.client.client_address gives None): no address is counted, so one
    guesser cannot slow every visitor; the per-name waits still apply."""
    throttle = Throttle()
    answers = [accounts.login(db, f"user{i}", "nope", settings, now=T0, client=None, throttle=throttle).reason
               for i in range(30)]
    assert answers == ["bad"] * 30
    assert [accounts.login(db, "alice", "nope", settings, now=T0, client=None, throttle=throttle).reason
            for _ in range(4)] == ["bad", "bad", "locked", "locked"]
