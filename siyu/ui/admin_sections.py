"""Drawing the Accounts & audit page's sections (siyu/ui/views/admin.py computes what they show)."""

from __future__ import annotations

import os

import streamlit as st

from siyu.auth import ROLES, AuthError, accounts, allows, runtime_settings
from siyu.auth.audit import ACTIONS, read_audit, record_event
from siyu.config import Settings
from siyu.output import to_csv
from siyu.ui import auth
from siyu.ui.audit_text import action_name, named_actions
from siyu.ui.export import csv_ready
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.tables import record_table, setting_text
from siyu.ui.views import admin as view

SETTINGS_FLASH = "_admin_settings_flash"


def w(key: str, **values: object) -> str:
    """The page's words the view asks for by their short name (siyu/ui/views/admin.py: origin, settings_rows)."""
    return t(f"adm_{key}", **values)


def _act(settings: Settings, session, fn, *args, **kwargs) -> None:
    try:
        fn(settings.db, *args, by=session.username, timeout=settings.lock_timeout, **kwargs)
        st.success(t("adm_done"))
    except AuthError as exc:
        st.error(literal(exc))


def accounts_section(settings: Settings, session) -> None:
    """The accounts table, the new-account form, and role / disable / unlock / reset for a picked account."""
    st.header(t("adm_accounts"))
    listing = accounts.list_accounts(settings.db, settings.lock_timeout)
    record_table(view.named_roles(listing, auth.role_name), {c: f"col_a_{c}" for c in listing.columns})
    with st.expander(t("adm_new")), st.form("new_account", clear_on_submit=True):
        name = st.text_input(t("login_user"), max_chars=accounts.MAX_NAME)
        password = st.text_input(t("login_password"), type="password")
        role = st.selectbox(t("adm_role"), ROLES, format_func=auth.role_name)
        if st.form_submit_button(t("adm_create")):
            try:
                made = accounts.create_account(settings.db, name, password, role, by=session.username,
                                               must_change=True, timeout=settings.lock_timeout)
                st.success(t("adm_created", n=literal(made)))
            except AuthError as exc:
                st.error(literal(exc))
    if not listing.height:
        return
    who = st.selectbox(t("adm_pick"), listing["username"].to_list())
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    role_index, disabled = view.account_state(listing, who)
    new_role = c1.selectbox(t("adm_role"), ROLES, index=role_index, format_func=auth.role_name, key=f"admin_role_{who}")
    if c1.button(t("adm_apply_role")):
        _act(settings, session, accounts.set_role, who, new_role)
    if c2.button(t("adm_enable") if disabled else t("adm_disable")):
        _act(settings, session, accounts.set_disabled, who, not disabled)
    if c3.button(t("adm_unlock")):
        _act(settings, session, accounts.unlock, who)
    with c4.popover(t("adm_reset")):
        temp = st.text_input(t("new_password"), type="password", key="admin_reset_pw")
        if st.button(t("save"), key="admin_reset_go"):
            _act(settings, session, accounts.set_password, who, temp, must_change=True)


def audit_section(settings: Settings, session) -> None:
    """The audit log (filtered by action; actions and roles in words) and its CSV export (the codes)."""
    st.header(t("adm_audit"))
    action = st.selectbox(t("adm_action"), [None, *ACTIONS], format_func=lambda a: t("adm_all") if a is None else action_name(a))
    log = read_audit(settings.db, limit=5000, action=action, timeout=settings.lock_timeout)
    record_table(view.named_roles(named_actions(log), auth.role_name), {c: f"col_a_{c}" for c in log.columns},
                 hide=("audit_id",))  # the CSV keeps the codes
    audit_file = csv_ready(log.drop("audit_id"), {c: (f"col_a_{c}", "text") for c in log.columns})  # labels need the session

    def audit_csv() -> bytes:
        # Runs on click, outside the script thread: no session state there, so the user is the one this page
        # was drawn for, and their role is read again (an admin demoted since then gets nothing).
        role = auth.role_now(settings, session)
        if not allows(role, "admin"):
            raise PermissionError("只有管理员可以导出审计日志 / only admins can export the audit log")
        record_event(settings.db, session.username, "audit_export", role=role, rows=log.height,
                     timeout=settings.lock_timeout)
        return to_csv(audit_file).encode("utf-8-sig")

    st.download_button(t("adm_export"), audit_csv, file_name="siyu_audit_log.csv", mime="text/csv", on_click="ignore")


def settings_section(settings: Settings, session) -> None:
    """The runtime settings form (pinned ones read-only, secrets never shown) and every setting in force."""
    st.header(t("adm_settings"))
    st.caption(t("adm_settings_help"))
    if SETTINGS_FLASH in st.session_state:
        st.success(st.session_state.pop(SETTINGS_FLASH))
    fixed, saved = runtime_settings.pinned(), runtime_settings.stored(settings.db, settings.lock_timeout)
    with st.form("admin_settings"):
        typed: dict[str, str | None] = {}
        for name, spec in runtime_settings.EDITABLE.items():
            value = getattr(settings, name)
            label = f"{t('adm_f_' + name)} · `{name}`"
            if spec.secret:
                typed[name] = st.text_input(label, type="password", key=f"setting_{name}", disabled=name in fixed,
                                            placeholder=t("adm_secret_keep") if value else t("adm_secret_unset"))
                clear = st.checkbox(t("adm_secret_clear"), key=f"setting_{name}_clear", disabled=name in fixed or not value)
                typed[name] = "" if clear else (typed[name] or None)
            else:
                typed[name] = st.text_input(label, value=runtime_settings.shown(name, value), key=f"setting_{name}",
                                            disabled=name in fixed)
            st.caption(view.origin(name, fixed, saved, w, literal))
        if st.form_submit_button(t("adm_settings_save"), type="primary"):
            _save(settings, session, view.changes(typed, fixed, settings))
    st.subheader(t("adm_all_settings"))
    record_table(view.settings_rows(settings, fixed, saved, os.environ, w, setting_text, literal), view.SETTING_COLUMNS,
                 widths=view.SETTING_WIDTHS, pinned=("name",))


def _save(settings: Settings, session, changes: dict[str, str]) -> None:
    try:
        done = runtime_settings.save(settings, changes, by=session.username)
    except AuthError as exc:
        st.error(literal(exc))
        return
    if done:
        st.session_state[SETTINGS_FLASH] = t("adm_settings_saved", what=literal("; ".join(f"{n}: {a} → {b}" for n, a, b in done)))
        for key in [k for k in st.session_state if str(k).startswith("setting_")]:
            del st.session_state[key]  # redraw from the stored values; the secret is not kept in the page
        st.rerun()  # the next run reads the new values
    st.info(t("adm_settings_same"))


