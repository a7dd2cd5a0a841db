"""The text catalogs: every word siyu shows, one TOML file per language (zh.toml, en.toml), flat keys.

    text("kpi_gmv", "en")                      -> "GMV (net)"
    text("coming_title", "zh", page="裂变")     -> "裂变：开发中"
    words("fig_clv_", "en")                    -> {"actual": "Actual", ...}   (a chart's word group)

This package imports nothing but the standard library, so every layer may use it: the charts and the
HTML report / webhook (which must not import streamlit or siyu.ui) call `text(key, lang)`; the dashboard
calls `siyu.ui.i18n.t(key)`, which is this with the session's language. How to add a string or a
language: docs/i18n.md. The catalog test (tests/test_catalogs.py) keeps the files and the code in step.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from types import MappingProxyType

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
DIR = Path(__file__).resolve().parent


def lang_or_default(lang: str | None) -> str:
    """A known language, else the default (an unknown ?lang= or setting reads as Chinese)."""
    return lang if lang in LANGS else DEFAULT_LANG


def catalog_path(lang: str) -> Path:
    return DIR / f"{lang}.toml"


def load_catalog(path: Path) -> dict[str, str]:
    """One catalog file as {key: text}; a value that is not a string (a TOML table, a number) is refused."""
    with path.open("rb") as f:
        data = tomllib.load(f)
    odd = sorted(k for k, v in data.items() if not isinstance(v, str))
    if odd:
        raise ValueError(f"{path.name}: these keys are not plain strings: {odd}")
    return data


@cache
def catalog(lang: str) -> Mapping[str, str]:
    """The catalog of `lang` (read once per process, read-only)."""
    return MappingProxyType(load_catalog(catalog_path(lang_or_default(lang))))


def text(key: str, lang: str, **values: object) -> str:
    """The string `key` in `lang`, with {placeholders} filled from `values` (str.format syntax).

    An unknown key raises KeyError: a missing word is a bug the catalog test catches, not a blank."""
    words_ = catalog(lang_or_default(lang))[key]
    return words_.format(**values) if values else words_


def has(key: str) -> bool:
    return key in catalog(DEFAULT_LANG)


@cache
def words(prefix: str, lang: str) -> Mapping[str, str]:
    """Every key starting with `prefix`, the prefix cut off: a chart's labels as one small table."""
    n = len(prefix)
    return MappingProxyType({k[n:]: v for k, v in catalog(lang_or_default(lang)).items() if k.startswith(prefix)})
