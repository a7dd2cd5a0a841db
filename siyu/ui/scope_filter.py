"""The global filters beyond the date range — channel, tier, store, staff — part of the session's one
filter state (siyu/ui/filters.py), mirrored in the URL (?channel=门店&tier=黑金会员&store=…&staff=…), and
the copy-share-link box.

A URL value is accepted only when it is one of the values the database holds (queries/pg_scope_options.sql):
anything else is dropped with a notice. Accepted values become a frozen siyu.db.scope.Scope, which the
cache passes to siyu.db.scope.apply_scope, where they are bound as parameters, never formatted into SQL.
"""

from __future__ import annotations

from urllib.parse import urlencode, urlsplit, urlunsplit

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.db.scope import FILTERS, Scope
from siyu.ui import filters
from siyu.ui.i18n import STRINGS, current_lang, t
from siyu.ui.literal import literal

STRINGS.update({
    "scope_title": {"zh": "更多筛选：渠道、等级、门店、导购、标签、已存分群", "en": "More filters: channel, tier, store, staff, tag, saved segment"},
    "scope_active": {"zh": "更多筛选（已选 {n} 项）：渠道、等级、门店、导购、标签、已存分群", "en": "More filters ({n} on): channel, tier, store, staff, tag, saved segment"},
    "scope_all": {"zh": "全部", "en": "All"},
    "scope_channel": {"zh": "渠道", "en": "Channel"},
    "scope_tier": {"zh": "会员等级（最近一次会员导出）", "en": "Tier (latest member export)"},
    "scope_store": {"zh": "下单门店", "en": "Store (orders)"},
    "scope_staff": {"zh": "导购 / 企微成员", "en": "Staff (WeCom member)"},
    "scope_tag": {"zh": "标签（标签组:标签）", "en": "Tag (group:tag)"},
    "scope_segment": {"zh": "已存分群", "en": "Saved segment"},
    "scope_note": {"zh": "渠道、等级、导购、标签、已存分群限定会员范围（导购：该导购加过的好友）；门店只限定订单。每个数字都按这里的范围重新计算。",
                   "en": "Channel, tier, staff, tag and a saved segment restrict the members (staff: members who were that staff member's "
                         "friend); store restricts the orders. Every figure on every page is recomputed for this scope."},
    "scope_caption": {"zh": "当前范围：{what}", "en": "Scope: {what}"},
    "share_link": {"zh": "分享链接（复制后打开即是同一视图，需要登录）", "en": "Share link (opens this same view, after a login)"},
})


def _picked(options: pl.DataFrame, kind: str) -> tuple[list[str], dict[str, str]]:
    rows = options.filter(pl.col("kind") == kind)
    lang = current_lang()
    labels = {r["value"]: (r["label"] if r["label"] == r["value"] else f"{r['label']} ({r['value']})")
              + ("" if r["n"] is None else f" · {fmt.number(r['n'], lang)}")  # a saved segment has no fixed size
              for r in rows.iter_rows(named=True)}
    return rows["value"].to_list(), labels


def _on_scope(key: str, kind: str) -> None:
    filters.store(filters.current().with_scope(**{kind: st.session_state.get(key)}))


def global_filters(options: pl.DataFrame) -> Scope:
    """Draw the four filters (in an expander under the date range) and return the scope in force: the
    session's filter state (siyu/ui/filters.py), less any value the database does not hold."""
    state = st.session_state
    filters.show_url_notices()
    chosen = filters.current().scope_values()
    for kind in FILTERS:
        values, _ = _picked(options, kind)
        if chosen[kind] is not None and chosen[kind] not in values:
            st.warning(t("bad_param", name=kind))  # a typed or stale value: not in this data
            chosen[kind] = None
    filters.store(filters.current().with_scope(**chosen))
    on = sum(value is not None for value in chosen.values())
    with st.expander(t("scope_active", n=on) if on else t("scope_title"), expanded=False):
        cols = st.columns(len(FILTERS))
        for col, kind in zip(cols, FILTERS, strict=True):
            values, labels = _picked(options, kind)
            all_label = t("scope_all")
            key = f"scope_{kind}"
            state[key] = chosen[kind]  # the widget shows the state (it is reset on a page switch otherwise)
            col.selectbox(t(f"scope_{kind}"), [None, *values], key=key, on_change=_on_scope, args=(key, kind),
                          format_func=lambda v, labels=labels, all_label=all_label: all_label if v is None else labels[v],
                          disabled=not values)
        st.markdown(f":gray[{t('scope_note')}]")  # markdown, not caption: pages number their captions
    filters.keep_in_url()
    scope = Scope(**chosen)
    if not scope.empty:
        st.caption(t("scope_caption", what="，".join(f"{t(f'scope_{k}')}：{literal(v)}" for k, v in scope.key())))
    return scope


def share_link() -> None:
    """The address of this exact view (page, range, filters, language), with Streamlit's copy button."""
    try:
        url = st.context.url
    except Exception:  # no browser context
        url = None
    base = urlsplit(url if isinstance(url, str) and url else "http://127.0.0.1:8501/")  # AppTest has no URL
    query = urlencode({k: st.query_params[k] for k in st.query_params})
    st.caption(t("share_link"))
    st.code(urlunsplit((base.scheme, base.netloc, base.path, query, "")), language=None, wrap_lines=True)
