"""The 社群 page's interactive parts (Streamlit): the members behind a picked number and the layer-rule
editor. Kept out of app_pages/groups.py so the page stays glue; frames come from siyu.ui.views.groups."""

from __future__ import annotations

import polars as pl
import streamlit as st

from siyu import format as fmt
from siyu.auth import allows
from siyu.config import Settings
from siyu.engine.lookups import member_ids
from siyu.errors import SiyuError
from siyu.ingest.group_layers import LAYERS, SUGGESTED, save_layer_rules
from siyu.ui import auth
from siyu.ui.downloads import member_download
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal
from siyu.ui.tables import table
from siyu.ui.views import groups as view
from siyu.ui.views.loader import Contacts

Loader = view.Loader


def members_behind(load: Loader, contacts: Contacts, *, what: str, measures: tuple[str, ...], key: str, file_stem: str,
                   group_id: str | None = None, layer: str | None = None) -> None:
    """A measure picker, then the members behind that number of a group (group_id) or a layer, with names,
    masked phones and the operators' download. `what` is the row's name as drawn (data text: escaped)."""
    measure = st.radio(t("grp_pick_measure"), measures, format_func=lambda m: t(f"grp_measure_{m}"), horizontal=True,
                       key=f"{key}_measure")
    who = load("group_members", **view.member_params(group_id=group_id, layer=layer, measure=measure))
    st.caption(t("grp_members_count", what=literal(what), measure=t(f"grp_measure_{measure}"),
                 n=fmt.number(who.height, current_lang())))
    if not who.height:
        return
    listing = view.member_listing(who, contacts(member_ids(who)), t("yes"), t("no"))
    table(listing, view.MEMBER_COLUMNS, key=f"{key}_table", phone_columns=("phone",), height=320)
    member_download(listing, file_stem=f"{file_stem}_{measure}", what=f"groups {what} {measure}", key=f"{key}_dl")


def rules_editor(settings: Settings, saved: pl.DataFrame) -> None:
    """The name → layer rules as an editable table (operators and admins); saving replaces the list."""
    st.subheader(t("grp_rules"))
    st.caption(t("grp_rules_help"))
    if saved.is_empty():
        st.info(t("grp_rules_none"))
    if not auth.has_role("operator"):
        st.caption(t("grp_rules_viewer"))
        table(saved.select("pattern", "layer"), {"pattern": ("grp_rule_pattern", "text"), "layer": ("grp_rule_layer", "text")},
              key="grp_rules_view")
        return
    names = {code: t(view.LAYER_KEYS[code]) for code in LAYERS}
    edited = st.data_editor(
        view.rules_rows(saved, SUGGESTED).to_pandas(), num_rows="dynamic", hide_index=True, key="grp_rules_editor",
        column_config={"pattern": st.column_config.TextColumn(t("grp_rule_pattern"), max_chars=100, required=True),
                       "layer": st.column_config.SelectboxColumn(t("grp_rule_layer"), options=list(LAYERS),
                                                                 format_func=names.__getitem__, required=True)})
    if st.button(t("grp_rules_save"), key="grp_rules_save"):
        session = auth.current()  # the role again as the database says it now (demoted since the draw?)
        if session is None or not allows(auth.role_now(settings, session), "operator"):
            st.error(t("grp_rules_viewer"))
            return
        rows = [(None if p != p else p, None if x != x else x) for p, x in zip(edited["pattern"], edited["layer"], strict=True)]
        try:
            kept = save_layer_rules(settings.db, rows, user=session.username, role=session.role, settings=settings)
        except SiyuError as exc:
            st.error(literal(exc))
            return
        st.toast(t("grp_rules_saved", n=len(kept)))
        st.rerun()  # the rules are in the data version: every cached figure is recomputed
