"""The text catalogs (siyu/locales/{zh,en}.toml) and the code agree, checked statically on the source:

(a) every key the code uses is in both languages, (b) every catalog key is used, (c) a key has the same
{placeholders} in both languages, (d) both languages have the same keys; plus: no words registered outside
the catalogs, and the files are in their canonical sorted form. The checker's own tests below show each
check fails on a small bad catalog."""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from siyu import locales
from siyu.locales import LANGS, catalog_path, load_catalog, text, tomlfile, words
from siyu.locales.check import check, placeholders, read_sources, scan
from siyu.locales.dynamic import DYNAMIC_KEYS

ROOT = Path(__file__).resolve().parents[1]
CODE = ("siyu", "app_pages", "app.py")


def _catalogs() -> dict[str, dict[str, str]]:
    return {lang: load_catalog(catalog_path(lang)) for lang in LANGS}


def _code() -> dict[str, str]:
    """The code that uses the catalogs; siyu/locales itself left out (its declarations name keys)."""
    return {name: source for name, source in read_sources(ROOT, CODE).items() if not name.startswith("siyu/locales/")}


def test_the_catalogs_and_the_code_agree() -> None:
    problems = check(_catalogs(), scan(_code()), DYNAMIC_KEYS)
    assert problems == [], "\n".join(problems)


def test_the_catalog_files_are_in_canonical_form() -> None:
    """Sorted `key = "text"` lines under the fixed header: two branches adding keys touch different lines.
    Fix with `python -m siyu.locales.merge --format`."""
    for lang, entries in _catalogs().items():
        assert catalog_path(lang).read_text(encoding="utf-8") == tomlfile.dumps(entries, lang), lang


def test_locales_imports_only_the_standard_library() -> None:
    """Charts and the report (no Streamlit, no siyu.ui) read the catalogs through this package."""
    for path in sorted((ROOT / "siyu" / "locales").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                top = name.split(".")[0]
                assert top in sys.stdlib_module_names or name.startswith("siyu.locales"), (path.name, name)


def test_text_fills_placeholders_and_falls_back_to_chinese() -> None:
    assert text("kpi_gmv", "en") == "GMV (net)"
    assert text("kpi_gmv", "zh") == "GMV（净额）"
    assert text("kpi_gmv", "fr") == "GMV（净额）"
    assert text("demo_building", "en", members=1200) == "The database is empty; building the demo brand (1200 members)…"
    assert text("imp_rate", "zh", rows=12345, rate=1234.5) == "12,345 行，每秒 1,234 行"
    with pytest.raises(KeyError):
        text("no_such_key", "zh")
    assert words("fig_clv_", "en")["actual"] == "Actual"
    assert locales.has("kpi_gmv") and not locales.has("no_such_key")


# ---- the checker on small catalogs: each check can fail --------------------------------------------------

SOURCE = {"page.py": 't("hello", name=x)\nt(f"grain_{g}")\nLABELS = {"c": "col_c"}\n'
                     'w = words("fig_a_", lang)\n'}
GOOD = {"zh": {"hello": "你好 {name}", "grain_month": "月", "grain_week": "周", "col_c": "列", "fig_a_x": "甲"},
        "en": {"hello": "Hello {name}", "grain_month": "Month", "grain_week": "Week", "col_c": "Column",
               "fig_a_x": "A"}}
DECLARED = {"grain_{}": ("month", "week")}


def _check(catalogs: dict[str, dict[str, str]], source: dict[str, str] = SOURCE,
           dynamic: Mapping[str, Sequence[str | Sequence[str]]] = DECLARED) -> list[str]:
    return check(catalogs, scan(source), dynamic)


def _without(lang: str, key: str) -> dict[str, dict[str, str]]:
    return {lg: {k: v for k, v in words_.items() if not (lg == lang and k == key)} for lg, words_ in GOOD.items()}


def test_checker_passes_a_good_catalog() -> None:
    assert _check(GOOD) == []


def test_checker_a_key_used_in_code_missing_from_a_language() -> None:
    both = {lang: {k: v for k, v in w.items() if k != "hello"} for lang, w in GOOD.items()}
    assert _check(both) == ["(a) key 'hello' used at page.py:1 is missing from zh",
                            "(a) key 'hello' used at page.py:1 is missing from en"]
    assert "(a) key 'grain_week' used at siyu/locales/dynamic.py 'grain_{}' is missing from en" in _check(
        _without("en", "grain_week"))


def test_checker_a_built_key_must_be_declared() -> None:
    problems = _check(GOOD, dynamic={})
    assert problems[0].startswith("(a) the built key 'grain_{}' at page.py:2 is not declared")
    stale = _check(GOOD, dynamic={**DECLARED, "gone_{}": ("x",)})
    assert "(a) declared template 'gone_{}' is built nowhere in the code (remove it)" in stale


def test_checker_a_template_with_several_parts() -> None:
    source = {**SOURCE, "p.py": 't(f"{prefix}_{name}")\n'}
    catalogs = {lang: {**w, "ret_mode": "m", "seg_cut": "c"} for lang, w in GOOD.items()}
    assert _check(catalogs, source, {**DECLARED, "{}_{}": (("ret", "mode"), ("seg", "cut"))}) == []
    missing = _check(catalogs, source, {**DECLARED, "{}_{}": (("ret", "mode"), ("seg", "cut"), ("x", "y"))})
    assert missing[0].startswith("(a) key 'x_y' used at siyu/locales/dynamic.py '{}_{}' is missing from zh")
    wrong = _check(catalogs, source, {**DECLARED, "{}_{}": ("ret_mode",)})
    assert wrong[0] == "(a) declared template '{}_{}': 'ret_mode' does not fill its 2 {}"


def test_checker_an_unused_catalog_key() -> None:
    extra = {lang: {**w, "orphan": "x"} for lang, w in GOOD.items()}
    assert _check(extra) == ["(b) catalog key 'orphan' is used nowhere in the code (delete it, or declare the "
                             "built key that uses it in siyu/locales/dynamic.py)"]
    # a declared template lists its values: a key with the prefix but not declared is unused
    month_only = _check(GOOD, dynamic={"grain_{}": ("month",)})
    assert any(p.startswith("(b) catalog key 'grain_week'") for p in month_only)


def test_checker_placeholders_that_differ() -> None:
    bad = {"zh": {**GOOD["zh"], "hello": "你好 {nmae}"}, "en": GOOD["en"]}
    assert _check(bad) == ["(c) key 'hello' has different placeholders: zh: {nmae}; en: {name}"]
    spec = {"zh": {**GOOD["zh"], "hello": "你好 {name:,}"}, "en": GOOD["en"]}
    assert _check(spec) == ["(c) key 'hello' has different placeholders: zh: {name:,}; en: {name}"]
    broken = {"zh": {**GOOD["zh"], "hello": "你好 {name"}, "en": GOOD["en"]}
    assert _check(broken)[0].startswith("(c) key 'hello' in zh is not a valid template")
    assert placeholders("{n:,} 与 {day}，{n:,}") == ["{day}", "{n:,}"]


def test_checker_different_key_sets() -> None:
    assert "(d) key 'col_c' is in zh but not in en" in _check(_without("en", "col_c"))


def test_checker_words_registered_outside_the_catalogs() -> None:
    source = {**SOURCE, "siyu/ui/text_grp.py": 'STRINGS.update({"grp_x": {"zh": "甲", "en": "A"}})\n'
                                               'STRINGS["grp_y"] = {"zh": "乙", "en": "B"}\n'}
    problems = _check(GOOD, source)
    assert problems[-2].startswith("words registered outside the catalogs at siyu/ui/text_grp.py:1")
    assert problems[-1].startswith("words registered outside the catalogs at siyu/ui/text_grp.py:2")


def test_checker_reads_conditional_and_concatenated_keys() -> None:
    uses = scan({"r.py": 'tr("a" if x else "b", lang)\ntr("f_" + k, lang)\nlocales.text("c", "zh")\n'
                         'st.text("not_a_key")\n'})
    assert set(uses.keys) == {"a", "b", "c"} and set(uses.templates) == {"f_{}"}


# ---- no words picked by language outside the catalogs ------------------------------------------------------

# Files that may still branch on the language, and why: none of them picks words.
LANGUAGE_BRANCHES_ALLOWED = {
    "siyu/charts/ticks.py": "axis units 万/亿 vs K/M/B: number formatting, as siyu/format.py",
    "siyu/charts/overview.py": "d3 date patterns per language: date formatting, as siyu/format.py",
    "siyu/ui/tables.py": "moment.js date patterns per language: date formatting, as siyu/format.py",
    "siyu/charts/segments.py": "which segment family gets translated depends on the language; the words are catalog keys",
    "siyu/report/__init__.py": "the HTML lang attribute (zh-CN / en)",
    "siyu/ui/views/model.py": "picks one half of a model's own '中文 / English' message",
    "siyu/ui/i18n.py": "LANG_NAMES: each language named in itself for the switch, never translated",
}


def _language_branches(source: str) -> list[int]:
    """Lines comparing something with "zh"/"en", or holding a {"zh": ..., "en": ...} dict literal."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.Eq | ast.NotEq) and any(
                isinstance(side, ast.Constant) and side.value in LANGS for side in [node.left, *node.comparators]):
            found.append(node.lineno)
        elif isinstance(node, ast.Dict) and {getattr(k, "value", None) for k in node.keys} == set(LANGS):
            found.append(node.lineno)
    return found


def test_no_code_picks_words_by_language() -> None:
    """Words differ by language only through the catalogs (a `W = {key: (zh, en)}` table, a LABELS dict or
    `"人" if lang == "zh" else "people"` would escape the catalog test)."""
    sources = read_sources(ROOT, ("siyu/ui", "siyu/charts", "siyu/report", "app_pages", "app.py"))
    offenders = {name: lines for name, source in sources.items()
                 if name not in LANGUAGE_BRANCHES_ALLOWED and (lines := _language_branches(source))}
    assert offenders == {}
    assert _language_branches('x = "人" if lang == "zh" else "people"\nW = {"a": {"zh": "甲", "en": "A"}}\n') == [1, 2]
