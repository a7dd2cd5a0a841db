"""Pages not built yet say so, say what they will show, and in the chosen language."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")

PAGES = [
    ("app_pages/segments.py", "分群：开发中", "Segments: coming", "八分群"),
]


@pytest.mark.parametrize(("path", "zh", "en", "mentions"), PAGES)
def test_coming_page(fixture_db, path, zh, en, mentions):
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.switch_page(path).run()
    assert not at.exception and not at.error
    assert at.title[0].value == zh
    assert mentions in at.markdown[0].value
    assert at.caption[0].value.startswith("由 ")  # which work brings it
    at.radio(key="lang").set_value("en").run()
    assert at.title[0].value == en
