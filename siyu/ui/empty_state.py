"""Empty states that blame the right thing: when a page section is empty only because the global filters
(channel, tier, store, staff) match nothing, say so and name the filters, instead of telling the operator
to import data that is already there.

    empty_notice(scope, "ret_no_orders", unfiltered_empty=lambda: load(scope=None).is_empty())

`unfiltered_empty` is called only when a filter is on (one more cached read, in the empty case only).
Filter values came from imports: they are escaped before they reach Markdown.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from siyu.db.scope import Scope
from siyu.ui.i18n import t

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:])")


def literal(text: str) -> str:
    """Text from data, safe inside Markdown: every character Markdown could read as syntax is escaped."""
    return _MARKDOWN.sub(r"\\\1", text)


def filters_text(scope: Scope) -> str:
    """'渠道：短视频，会员等级（最近一次会员导出）：黑金会员' (values escaped)."""
    return t("list_sep").join(t("label_value", label=t(f"scope_{k}"), value=literal(v)) for k, v in scope.key())


def blamed_on_filters(scope: Scope | None, unfiltered_empty: Callable[[], bool]) -> bool:
    """True when a filter is on and the same section without filters has data."""
    return scope is not None and not scope.empty and not unfiltered_empty()


def empty_notice(scope: Scope | None, missing_key: str, *, unfiltered_empty: Callable[[], bool],
                 **values: object) -> None:
    """st.info: the filters matched nothing (and which), or `missing_key`'s what-to-import text."""
    if scope is not None and blamed_on_filters(scope, unfiltered_empty):
        thing = "members" if scope.members_restricted else "orders"  # the store filter restricts orders only
        st.info(t("filters_matched_nothing", filters=filters_text(scope), thing=t(f"thing_{thing}")))
    else:
        st.info(t(missing_key, **values))
