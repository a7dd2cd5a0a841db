"""Every test in tests/reliability is marked `slow` (crashes, lock contention, concurrency: seconds each),
so `-m "not slow and not browser"` is the fast subset (README, "Tests"); new files here are marked too."""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if Path(item.path).resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.slow)
