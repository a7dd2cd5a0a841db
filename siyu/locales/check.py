"""The catalog checker behind tests/test_catalogs.py: the catalogs and the code that uses them agree.

Problems it reports (each a line of plain text; none means all is well):
  (a) a key the code asks for is missing from a language;
  (b) a catalog key nothing uses;
  (c) a key whose {placeholders} differ between languages;
  (d) languages with different key sets;
  and words registered outside the catalogs (a leftover `STRINGS.update(...)`, see siyu/locales/merge.py).

How code "uses" a key, read statically from the source (ast, nothing imported):
  - a literal first argument of t(...), text(...) or tr(...) (or locales.text, i18n.t): t("kpi_gmv"),
    tr("a" if x else "b", lang);
  - a built key, t(f"grain_{g}") or tr("f_" + k, lang): its template ("grain_{}") must be declared with
    the values it takes in siyu/locales/dynamic.py (else it is reported), and those keys must exist; a
    declared template built outside a call ({c: f"col_a_{c}" for c in columns}, handed to a table) counts
    the same way;
  - a word group, words("fig_clv_", lang): every key with that prefix;
  - any other string literal equal to a key (tables of column labels, a card's `label`), which counts as
    a use for (b) only: such keys reach t() through a variable and cannot be checked for (a).
"""

from __future__ import annotations

import ast
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

KEY_CALLS = frozenset({"t", "text", "tr"})
GROUP_CALLS = frozenset({"words"})
MODULES = frozenset({"locales", "i18n"})  # locales.text(...), i18n.t(...) count as well


@dataclass
class Uses:
    keys: dict[str, list[str]] = field(default_factory=dict)  # key -> where ("file:line")
    templates: dict[str, list[str]] = field(default_factory=dict)  # "grain_{}" -> where, built in a t() call
    built: set[str] = field(default_factory=set)  # every template built anywhere: {f"col_a_{c}": ...}
    groups: dict[str, list[str]] = field(default_factory=dict)  # "fig_clv_" -> where
    literals: set[str] = field(default_factory=set)
    outside: list[str] = field(default_factory=list)  # "file:line" of STRINGS.update(...)


def _template(node: ast.expr) -> str | None:
    """f"a_{x}" / "a_" + x / x + "_b" as "a_{}" / "a_{}" / "{}_b"; None for anything else."""
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)  # type: ignore[misc]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = node.left.value if isinstance(node.left, ast.Constant) and isinstance(node.left.value, str) else "{}"
        right = node.right.value if isinstance(node.right, ast.Constant) and isinstance(node.right.value, str) else "{}"
        return None if left == right == "{}" else left + right
    return None


def _add(table: dict[str, list[str]], key: str, where: str) -> None:
    table.setdefault(key, []).append(where)


def _first_arg(node: ast.expr, where: str, uses: Uses) -> None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        _add(uses.keys, node.value, where)
    elif isinstance(node, ast.IfExp):
        _first_arg(node.body, where, uses)
        _first_arg(node.orelse, where, uses)
    elif (template := _template(node)) is not None:
        _add(uses.templates, template, where)


def scan(sources: Mapping[str, str]) -> Uses:
    """sources: {file name: Python source}."""
    uses = Uses()
    for name, source in sorted(sources.items()):
        for node in ast.walk(ast.parse(source, filename=name)):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                uses.literals.add(node.value)
            if isinstance(node, ast.JoinedStr | ast.BinOp) and (template := _template(node)) is not None:
                uses.built.add(template)
            if isinstance(node, ast.Assign) and any(  # STRINGS["k"] = {...}
                    isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name)
                    and target.value.id == "STRINGS" for target in node.targets):
                uses.outside.append(f"{name}:{node.lineno}")
            if not isinstance(node, ast.Call):
                continue
            where = f"{name}:{node.lineno}"
            func = node.func
            called = (func.id if isinstance(func, ast.Name)
                      else func.attr if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                      and func.value.id in MODULES else None)
            if called in KEY_CALLS and node.args:
                _first_arg(node.args[0], where, uses)
            elif called in GROUP_CALLS and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    _add(uses.groups, arg.value, where)
            elif (isinstance(func, ast.Attribute) and func.attr == "update" and isinstance(func.value, ast.Name)
                  and func.value.id == "STRINGS"):
                uses.outside.append(where)
    uses.outside.sort(key=lambda w: (w.split(":")[0], int(w.split(":")[1])))
    return uses


def read_sources(root: Path, paths: Iterable[str]) -> dict[str, str]:
    """Every .py file under `paths` (files or folders, relative to root) as {relative name: source}."""
    found: dict[str, str] = {}
    for rel in paths:
        path = root / rel
        for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
            found[file.relative_to(root).as_posix()] = file.read_text(encoding="utf-8")
    return found


def placeholders(text: str) -> list[str]:
    """The {fields} of a str.format template, with their format spec, sorted: "{n:,} / {day}" -> ["{day}", "{n:,}"]
    (a placeholder used twice in one language and once in another is the same placeholder)."""
    return sorted({"{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
                  for _lit, name, spec, conv in string.Formatter().parse(text) if name is not None})


def expand(template: str, values: Sequence[str | Sequence[str]]) -> list[str]:
    """The keys a declared template stands for: one value per {} ("grain_{}": "month" -> "grain_month"; a
    template with several {} takes a tuple each: "{}_{}": ("ret", "mode") -> "ret_mode")."""
    keys = []
    for value in values:
        parts = (value,) if isinstance(value, str) else tuple(value)
        if len(parts) != template.count("{}"):
            raise ValueError(f"{template!r}: {value!r} does not fill its {template.count('{}')} {{}}")
        key = template
        for part in parts:
            key = key.replace("{}", part, 1)
        keys.append(key)
    return keys


def check(catalogs: Mapping[str, Mapping[str, str]], uses: Uses,
          dynamic: Mapping[str, Sequence[str | Sequence[str]]]) -> list[str]:
    problems: list[str] = []
    every = set().union(*catalogs.values()) if catalogs else set()
    # (d) the same keys in every language
    for lang, words_ in catalogs.items():
        for key in sorted(every - set(words_)):
            others = ", ".join(sorted(lang_ for lang_, w in catalogs.items() if key in w))
            problems.append(f"(d) key {key!r} is in {others} but not in {lang}")

    # (a) every key the code asks for, in every language
    wanted: dict[str, list[str]] = {k: list(v) for k, v in uses.keys.items()}
    for template, where in sorted(uses.templates.items()):
        if template not in dynamic:
            problems.append(f"(a) the built key {template!r} at {', '.join(where)} is not declared in "
                            "siyu/locales/dynamic.py (list the values it takes there)")
    for template, values in sorted(dynamic.items()):
        if template not in uses.built:
            problems.append(f"(a) declared template {template!r} is built nowhere in the code (remove it)")
        try:
            keys = expand(template, values)
        except ValueError as exc:
            problems.append(f"(a) declared template {exc}")
            continue
        for key in keys:
            wanted.setdefault(key, []).append(f"siyu/locales/dynamic.py {template!r}")
    for key, where in sorted(wanted.items()):
        for lang, words_ in catalogs.items():
            if key not in words_:
                problems.append(f"(a) key {key!r} used at {', '.join(where)} is missing from {lang}")
    for prefix, where in sorted(uses.groups.items()):
        if not any(k.startswith(prefix) for k in every):
            problems.append(f"(a) the word group {prefix!r} at {', '.join(where)} has no key")

    # (b) every catalog key used somewhere
    used = set(wanted) | uses.literals
    for key in sorted(every - used):
        if not any(key.startswith(prefix) for prefix in uses.groups):
            problems.append(f"(b) catalog key {key!r} is used nowhere in the code (delete it, or declare the "
                            "built key that uses it in siyu/locales/dynamic.py)")

    # (c) the same placeholders in every language
    for key in sorted(every):
        found: dict[str, list[str]] = {}
        for lang, words_ in catalogs.items():
            if key in words_:
                try:
                    found[lang] = placeholders(words_[key])
                except ValueError as exc:
                    problems.append(f"(c) key {key!r} in {lang} is not a valid template ({exc}); write {{{{ }}}} "
                                    "for a literal brace")
        if len({tuple(v) for v in found.values()}) > 1:
            shown = "; ".join(f"{lang_}: {' '.join(v) or 'none'}" for lang_, v in found.items())
            problems.append(f"(c) key {key!r} has different placeholders: {shown}")

    for place in uses.outside:
        problems.append(f"words registered outside the catalogs at {place} (STRINGS.update): move them with "
                        "`python -m siyu.locales.merge FILE`")
    return problems
