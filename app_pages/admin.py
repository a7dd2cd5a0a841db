"""账户与审计 Accounts & audit (admins only): accounts, roles, lockouts, the audit log and the settings
(the runtime ones editable, siyu.auth.runtime_settings; the rest shown as in force)."""

import dataclasses
import os

import polars as pl
import streamlit as st

from siyu.auth import ROLES, AuthError, accounts, allows, runtime_settings
from siyu.auth.audit import ACTIONS, read_audit, record_event
from siyu.output import to_csv
from siyu.ui import (
    auth,
    cache,
    page_text,  # noqa: F401 - registers the column labels
)
from siyu.ui.audit_text import action_name, named_actions
from siyu.ui.export import csv_ready
from siyu.ui.i18n import t
from siyu.ui.literal import literal
from siyu.ui.tables import record_table, setting_text

session = auth.require_role("admin")
settings, state = cache.page_context()

SETTINGS_FLASH = "_admin_settings_flash"
SECRETS = {"admin_password", "pepper", "webhook_url"}



def named_roles(frame: pl.DataFrame) -> pl.DataFrame:
    """The role column in words (管理员 / Admin) for the screen; the CSV keeps the codes."""
    if "role" not in frame.columns:
        return frame
    words = {code: auth.role_name(code) for code in ROLES}
    return frame.with_columns(pl.col("role").replace_strict(words, default=pl.col("role"), return_dtype=pl.String))


def act(fn, *args, **kwargs) -> None:
    try:
        fn(settings.db, *args, by=session.username, timeout=settings.lock_timeout, **kwargs)
        st.success(t("adm_done"))
    except AuthError as exc:
        st.error(literal(exc))


st.title(t("page_admin"))
st.header(t("adm_accounts"))
listing = accounts.list_accounts(settings.db, settings.lock_timeout)
record_table(named_roles(listing), {c: f"col_a_{c}" for c in listing.columns})

with st.expander(t("adm_new")):
    with st.form("new_account", clear_on_submit=True):
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

if listing.height:
    who = st.selectbox(t("adm_pick"), listing["username"].to_list())
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    # Preselect the account's own role, keyed per account: a fixed default (查看者) would demote an admin
    # whose row is picked and whose 修改角色 is clicked for another reason.
    current = listing.filter(pl.col("username") == who)["role"][0]
    new_role = c1.selectbox(t("adm_role"), ROLES, index=ROLES.index(current) if current in ROLES else 0,
                            format_func=auth.role_name, key=f"admin_role_{who}")
    if c1.button(t("adm_apply_role")):
        act(accounts.set_role, who, new_role)
    disabled = bool(listing.filter(pl.col("username") == who)["disabled"][0])
    if c2.button(t("adm_enable") if disabled else t("adm_disable")):
        act(accounts.set_disabled, who, not disabled)
    if c3.button(t("adm_unlock")):
        act(accounts.unlock, who)
    with c4.popover(t("adm_reset")):
        temp = st.text_input(t("new_password"), type="password", key="admin_reset_pw")
        if st.button(t("save"), key="admin_reset_go"):
            act(accounts.set_password, who, temp, must_change=True)

st.header(t("adm_audit"))
action = st.selectbox(t("adm_action"), [None, *ACTIONS], format_func=lambda a: t("adm_all") if a is None else action_name(a))
log = read_audit(settings.db, limit=5000, action=action, timeout=settings.lock_timeout)
record_table(named_roles(named_actions(log)), {c: f"col_a_{c}" for c in log.columns}, hide=("audit_id",))  # the CSV keeps the codes


audit_file = csv_ready(log.drop("audit_id"), {c: (f"col_a_{c}", "text") for c in log.columns})  # labels need the session


def _audit_csv() -> bytes:
    # Runs on click, outside the script thread: no session state there, so the user is the one this page
    # was drawn for, and their role is read again (an admin demoted since then gets nothing).
    role = auth.role_now(settings, session)
    if not allows(role, "admin"):
        raise PermissionError("只有管理员可以导出审计日志 / only admins can export the audit log")
    record_event(settings.db, session.username, "audit_export", role=role, rows=log.height,
                 timeout=settings.lock_timeout)
    return to_csv(audit_file).encode("utf-8-sig")


st.download_button(t("adm_export"), _audit_csv, file_name="siyu_audit_log.csv", mime="text/csv", on_click="ignore")

st.header(t("adm_settings"))
st.caption(t("adm_settings_help"))
if SETTINGS_FLASH in st.session_state:
    st.success(st.session_state.pop(SETTINGS_FLASH))
fixed, saved = runtime_settings.pinned(), runtime_settings.stored(settings.db, settings.lock_timeout)


def origin(name: str) -> str:
    if name in fixed:
        return t("adm_pinned", env=runtime_settings.env_name(name))
    if name in saved:
        return t("adm_stored_by", by=literal(saved[name]["updated_by"]), at=f"{saved[name]['updated_at']:%Y-%m-%d %H:%M}")
    return t("adm_default")


with st.form("admin_settings"):
    typed: dict[str, str] = {}
    for name, spec in runtime_settings.EDITABLE.items():
        value = getattr(settings, name)
        label = f"{t(f'adm_f_{name}')} · `{name}`"
        if spec.secret:
            typed[name] = st.text_input(label, type="password", key=f"setting_{name}", disabled=name in fixed,
                                        placeholder=t("adm_secret_keep") if value else t("adm_secret_unset"))
            clear = st.checkbox(t("adm_secret_clear"), key=f"setting_{name}_clear", disabled=name in fixed or not value)
            typed[name] = "" if clear else (typed[name] or None)
        else:
            typed[name] = st.text_input(label, value=runtime_settings.shown(name, value), key=f"setting_{name}",
                                        disabled=name in fixed)
        st.caption(origin(name))
    if st.form_submit_button(t("adm_settings_save"), type="primary"):
        changes = {name: text for name, text in typed.items() if text is not None and name not in fixed
                   and (runtime_settings.EDITABLE[name].secret or text.strip() != runtime_settings.shown(name, getattr(settings, name)))}
        try:
            done = runtime_settings.save(settings, changes, by=session.username)
        except AuthError as exc:
            st.error(literal(exc))
        else:
            if done:
                st.session_state[SETTINGS_FLASH] = t("adm_settings_saved", what=literal("; ".join(f"{n}: {a} → {b}" for n, a, b in done)))
                for key in [k for k in st.session_state if str(k).startswith("setting_")]:
                    del st.session_state[key]  # redraw from the stored values; the secret is not kept in the page
                st.rerun()  # the next run reads the new values
            st.info(t("adm_settings_same"))

st.subheader(t("adm_all_settings"))
rows = []
for f in dataclasses.fields(settings):
    value = getattr(settings, f.name)
    if f.name in SECRETS:
        value = t("adm_secret_set") if value else t("adm_secret_unset")
    source = origin(f.name) if f.name in runtime_settings.EDITABLE else (
        t("adm_pinned", env=f"SIYU_{f.name.upper()}") if os.environ.get(f"SIYU_{f.name.upper()}") else t("adm_default"))
    rows.append({"setting": f.name, "env": f"SIYU_{f.name.upper()}", "value": setting_text(value), "source": source})
record_table(pl.DataFrame(rows), {"setting": "col_a_setting", "env": "col_a_env", "value": "col_a_value",
                                  "source": "col_a_source"})
