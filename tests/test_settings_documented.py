"""Every setting is documented in README.md with its environment variable (datasette's habit)."""

from dataclasses import fields
from pathlib import Path

import pytest

from siyu.config import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [f.name for f in fields(Settings)])
def test_setting_is_in_the_readme_settings_table(name):
    env = f"SIYU_{name.upper()}"
    rows = [line for line in README.splitlines() if line.startswith(f"| `{name}` |")]
    assert rows, f"README's Settings table has no row for {name}"
    assert f"`{env}`" in rows[0], f"README's row for {name} does not name {env}"


def test_readme_documents_no_setting_that_does_not_exist():
    known = {f"SIYU_{f.name.upper()}" for f in fields(Settings)}
    import re
    mentioned = set(re.findall(r"SIYU_[A-Z_]+", README)) - {"SIYU_PORT"}  # SIYU_PORT belongs to scripts/run.sh
    assert mentioned <= known, mentioned - known


def test_settings_editable_on_the_admin_page_say_so():
    from siyu.auth.runtime_settings import EDITABLE

    for name in EDITABLE:
        row = next(line for line in README.splitlines() if line.startswith(f"| `{name}` |"))
        assert "*(page)*" in row, f"README's row for {name} does not say the admin page can change it"
    marked = {line.split("`")[1] for line in README.splitlines() if line.startswith("| `") and "*(page)*" in line}
    assert marked == set(EDITABLE)
