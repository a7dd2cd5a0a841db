"""The catalogs' one canonical TOML form: a fixed header, then `key = "text"` lines sorted by key.

The standard library reads TOML (tomllib) but does not write it; a flat file of basic strings needs no
more than this. Written canonically, two branches adding different keys touch different lines, and the
catalog test can tell a hand edit that broke the order."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
HEADER = ("# siyu text catalog, language: {lang}. One `key = \"text\"` per line, sorted by key; {{name}} is a\n"
          "# placeholder filled by t(key, name=...). Edit by hand or with `python -m siyu.locales.merge`;\n"
          "# how to add a string or a language: docs/i18n.md.\n\n")


def basic_string(value: str) -> str:
    """A TOML basic string. JSON's escapes (\\" \\\\ \\n \\t \\uXXXX) are TOML's; TOML also wants DEL escaped."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def dumps(entries: Mapping[str, str], lang: str) -> str:
    bad = sorted(k for k in entries if not KEY.match(k))
    if bad:
        raise ValueError(f"catalog keys are lower_snake_case ([a-z][a-z0-9_]*): {bad}")
    return HEADER.format(lang=lang) + "".join(f"{k} = {basic_string(entries[k])}\n" for k in sorted(entries))
