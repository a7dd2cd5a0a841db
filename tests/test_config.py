"""Settings: environment, overrides and refusal of unusable values."""

from __future__ import annotations

from pathlib import Path

import pytest

from siyu.config import DEFAULT_DB, load_settings
from siyu.errors import ConfigError


def test_defaults() -> None:
    s = load_settings(env={})
    assert s.db == DEFAULT_DB and s.db.name == "siyu.duckdb" and s.db.parent.name == "data"
    assert (s.lang, s.lock_timeout, s.autodemo) == ("zh", 30.0, True)


def test_environment_and_flag_override() -> None:
    env = {"SIYU_DB": "/tmp/a.duckdb", "SIYU_LOCK_TIMEOUT": "2.5", "SIYU_AUTODEMO": "0", "SIYU_LANG": "en"}
    s = load_settings(env=env)
    assert (s.db, s.lock_timeout, s.autodemo, s.lang) == (Path("/tmp/a.duckdb"), 2.5, False, "en")
    assert load_settings(env=env, db=Path("/tmp/b.duckdb")).db == Path("/tmp/b.duckdb")


@pytest.mark.parametrize("env", [{"SIYU_LOCK_TIMEOUT": "soon"}, {"SIYU_AUTODEMO": "maybe"}, {"SIYU_LANG": "fr"}])
def test_bad_values_are_refused_plainly(env: dict[str, str]) -> None:
    with pytest.raises(ConfigError):
        load_settings(env=env)
