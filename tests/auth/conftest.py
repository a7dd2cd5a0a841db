"""Cheaper argon2id parameters for tests (the production ones cost ~0.2 s per hash on purpose)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher

CHEAP = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1)
DUMMY = CHEAP.hash("the hash an unknown name is checked against")


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    monkeypatch.setattr("siyu.auth.accounts.HASHER", CHEAP)
    # An unknown name is verified against accounts._dummy_hash(), made with the production parameters (~0.2 s
    # per login, seconds on a busy machine); here it costs what the accounts' cheap hashes cost, as in production.
    monkeypatch.setattr("siyu.auth.accounts._dummy_hash", lambda: DUMMY)


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The login throttle lives in the process (siyu/auth/throttle.py): each test starts with none."""
    from siyu.auth.throttle import THROTTLE

    THROTTLE.reset()
    yield
    THROTTLE.reset()
