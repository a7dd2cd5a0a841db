"""Empty: the pages' words moved to the catalogs (siyu/locales/{zh,en}.toml, docs/i18n.md).

Kept only so the pages' `from siyu.ui import page_text` lines (written when this module registered the
words) still import while other branches touch those pages; delete it with those lines."""
