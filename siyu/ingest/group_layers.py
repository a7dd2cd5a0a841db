"""The operator's group-type mapping: group-name patterns → 大群 / 核心群 / 超级用户群 / 其他, stored in the
database (table group_layer_rules) and edited on the 社群 page.

A rule is (pattern, layer); the first rule (in the order given) whose pattern the group's name contains,
ignoring case, decides the group's layer; a group no rule matches is 'other'. A group whose import stated its
type (generic_group_members' group_type) keeps that type. Saving replaces the whole list, in one
transaction with its audit row (action setting_changed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import polars as pl

from siyu.auth import audit
from siyu.config import Settings, load_settings
from siyu.db import query, reading, writing
from siyu.errors import IngestError
from siyu.ingest.sqlrun import run, stage

LAYERS = ("mass", "core", "super", "other")
# Words an operator may write for a layer (the page offers the codes; a CLI or a pasted list may use words).
LAYER_WORDS = {"大群": "mass", "mass": "mass", "核心群": "core", "core": "core", "超级用户群": "super",
               "super": "super", "其他": "other", "other": "other"}
MAX_PATTERN = 100
MAX_RULES = 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A starting point the page offers when no rule is saved: the names the articles use for the three layers.
SUGGESTED = (("超级用户", "super"), ("VIP", "super"), ("核心", "core"), ("大群", "mass"), ("福利", "mass"))


def clean_rules(rules: Sequence[tuple[str | None, str | None]]) -> list[tuple[str, str]]:
    """(pattern, layer) pairs checked and normalised: patterns trimmed, empty rows dropped, layers as codes.
    Raises IngestError naming the first bad row (counted from 1)."""
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for i, (pattern, layer) in enumerate(rules, start=1):
        text = (pattern or "").strip()
        if not text and not layer:
            continue
        if not text:
            raise IngestError(f"第 {i} 条规则没有群名关键词 / rule {i} has no name pattern")
        if len(text) > MAX_PATTERN or _CONTROL.search(text):
            raise IngestError(f"第 {i} 条规则的关键词太长或含控制字符 / rule {i}: the pattern is too long or holds "
                              "control characters")
        code = LAYER_WORDS.get((layer or "").strip().lower()) or LAYER_WORDS.get((layer or "").strip())
        if code is None:
            raise IngestError(f"第 {i} 条规则的分层 {layer!r} 只能是 大群、核心群、超级用户群 或 其他 / rule {i}: the layer "
                              "must be mass, core, super or other")
        if text.lower() in seen:
            raise IngestError(f"第 {i} 条规则的关键词 {text!r} 重复 / rule {i}: the pattern {text!r} is listed twice")
        seen.add(text.lower())
        out.append((text, code))
    if len(out) > MAX_RULES:
        raise IngestError(f"规则最多 {MAX_RULES} 条 / at most {MAX_RULES} rules")
    return out


def layer_rules(db_path: Path | str, settings: Settings | None = None) -> pl.DataFrame:
    """position, pattern, layer of the saved rules, in order."""
    settings = settings or load_settings()
    with reading(Path(db_path), settings.lock_timeout) as con:
        return query(con, "m_group_layer_rules")


def save_layer_rules(db_path: Path | str, rules: Sequence[tuple[str | None, str | None]], *, user: str = "cli",
                     role: str | None = None, settings: Settings | None = None) -> list[tuple[str, str]]:
    """Replace the saved rules with `rules` (checked by clean_rules); returns what was saved."""
    settings = settings or load_settings()
    clean = clean_rules(rules)
    frame = pl.DataFrame({"position": list(range(1, len(clean) + 1)), "pattern": [p for p, _ in clean],
                          "layer": [layer for _, layer in clean]}, schema={"position": pl.Int32, "pattern": pl.Utf8,
                                                                          "layer": pl.Utf8})
    with writing(Path(db_path), settings.lock_timeout) as con:
        stage(con, "stg_layer_rules", frame)
        run(con, "group_layer_rules_replace", {"user": user})
        audit.write(con, user, "setting_changed", role=role, detail=f"group_layer_rules: {len(clean)} rules")
    return clean
