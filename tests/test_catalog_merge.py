"""python -m siyu.locales.merge: word-table modules (siyu/ui/text_<name>.py) into the catalogs, sorted,
idempotent, refusing a clash; run on copies of the catalogs in a temporary folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from siyu.locales import load_catalog, tomlfile
from siyu.locales.merge import main

ROOT = Path(__file__).resolve().parents[1]
MODULE = '''"""Group words."""

from __future__ import annotations

from siyu.ui.i18n import STRINGS

GRP_STRINGS: dict[str, dict[str, str]] = {
    "grp_title": {"zh": "社群", "en": "Groups"},
    "grp_count": {"zh": "{n} 个群" "（活跃）", "en": "{n} groups (active)"},
}
STRINGS.update(GRP_STRINGS)
'''


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for lang, words in (("zh", {"b_key": "乙", "a_key": "甲"}), ("en", {"b_key": "B", "a_key": "A"})):
        (tmp_path / f"{lang}.toml").write_text(tomlfile.dumps(words, lang), encoding="utf-8")
    return tmp_path


def _module(folder: Path, source: str = MODULE, name: str = "text_grp.py") -> Path:
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def test_merge_adds_sorted_and_is_idempotent(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    module = _module(folder)
    assert main(["--catalogs", str(folder), str(module)]) == 0
    assert "2 new key(s), 0 changed, 0 already" in capsys.readouterr().out
    zh = (folder / "zh.toml").read_text(encoding="utf-8")
    assert zh.splitlines()[-4:] == ['a_key = "甲"', 'b_key = "乙"', 'grp_count = "{n} 个群（活跃）"', 'grp_title = "社群"']
    assert load_catalog(folder / "en.toml")["grp_count"] == "{n} groups (active)"
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    assert main(["--catalogs", str(folder), str(module)]) == 0  # again: nothing changes
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before


def test_merge_refuses_a_clash_and_writes_nothing(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    clash = MODULE.replace('"grp_title": {"zh": "社群", "en": "Groups"}', '"a_key": {"zh": "甲", "en": "Other"}')
    assert main(["--catalogs", str(folder), str(_module(folder, clash))]) == 1
    err = capsys.readouterr().err
    assert "refused, nothing written" in err and "'a_key' (en) is already in the catalog with other words" in err
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before
    # a deliberate rewording: --replace takes the module's words and says so
    assert main(["--catalogs", str(folder), "--replace", str(_module(folder, clash))]) == 0
    assert "changed a_key (en): 'A' -> 'Other'" in capsys.readouterr().out
    assert load_catalog(folder / "en.toml")["a_key"] == "Other" and load_catalog(folder / "zh.toml")["a_key"] == "甲"


def test_merge_refuses_two_modules_that_disagree_and_bad_keys(folder: Path) -> None:
    one = _module(folder, MODULE, "text_one.py")
    two = _module(folder, MODULE.replace("社群", "群组"), "text_two.py")
    assert main(["--catalogs", str(folder), str(one), str(two)]) == 1
    bad = _module(folder, 'X = {"Grp-Title": {"zh": "甲", "en": "A"}}\n', "text_bad.py")
    assert main(["--catalogs", str(folder), str(bad)]) == 1
    computed = _module(folder, 'X = {"grp_a": {"zh": f"{1}", "en": "A"}}\n', "text_f.py")
    assert main(["--catalogs", str(folder), str(computed)]) == 1
    empty = _module(folder, "X = 1\n", "text_empty.py")
    assert main(["--catalogs", str(folder), str(empty)]) == 1


def test_merge_delete_removes_only_a_pure_word_module(folder: Path) -> None:
    pure = _module(folder)
    assert main(["--catalogs", str(folder), "--delete", str(pure)]) == 0
    assert not pure.exists()
    mixed = _module(folder, MODULE + "\n\ndef helper() -> int:\n    return 1\n", "text_mixed.py")
    assert main(["--catalogs", str(folder), "--delete", str(mixed)]) == 1
    assert mixed.exists()


def test_the_script_runs_from_anywhere(folder: Path) -> None:
    module = _module(folder)
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "catalog_merge.py"), "--catalogs", str(folder),
                           str(module)], capture_output=True, text=True, cwd=folder, check=False)
    assert done.returncode == 0, done.stderr
    assert load_catalog(folder / "zh.toml")["grp_title"] == "社群"


def test_basic_strings_round_trip(tmp_path: Path) -> None:
    odd = {"k": 'quote " backslash \\ newline\n tab\t del\x7f ctrl\x01 中文 {x}'}
    path = tmp_path / "zh.toml"
    path.write_text(tomlfile.dumps(odd, "zh"), encoding="utf-8")
    assert load_catalog(path) == odd
    with pytest.raises(ValueError):
        tomlfile.dumps({"Bad-Key": "x"}, "zh")


CHART = '''"""A chart."""

from __future__ import annotations

import plotly.graph_objects as go

from siyu.charts.members import style

LABELS = {
    "zh": {"x": "日期", "people": "人数"},
    "en": {"x": "Day", "people": "People"},
}


def words(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["zh"])
'''


def test_labels_moves_a_chart_table_and_rewrites_the_module(folder: Path) -> None:
    chart = _module(folder, CHART, "grp_chart.py")
    assert main(["--catalogs", str(folder), "--labels", "fig_grp_", str(chart)]) == 0
    assert load_catalog(folder / "en.toml")["fig_grp_people"] == "People"
    assert load_catalog(folder / "zh.toml")["fig_grp_x"] == "日期"
    source = chart.read_text(encoding="utf-8")
    assert "LABELS" not in source and 'return locales.words("fig_grp_", lang)' in source
    assert "from siyu import locales\nfrom siyu.charts.members import style\n" in source  # isort's order
    compile(source, str(chart), "exec")


def test_labels_refuses_a_table_read_another_way_and_writes_nothing(folder: Path) -> None:
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    nested = CHART.replace('"people": "人数"}', '"people": "人数", "k": {"a": "甲"}}').replace(
        '"people": "People"}', '"people": "People", "k": {"a": "A"}}')
    chart = _module(folder, nested, "nested_chart.py")
    assert main(["--catalogs", str(folder), "--labels", "fig_n_", str(chart)]) == 1
    other = _module(folder, CHART + "\nX = LABELS['en']\n", "other_chart.py")
    assert main(["--catalogs", str(folder), "--labels", "fig_o_", str(other)]) == 1
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before
    assert chart.read_text(encoding="utf-8") == nested
