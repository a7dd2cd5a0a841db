"""The Import page's fixed choices; its words are the catalogs' `imp_` keys (siyu/locales)."""

from __future__ import annotations

COUNTS = ("rows_read", "inserted", "updated", "duplicates", "rejected", "linked")  # imp_count_<key>
ENCODINGS = [None, "utf-8", "gb18030", "utf-16"]
