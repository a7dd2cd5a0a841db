"""账户与审计 Accounts & audit (admins only): accounts, roles, lockouts, the audit log and the settings."""

import dataclasses

import polars as pl
import streamlit as st

from siyu.auth import ROLES, AuthError, accounts
from siyu.auth.audit import ACTIONS, read_audit
from siyu.output import to_csv
from siyu.ui import auth, cache
from siyu.ui.i18n import current_lang, t

session = auth.require_role("admin")
settings, state = cache.page_context()

W = {
    "accounts": ("账户", "Accounts"), "new": ("新建账户", "New account"), "role": ("角色", "Role"),
    "create": ("创建", "Create"), "created": ("已创建 {n}", "Created {n}"), "pick": ("账户", "Account"),
    "apply_role": ("修改角色", "Change role"), "disable": ("停用", "Disable"), "enable": ("启用", "Enable"),
    "unlock": ("解锁", "Unlock"), "reset": ("重设密码（对方下次登录时须修改）", "Reset password (to be changed at next login)"),
    "done": ("已完成。", "Done."), "audit": ("审计日志", "Audit log"), "action": ("操作", "Action"),
    "all": ("全部", "All"), "export": ("导出审计日志 (CSV)", "Export audit log (CSV)"),
    "settings": ("当前设置（来自环境变量；修改后重启）", "Settings (from the environment; restart after changing)"),
    "secret_set": ("（已设置）", "(set)"), "secret_unset": ("（未设置）", "(not set)"),
}
SECRETS = {"admin_password", "pepper", "webhook_url"}


def w(key: str, **values: object) -> str:
    text = W[key][0 if current_lang() == "zh" else 1]
    return text.format(**values) if values else text


def act(fn, *args, **kwargs) -> None:
    try:
        fn(settings.db, *args, by=session.username, timeout=settings.lock_timeout, **kwargs)
        st.success(w("done"))
    except AuthError as exc:
        st.error(str(exc))


st.title(t("page_admin"))
st.header(w("accounts"))
listing = accounts.list_accounts(settings.db, settings.lock_timeout)
st.dataframe(listing, hide_index=True)

with st.expander(w("new")):
    with st.form("new_account", clear_on_submit=True):
        name = st.text_input(t("login_user"), max_chars=accounts.MAX_NAME)
        password = st.text_input(t("login_password"), type="password")
        role = st.selectbox(w("role"), ROLES, format_func=auth.role_name)
        if st.form_submit_button(w("create")):
            try:
                made = accounts.create_account(settings.db, name, password, role, by=session.username,
                                               must_change=True, timeout=settings.lock_timeout)
                st.success(w("created", n=made))
            except AuthError as exc:
                st.error(str(exc))

if listing.height:
    who = st.selectbox(w("pick"), listing["username"].to_list())
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    new_role = c1.selectbox(w("role"), ROLES, format_func=auth.role_name, key="admin_role")
    if c1.button(w("apply_role")):
        act(accounts.set_role, who, new_role)
    disabled = bool(listing.filter(pl.col("username") == who)["disabled"][0])
    if c2.button(w("enable") if disabled else w("disable")):
        act(accounts.set_disabled, who, not disabled)
    if c3.button(w("unlock")):
        act(accounts.unlock, who)
    with c4.popover(w("reset")):
        temp = st.text_input(t("new_password"), type="password", key="admin_reset_pw")
        if st.button(t("save"), key="admin_reset_go"):
            act(accounts.set_password, who, temp, must_change=True)

st.header(w("audit"))
action = st.selectbox(w("action"), [None, *ACTIONS], format_func=lambda a: w("all") if a is None else a)
log = read_audit(settings.db, limit=5000, action=action, timeout=settings.lock_timeout)
st.dataframe(log, hide_index=True)


def _audit_csv() -> bytes:
    auth.audit_event(settings, "audit_export", rows=log.height)
    return to_csv(log).encode("utf-8-sig")


st.download_button(w("export"), _audit_csv, file_name="siyu_audit_log.csv", mime="text/csv", on_click="ignore")

st.header(w("settings"))
rows = []
for f in dataclasses.fields(settings):
    value = getattr(settings, f.name)
    if f.name in SECRETS:
        value = w("secret_set") if value else w("secret_unset")
    rows.append({"setting": f.name, "env": f"SIYU_{f.name.upper()}", "value": str(value)})
st.dataframe(pl.DataFrame(rows), hide_index=True)
