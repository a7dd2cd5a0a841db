"""Text from data, shown as text: the one helper for every Streamlit call that reads Markdown.

st.markdown, st.caption, st.info/success/warning/error, st.title/header/subheader, widget labels, radio
option names, tab names, expander labels and st.metric labels all interpret Markdown (links, images that
the browser fetches, `:material/…:` icons, `:red[…]` colours, LaTeX between `$`, HTML entities, bare URLs
that become links). A value that came from an import, the URL, an account name or an exception message goes
through `literal()` before it is put into such a string: every ASCII punctuation mark is backslash-escaped
(CommonMark shows an escaped mark as itself), line breaks become spaces, and an invisible word joiner
(U+2060) breaks the bare-URL and e-mail patterns that GFM would otherwise still turn into links. Only the project's own catalog
strings (siyu/ui/i18n.py) are Markdown. Selectbox and multiselect option names are plain text already:
do not pass them through `literal()`, or the backslashes would show.

Plotly has its own markup (`<a href>`, `<b>`, entities): figures go through siyu.charts.plain.plain_figure.
"""

from __future__ import annotations

import re

_PUNCTUATION = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
_BREAKS = re.compile(r"[\r\n\u2028\u2029]+")
# GFM turns bare `http://…`, `www.…` and `name@host.cn` into links after the escapes are read (the browser test
# caught it), so an invisible WORD JOINER (U+2060) goes where those patterns need two signs side by side.
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?=@)")
JOINER = "\u2060"


def literal(value: object) -> str:
    """`value` as a Markdown string that renders exactly as its text (see the module docstring)."""
    text = _AUTOLINK.sub(JOINER, _BREAKS.sub(" ", str(value)))
    return _PUNCTUATION.sub(r"\\\1", text)
