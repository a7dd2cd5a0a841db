"""The saved-segment panel of the 标签与分群 page: save the page's filters (+ an RFM segment) under a name,
list, apply to every page, delete, and export a segment's members as a WeCom list (siyu/segments.py holds
the rules, siyu/engine/population.py resolves them). Saving and deleting need the operator role; the
member file goes through siyu.ui.downloads (role checked again, audited)."""

from __future__ import annotations

import dataclasses

import streamlit as st

from siyu import format as fmt
from siyu.config import Settings
from siyu.db.scope import Scope
from siyu.segments import LAYERS, RFM_CLASSIC, RFM_CN, SegmentError, delete_segment, parse_rules, save_segment
from siyu.ui import auth, cache, filters
from siyu.ui.cache import DbState
from siyu.ui.downloads import member_download
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal
from siyu.ui.views import staff as view

LABELS = {"cn": RFM_CN, "classic": RFM_CLASSIC}


def _apply(name: str) -> None:
    filters.store(filters.current().with_scope(segment=name))


def _groups(settings: Settings, state: DbState | None) -> dict[str, str]:
    """group_id -> its name and layer in words, from the data (the groups metric, unfiltered); {} without groups."""
    if state is None:
        return {}
    frame = cache.load_metric(settings, state, "groups")
    return {gid: f"{name}（{t('grp_layer_' + layer)}）"
            for gid, name, layer in frame.select("group_id", "group_name", "layer").iter_rows()}


def save_form(settings: Settings, scope: Scope | None, state: DbState | None = None) -> None:
    """Name + optional RFM segment, group layer and group; the other rules are the filters in force (store and
    a segment in force left out). The layer and group choices come from the data (`state` given)."""
    groups = _groups(settings, state)
    st.subheader(t("sgm_save_title"))
    if flash := st.session_state.pop("sgm_flash", None):
        st.success(flash)
    base = view.rules_from(scope, None, None)
    st.caption(t("sgm_save_from", what=view.rules_text(base, t, literal)) if base.pairs() else t("sgm_save_none"))
    if scope is not None and scope.store is not None:
        st.caption(t("sgm_store_left_out"))
    if scope is not None and scope.segment is not None:
        st.caption(t("sgm_segment_left_out", name=literal(scope.segment)))
    with st.form("sgm_save_form", clear_on_submit=False, enter_to_submit=False):
        name = st.text_input(t("sgm_name"), max_chars=40, key="sgm_name")
        standard = st.radio(t("sgm_rfm_standard"), ("none", "cn", "classic"), horizontal=True, key="sgm_rfm_standard",
                            format_func=lambda k: t(f"sgm_rfm_{k}"))
        segment = st.selectbox(t("sgm_rfm_segment"), ("", *RFM_CN, *RFM_CLASSIC), key="sgm_rfm_segment",
                               format_func=lambda s: s or t("sgm_rfm_none"))
        layer, group = "", ""
        if groups:  # the group rules only when the data has groups: the choices are the data's
            layer = st.selectbox(t("sgm_layer"), ("", *LAYERS), key="sgm_layer",
                                 format_func=lambda k: t(f"grp_layer_{k}") if k else t("sgm_any"))
            group = st.selectbox(t("sgm_group"), ("", *groups), key="sgm_group",
                                 format_func=lambda g: groups.get(g, "") if g else t("sgm_any"))
        if not st.form_submit_button(t("sgm_save"), disabled=not auth.has_role("operator")):
            return
    rules = view.rules_from(scope, None if standard == "none" else standard,
                            segment if standard != "none" and segment in LABELS.get(standard, ()) else None)
    if standard != "none" and rules.rfm_segment is None:
        rules = view.rules_from(scope, standard, segment or None)  # check_rules names what is wrong
    rules = dataclasses.replace(rules, layer=layer or None, group=group or None)
    try:
        saved = save_segment(settings.db, name, rules, by=auth.current_user(), timeout=settings.lock_timeout)
    except SegmentError as exc:
        st.error(literal(str(exc)))
        return
    st.session_state["sgm_flash"] = t("sgm_saved", name=literal(saved))
    st.rerun()  # the saved segment changed the data version: draw the list and the filters from it


def saved_list(settings: Settings, state: DbState) -> None:
    """Every saved segment with its rules; use one on every page, delete one, export one for WeCom."""
    st.subheader(t("sgm_list"))
    saved = cache.load_saved_segments(settings, state)
    if saved.is_empty():
        st.info(t("sgm_empty"))
        return
    for row in saved.iter_rows(named=True):
        st.markdown(f"**{literal(row['name'])}** · {view.rules_text(parse_rules(row['definition']), t, literal)}")
    name = st.selectbox(t("sgm_pick"), saved["name"].to_list(), key="sgm_pick")
    left, right = st.columns(2)
    left.button(t("sgm_use", name=literal(name)), key="sgm_use", on_click=_apply, args=(name,))  # labels are Markdown
    if right.button(t("sgm_delete"), key="sgm_delete", disabled=not auth.has_role("operator")):
        delete_segment(settings.db, name, by=auth.current_user(), timeout=settings.lock_timeout)
        if filters.current().segment == name:
            filters.store(filters.current().with_scope(segment=None))
        st.rerun()
    st.subheader(t("sgm_export_title"))
    listing = view.wecom_frame(cache.load_metric(settings, state, "wecom_list", scope=Scope(segment=name)))
    st.caption(t("sgm_export_count", name=literal(name), n=fmt.number(listing.height, current_lang())))
    st.caption(t("sgm_export_note"))
    member_download(listing, file_stem=f"wecom_{name}", what=f"segment {name} (WeCom list)", key="sgm_wecom",
                    columns=view.WECOM_COLUMNS)
