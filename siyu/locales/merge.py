"""Move `{key: {"zh": ..., "en": ...}}` word tables from Python modules into the catalogs.

    python -m siyu.locales.merge siyu/ui/text_<name>.py ...   (or scripts/catalog_merge.py)
    python -m siyu.locales.merge --delete siyu/ui/text_<name>.py   (also deletes the emptied module)
    python -m siyu.locales.merge --format                          (rewrite the catalogs in canonical form)
    python -m siyu.locales.merge --labels fig_<chart>_ siyu/charts/<chart>.py   (a chart's LABELS table)

Reads the modules as source (nothing is imported): every dict literal shaped {str: {"zh": str, "en": str}}
in them, wherever it is (a module constant or the argument of STRINGS.update). The catalogs are rewritten
sorted, so the output does not depend on the order of the modules. A key already in a catalog with the same
words is fine (running it twice changes nothing); with different words it is refused and nothing is written.
Exit status 0 done, 1 refused, 2 bad arguments.
"""

from __future__ import annotations

import argparse
import ast
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from siyu.locales import DIR, LANGS, load_catalog
from siyu.locales.labels import LabelsError, labels_table
from siyu.locales.tomlfile import KEY, dumps

ROOT = Path(__file__).resolve().parents[2]


class MergeError(Exception):
    pass


def _word_table(node: ast.Dict) -> bool:
    """A dict literal whose values are all {"zh": ..., "en": ...} dict literals (one per language)."""
    if not node.keys:
        return False
    for key, value in zip(node.keys, node.values, strict=True):
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str) and isinstance(value, ast.Dict)):
            return False
        names = {k.value for k in value.keys if isinstance(k, ast.Constant)}
        if names != set(LANGS) or len(value.keys) != len(LANGS):
            return False
    return True


def tables_in(source: str, name: str) -> tuple[dict[str, dict[str, str]], list[ast.Dict]]:
    """The words of every word table in `source`, and the table nodes (for --delete)."""
    found: dict[str, dict[str, str]] = {}
    nodes = [n for n in ast.walk(ast.parse(source, filename=name)) if isinstance(n, ast.Dict) and _word_table(n)]
    for node in nodes:
        try:
            table = ast.literal_eval(node)
        except ValueError:
            raise MergeError(f"{name}:{node.lineno}: a word table with a computed value (only string literals "
                             "can be moved; write the words out)") from None
        for key, words in table.items():
            if not all(isinstance(words[lang], str) for lang in LANGS):
                raise MergeError(f"{name}: {key!r} has a value that is not a string")
            if key in found and found[key] != words:
                raise MergeError(f"{name}: {key!r} appears twice with different words")
            found[key] = {lang: words[lang] for lang in LANGS}
    return found, nodes


def merged(catalogs: Mapping[str, Mapping[str, str]], entries: Mapping[str, Mapping[str, str]],
           origin: Mapping[str, str], *, replace: bool = False) -> dict[str, dict[str, str]]:
    """The catalogs with `entries` added; MergeError listing every clash (same key, other words) or bad key.
    replace: a clash is a deliberate change of words (a branch reworded an existing key) and wins."""
    problems = [f"{origin[k]}: {k!r} is not a catalog key (lower_snake_case: [a-z][a-z0-9_]*)"
                for k in sorted(entries) if not KEY.match(k)]
    for key in sorted(entries):
        for lang in LANGS:
            old = catalogs[lang].get(key)
            if old is not None and old != entries[key][lang] and not replace:
                problems.append(f"{origin[key]}: {key!r} ({lang}) is already in the catalog with other words: "
                                f"{old!r} != {entries[key][lang]!r}; rename the key, make the words agree, or "
                                "pass --replace if the new words are meant to replace the old")
    if problems:
        raise MergeError("\n".join(problems))
    return {lang: {**catalogs[lang], **{k: v[lang] for k, v in entries.items()}} for lang in LANGS}


def write_catalogs(catalogs: Mapping[str, Mapping[str, str]], directory: Path = DIR) -> None:
    """Both files rendered first, then each replaced whole (a failure leaves no half-written file)."""
    rendered = {lang: dumps(catalogs[lang], lang) for lang in LANGS}
    for lang, content in rendered.items():
        path = directory / f"{lang}.toml"
        tmp = path.with_suffix(".toml.tmp")
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)


def _only_tables(source: str, name: str, nodes: Sequence[ast.Dict]) -> bool:
    """True when the module holds nothing but a docstring, imports, its word tables and STRINGS.update calls."""
    table_lines = {n.lineno for n in nodes}
    for stmt in ast.parse(source, filename=name).body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # docstring
        value = getattr(stmt, "value", None)
        if isinstance(stmt, ast.Assign | ast.AnnAssign) and isinstance(value, ast.Dict) and value.lineno in table_lines:
            continue
        if isinstance(stmt, ast.Expr) and isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "update":
            continue
        return False
    return True


def _importers(module: Path) -> list[str]:
    """Lines elsewhere in the project that still import the deleted module."""
    stem = module.stem
    hits = []
    for folder in ("siyu", "app_pages", "tests"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if stem in line and "import" in line:
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    app = ROOT / "app.py"
    if app.exists():
        hits += [f"app.py:{n}: {line.strip()}" for n, line in enumerate(app.read_text(encoding="utf-8").splitlines(), 1)
                 if stem in line and "import" in line]
    return hits


def _path(arg: str) -> Path:
    path = Path(arg)
    if not path.suffix:  # a dotted module name
        path = ROOT / Path(*arg.split(".")).with_suffix(".py")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m siyu.locales.merge", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="Python files (or dotted module names) holding word tables")
    parser.add_argument("--delete", action="store_true", help="delete each module once its words are merged "
                        "(only a module holding nothing but word tables)")
    parser.add_argument("--format", action="store_true", help="rewrite the catalogs in canonical form")
    parser.add_argument("--labels", metavar="PREFIX", help="the modules are charts with a LABELS = {zh: {...}, "
                        "en: {...}} table: add its names as PREFIX<name> and make the module read them "
                        "(siyu/locales/labels.py)")
    parser.add_argument("--replace", action="store_true", help="a key already in the catalogs with other words "
                        "takes the module's words (a branch reworded it); each change is printed")
    parser.add_argument("--catalogs", type=Path, default=DIR, help="the folder of zh.toml/en.toml (default: %(default)s)")
    args = parser.parse_args(argv)
    if not args.modules and not args.format:
        parser.print_usage(sys.stderr)
        return 2
    catalogs = {lang: load_catalog(args.catalogs / f"{lang}.toml") for lang in LANGS}
    entries: dict[str, dict[str, str]] = {}
    origin: dict[str, str] = {}
    deletable: list[Path] = []
    rewrites: dict[Path, str] = {}
    try:
        for arg in args.modules:
            path = _path(arg)
            if not path.is_file():
                raise MergeError(f"{arg}: no such file")
            source = path.read_text(encoding="utf-8")
            if args.labels is not None:
                try:
                    found, rewrites[path] = labels_table(source, arg, args.labels)
                except LabelsError as exc:
                    raise MergeError(str(exc)) from None
                nodes: list[ast.Dict] = []
            else:
                found, nodes = tables_in(source, arg)
            if not found:
                raise MergeError(f'{arg}: no {{key: {{"zh": ..., "en": ...}}}} table in it')
            for key, words in found.items():
                if key in entries and entries[key] != words:
                    raise MergeError(f"{arg}: {key!r} is also in {origin[key]} with other words")
                entries[key], origin[key] = words, arg
            if args.delete:
                if not _only_tables(source, arg, nodes):
                    raise MergeError(f"{arg}: holds more than word tables; not deleted (run without --delete and "
                                     "remove its tables by hand)")
                deletable.append(path)
        result = merged(catalogs, entries, origin, replace=args.replace)
    except MergeError as exc:
        print(f"refused, nothing written:\n{exc}", file=sys.stderr)
        return 1
    new = sorted(k for k in entries if k not in catalogs[LANGS[0]])
    changed = [(k, lang) for k in sorted(entries) if k not in new for lang in LANGS
               if catalogs[lang][k] != entries[k][lang]]
    write_catalogs(result, args.catalogs)
    print(f"{len(new)} new key(s), {len(changed)} changed, "
          f"{len(entries) - len(new) - len({k for k, _ in changed})} already in the catalogs with the same words")
    for key, lang in changed:
        print(f"  changed {key} ({lang}): {catalogs[lang][key]!r} -> {entries[key][lang]!r}")
    for path, source in rewrites.items():
        path.write_text(source, encoding="utf-8")
        print(f"{path} now reads its labels with locales.words({args.labels!r}, lang); check it with ruff and its tests")
    for path in deletable:
        path.unlink()
        print(f"deleted {path}")
    for path in deletable:
        for hit in _importers(path):
            print(f"  still imports it, remove: {hit}")
    if not args.delete and args.modules and args.labels is None:
        print("now remove those tables (and their STRINGS.update calls) from the modules: the catalogs are the "
              "only source of the words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
