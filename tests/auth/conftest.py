"""Cheaper argon2id parameters for tests (the production ones cost ~0.2 s per hash on purpose)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    monkeypatch.setattr("siyu.auth.accounts.HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))


@pytest.fixture(autouse=True)
def fresh_throttle():
    """The login throttle lives in the process (siyu/auth/throttle.py): each test starts with none."""
    from siyu.auth.throttle import THROTTLE

    THROTTLE.reset()
    yield
    THROTTLE.reset()
