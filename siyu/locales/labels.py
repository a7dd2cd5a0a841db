"""A chart module's `LABELS = {"zh": {name: text}, "en": {name: text}}` table, moved into the catalogs.

    python -m siyu.locales.merge --labels fig_<chart>_ siyu/charts/<chart>.py

adds every `name` as the key `fig_<chart>_<name>` (a nested table `{"kinds": {"a": ...}}` as
`fig_<chart>_kinds_a`) and rewrites the module: the LABELS assignment goes, and each
`LABELS.get(lang, LABELS["zh"])` becomes `locales.words("fig_<chart>_", lang)`, the chart's word group
(siyu.locales.words). A module that reads LABELS any other way, or has nested tables, keeps its source: the
keys are refused and the module named, to be rewritten by hand (its code indexes the nested table).
"""

from __future__ import annotations

import ast
from collections.abc import Mapping

from siyu.locales import LANGS

LOOKUP = 'LABELS.get(lang, LABELS["zh"])'
IMPORT = "from siyu import locales"


class LabelsError(Exception):
    pass


def _flat(table: Mapping[str, object], prefix: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in table.items():
        if isinstance(value, str):
            out[prefix + name] = value
        elif isinstance(value, Mapping):
            out.update(_flat(value, f"{prefix}{name}_"))
        else:
            raise LabelsError(f"{name!r} is neither a string nor a table")
    return out


def labels_table(source: str, name: str, prefix: str) -> tuple[dict[str, dict[str, str]], str]:
    """The LABELS words as {key: {"zh", "en"}} and the module rewritten to read them from the catalogs."""
    tree = ast.parse(source, filename=name)
    found = [s for s in tree.body if isinstance(s, ast.Assign) and len(s.targets) == 1
             and isinstance(s.targets[0], ast.Name) and s.targets[0].id == "LABELS"]
    if len(found) != 1:
        raise LabelsError(f"{name}: no single top-level LABELS = {{...}} assignment")
    stmt = found[0]
    try:
        table = ast.literal_eval(stmt.value)
    except ValueError:
        raise LabelsError(f"{name}:{stmt.lineno}: LABELS holds a computed value; move it by hand") from None
    if not isinstance(table, dict) or set(table) != set(LANGS):
        raise LabelsError(f"{name}: LABELS must be {{{', '.join(repr(g) for g in LANGS)}: {{name: text}}}}")
    flat = {lang: _flat(table[lang], prefix) for lang in LANGS}
    if len({frozenset(words) for words in flat.values()}) != 1:
        raise LabelsError(f"{name}: the languages of LABELS have different names")
    nested = any(isinstance(v, Mapping) for v in table[LANGS[0]].values())
    lines = source.splitlines(keepends=True)
    del lines[stmt.lineno - 1:stmt.end_lineno]
    rewritten = "".join(lines).replace(LOOKUP, f'locales.words("{prefix}", lang)')
    if nested or "LABELS" in rewritten:
        raise LabelsError(f"{name}: LABELS is read other than as {LOOKUP} (or has nested tables); rewrite it by "
                          f"hand to read locales.words({prefix!r}, lang), then merge its words")
    if IMPORT not in rewritten:  # first of the siyu imports (isort's place), else after the last import
        body = ast.parse(rewritten).body
        imports = [s for s in body if isinstance(s, ast.Import | ast.ImportFrom)]
        ours = [s for s in imports if isinstance(s, ast.ImportFrom) and (s.module or "").split(".")[0] == "siyu"]
        at = ours[0].lineno - 1 if ours else max((s.end_lineno or s.lineno for s in imports), default=0)
        out = rewritten.splitlines(keepends=True)
        out.insert(at, IMPORT + "\n")
        rewritten = "".join(out)
    words = {key: {lang: flat[lang][key] for lang in LANGS} for key in flat[LANGS[0]]}
    return words, rewritten
