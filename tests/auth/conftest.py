"""Cheaper argon2id parameters for tests (the production ones cost ~0.2 s per hash on purpose)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher


@pytest.fixture(autouse=True)
def fast_argon2(monkeypatch):
    monkeypatch.setattr("siyu.auth.accounts.HASHER", PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1))
