"""An import that commits during a page run never mixes old and new data, nor caches new data under the
old state key (siyu.ui.cache._same_state)."""

from __future__ import annotations

from pathlib import Path

import pytest

from siyu.config import load_settings
from siyu.db import writing
from siyu.ui import cache
from tests.pages.small_db import insert_batch


def test_a_loader_whose_state_went_stale_computes_and_caches_nothing(fixture_db: Path) -> None:
    settings = load_settings(db=fixture_db)
    old = cache.db_state(settings)
    before = cache.metric(str(fixture_db), "tiers", (), old.key, settings.lock_timeout)
    # An import commits after the page read its state, before an uncached loader ran.
    with writing(fixture_db, settings.lock_timeout) as con:
        insert_batch(con, profile="generic_orders")
    new = cache.db_state(settings)
    assert new.key != old.key
    # Already cached under the old key: served as it was (that run is still wholly on the old data).
    assert cache.metric(str(fixture_db), "tiers", (), old.key, settings.lock_timeout).equals(before)
    # Not cached yet: refused under the old key, every time (nothing was cached by the refusal) ...
    for _ in range(2):
        with pytest.raises(cache.DataChanged):
            cache.metric(str(fixture_db), "kpis", (), old.key, settings.lock_timeout)
        with pytest.raises(cache.DataChanged):
            cache.data_bounds(str(fixture_db), old.key, settings.lock_timeout)
        with pytest.raises(cache.DataChanged):
            cache.scope_options(str(fixture_db), old.key, settings.lock_timeout)
    # ... and computed under the new one.
    assert cache.metric(str(fixture_db), "kpis", (), new.key, settings.lock_timeout).height == 1
    assert cache.data_bounds(str(fixture_db), new.key, settings.lock_timeout)[0] is not None
