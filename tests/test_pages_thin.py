"""Pages only draw (issue #13): each file in app_pages/ is at most 80 lines of glue, and the per-page view
functions they draw from (siyu/ui/views/) never touch Streamlit, so they are tested without it (tests/ui)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_PAGE_LINES = 80
PAGES = sorted((ROOT / "app_pages").glob("*.py"))
VIEWS = sorted((ROOT / "siyu" / "ui" / "views").glob("*.py"))


def test_there_are_pages_and_views():
    assert len(PAGES) >= 8 and len(VIEWS) >= 8


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_is_at_most_80_lines(page):
    lines = len(page.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_PAGE_LINES, (f"{page.name} has {lines} lines: move what it computes into "
                                     f"siyu/ui/views/{page.stem}.py and what it draws into a siyu/ui helper")


@pytest.mark.parametrize("module", VIEWS, ids=lambda p: p.name)
def test_a_view_never_imports_streamlit(module):
    tree = ast.parse(module.read_text(encoding="utf-8"))
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name.split(".")[0] == "streamlit"}, module.name
    # nor a siyu.ui module that does (all of siyu.ui outside views/ may draw)
    drawing = {name for name in imported if name.startswith("siyu.ui") and not name.startswith("siyu.ui.views")}
    assert not drawing, f"{module.name} imports {drawing}"
