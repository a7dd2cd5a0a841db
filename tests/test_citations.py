"""Docstrings under siyu/ (and the comments of its SQL files) cite only files and names that exist.

A reader follows a citation to learn where a rule is written; a citation of a file that was renamed or never
existed sends them nowhere. Checked:
- paths such as `docs/metrics/retention.md`, `queries/m_data_version.sql`, `siyu/engine/catalog.py`,
  `tests/engine/test_staleness.py` (from the repository root, siyu/db for queries/ and migrations/, or the
  citing module's folder), and bare file names such as `BENCHMARKS.md` (some file of the repository);
- dotted names `siyu.engine.frame_cache.warm` and `inputs.valid_orders_cached` (a siyu module's last name,
  then an attribute): the module imports and has the attribute.
"""

from __future__ import annotations

import ast
import importlib
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SIYU = ROOT / "siyu"

PATH = re.compile(r"(?<![\w./-])((?:[\w.-]+/)*[\w-]+(?:\.[\w-]+)*\.(?:md|sql|py|toml|sh|txt|yml|yaml))(?![\w(])")
DOTTED = re.compile(r"(?<![\w.])((?:siyu\.)?[a-z_][a-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
NOT_IN_THE_REPOSITORY = {"secrets.toml"}  # Streamlit's secrets file: each deployment writes its own
PLACEHOLDER = re.compile(r"\bNAME\b|\bFILE\b|\.\.\.|^\d{3}_\.")


def _texts() -> list[tuple[Path, str]]:
    """(file, text) of every docstring of siyu's modules, classes and functions, and of every SQL comment."""
    found: list[tuple[Path, str]] = []
    for path in sorted(SIYU.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                doc = ast.get_docstring(node)
                if doc:
                    found.append((path, doc))
    for path in sorted(SIYU.rglob("*.sql")):
        comments = [line.split("--", 1)[1] for line in path.read_text(encoding="utf-8").splitlines() if "--" in line]
        found.append((path, "\n".join(comments)))
    return found


def _repository_names() -> set[str]:
    files = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return {Path(f).name for f in files.split()} | {p.name for p in ROOT.rglob("*") if ".git" not in p.parts}


def _path_exists(citing: Path, cited: str, names: set[str]) -> bool:
    if "/" not in cited:
        return cited in names
    return any((base / cited).exists() for base in (ROOT, SIYU / "db", citing.parent))


def test_cited_paths_exist() -> None:
    names = _repository_names()
    missing = []
    for citing, text in _texts():
        for cited in PATH.findall(text):
            if cited in NOT_IN_THE_REPOSITORY or PLACEHOLDER.search(cited) or cited.startswith("con."):
                continue
            if not _path_exists(citing, cited, names):
                missing.append((str(citing.relative_to(ROOT)), cited))
    assert missing == []


def _modules() -> dict[str, str]:
    """Last name -> dotted name, for siyu's modules whose last name is not shared by another module."""
    by_name: dict[str, list[str]] = {}
    for path in SIYU.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        dotted = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        by_name.setdefault(dotted.rsplit(".", 1)[-1], []).append(dotted)
    return {name: found[0] for name, found in by_name.items() if len(found) == 1}


def _resolves(dotted: str) -> bool:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: object = importlib.import_module(".".join(parts[:cut]))
        except ModuleNotFoundError:
            continue
        for attr in parts[cut:]:
            if not hasattr(target, attr):
                return False
            target = getattr(target, attr)
        return True
    return False


def test_cited_names_exist() -> None:
    modules = _modules()
    missing = []
    for citing, text in _texts():
        for cited in DOTTED.findall(text):
            if PATH.fullmatch(cited) or cited.rsplit(".", 1)[-1] in {"csv", "xlsx", "arrow", "duckdb"}:
                continue  # a file name (checked above, or an example of one)
            head = cited.split(".", 1)[0]
            if head == "siyu":
                dotted = cited
            elif head in modules and head not in {"siyu"}:
                dotted = f"{modules[head]}.{cited.split('.', 1)[1]}"
            else:
                continue
            if not _resolves(dotted):
                missing.append((str(citing.relative_to(ROOT)), cited))
    assert missing == []
