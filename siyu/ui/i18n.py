"""The dashboard's words in 简体中文 (default) and English: `t(key, **values)`.

The words live in the catalogs, siyu/locales/{zh,en}.toml (docs/i18n.md); `t` is siyu.locales.text with
the session's language. The language lives in st.session_state["lang"] (bound to the sidebar switch) and
is mirrored in the URL (?lang=en) so a copied link opens in the same language.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import streamlit as st

from siyu.locales import LANGS, catalog, text

LANG_KEY = "lang"
LANG_NAMES = {"zh": "简体中文", "en": "English"}  # each language named in itself, never translated

# Words a module registered with STRINGS.update({key: {"zh": ..., "en": ...}}) -- the way pages added words
# before the catalogs existed. Kept working for branches written that way until their tables are moved
# into the catalogs (python -m siyu.locales.merge); the catalog test fails while any such call remains.
_PENDING: dict[str, dict[str, str]] = {}


class _Strings(Mapping[str, Mapping[str, str]]):
    """STRINGS[key] -> {"zh": ..., "en": ...}: a read view of the catalogs (plus the pending words)."""

    def __getitem__(self, key: str) -> Mapping[str, str]:
        if key in catalog(LANGS[0]):
            return {lang: catalog(lang)[key] for lang in LANGS}
        return _PENDING[key]

    def __contains__(self, key: object) -> bool:
        return key in catalog(LANGS[0]) or key in _PENDING

    def __iter__(self) -> Iterator[str]:
        yield from catalog(LANGS[0])
        yield from (k for k in _PENDING if k not in catalog(LANGS[0]))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def update(self, words: Mapping[str, Mapping[str, str]]) -> None:
        """Transition only: words not yet moved into the catalogs (a catalog key keeps the catalog's words)."""
        _PENDING.update({k: dict(v) for k, v in words.items()})

    def __setitem__(self, key: str, words: Mapping[str, str]) -> None:
        self.update({key: words})


STRINGS = _Strings()


def current_lang() -> str:
    lang = st.session_state.get(LANG_KEY)
    return lang if lang in LANGS else "zh"


def t(key: str, **values: object) -> str:
    """The string `key` in the current language, with {placeholders} filled from `values`."""
    lang = current_lang()
    if key in _PENDING and key not in catalog(lang):
        words = _PENDING[key][lang]
        return words.format(**values) if values else words
    return text(key, lang, **values)


def init_language(default: str) -> str:
    """Settle the language before anything is drawn: the switch's value, else ?lang=, else `default`."""
    if st.session_state.get(LANG_KEY) not in LANGS:
        wanted = st.query_params.get("lang")
        st.session_state[LANG_KEY] = wanted if wanted in LANGS else (default if default in LANGS else "zh")
    lang = st.session_state[LANG_KEY]
    if st.query_params.get("lang") != lang:
        st.query_params["lang"] = lang
    return lang


def language_switch() -> None:
    """The sidebar switch; its label and option names are bilingual so its identity never changes."""
    st.sidebar.radio(text("language", "zh"), LANGS, key=LANG_KEY, format_func=LANG_NAMES.__getitem__,
                     horizontal=True)
