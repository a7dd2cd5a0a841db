"""Under pytest-xdist (scripts/test.sh: `-n auto --dist loadfile --no-loadscope-reorder`) the workers take
whole test files in collection order; the browser and slow files (a minute or more each) are handed out
first, so no worker is left running one of them while the others have finished. A run in one process keeps
the usual order."""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)  # after tests/reliability/conftest.py has marked its tests slow
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not hasattr(config, "workerinput"):  # not an xdist worker
        return
    items.sort(key=lambda item: not (item.get_closest_marker("browser") or item.get_closest_marker("slow")))
