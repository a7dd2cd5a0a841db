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
from siyu.ui.i18n import current_lang, t
from siyu.ui.literal import literal
from siyu.ui.tables import record_table, setting_text

session = auth.require_role("admin")
settings, state = cache.page_context()

W = {
    "accounts": ("账户", "Accounts"), "new": ("新建账户", "New account"), "role": ("角色", "Role"),
    "create": ("创建", "Create"), "created": ("已创建 {n}", "Created {n}"), "pick": ("账户", "Account"),
    "apply_role": ("修改角色", "Change role"), "disable": ("停用", "Disable"), "enable": ("启用", "Enable"),
    "unlock": ("解锁", "Unlock"), "reset": ("重设密码（对方下次登录时须修改）", "Reset password (to be changed at next login)"),
    "done": ("已完成。", "Done."), "audit": ("审计日志", "Audit log"), "action": ("操作", "Action"),
    "all": ("全部", "All"), "export": ("导出审计日志 (CSV)", "Export audit log (CSV)"),
    "settings": ("设置", "Settings"),
    "settings_help": ("保存后从下一次操作起生效，无需重启。设置了环境变量的项由服务器固定，这里只读；清空一项即恢复默认值。",
                      "Saved values apply from the next interaction, without a restart. A setting fixed by an "
                      "environment variable is read-only here; empty a field to return to its default."),
    "pinned": ("由环境变量 {env} 固定", "fixed by the environment variable {env}"),
    "stored_by": ("{by} 于 {at} 设置", "set by {by} at {at}"),
    "default": ("默认值", "default"),
    "secret_keep": ("（已设置；留空保持不变）", "(set; leave empty to keep it)"),
    "secret_clear": ("清除 webhook_url", "Clear webhook_url"),
    "settings_save": ("保存设置", "Save settings"), "settings_saved": ("已保存：{what}", "Saved: {what}"),
    "settings_same": ("没有改动。", "Nothing changed."),
    "all_settings": ("全部设置（生效值）", "All settings (in force)"),
    "secret_set": ("（已设置）", "(set)"), "secret_unset": ("（未设置）", "(not set)"),
    "f_session_ttl_minutes": ("空闲多少分钟后退出登录", "Minutes without interaction before a login ends"),
    "f_max_login_failures": ("连续输错几次密码后开始等待（1 秒起逐次加倍，同一用户名最多 60 秒）",
                             "Wrong passwords before attempts must wait (1 s, doubling, at most 60 s per name)"),
    "f_lockout_minutes": ("同一客户端地址最长等待多少分钟", "Longest wait for one client address, in minutes"),
    "f_sso_roles": ("单点登录 邮箱=角色（逗号分隔，可用 *@域名）", "Single sign-on e-mail=role (comma-separated, *@domain allowed)"),
    "f_webhook_url": ("企业微信群机器人 webhook（报告摘要）", "WeCom group-bot webhook (report summary)"),
}
SETTINGS_FLASH = "_admin_settings_flash"
SECRETS = {"admin_password", "pepper", "webhook_url"}


def w(key: str, **values: object) -> str:
    text = W[key][0 if current_lang() == "zh" else 1]
    return text.format(**values) if values else text


def named_roles(frame: pl.DataFrame) -> pl.DataFrame:
    """The role column in words (管理员 / Admin) for the screen; the CSV keeps the codes."""
    if "role" not in frame.columns:
        return frame
    words = {code: auth.role_name(code) for code in ROLES}
    return frame.with_columns(pl.col("role").replace_strict(words, default=pl.col("role"), return_dtype=pl.String))


def act(fn, *args, **kwargs) -> None:
    try:
        fn(settings.db, *args, by=session.username, timeout=settings.lock_timeout, **kwargs)
        st.success(w("done"))
    except AuthError as exc:
        st.error(literal(exc))


st.title(t("page_admin"))
st.header(w("accounts"))
listing = accounts.list_accounts(settings.db, settings.lock_timeout)
record_table(named_roles(listing), {c: f"col_a_{c}" for c in listing.columns})

with st.expander(w("new")):
    with st.form("new_account", clear_on_submit=True):
        name = st.text_input(t("login_user"), max_chars=accounts.MAX_NAME)
        password = st.text_input(t("login_password"), type="password")
        role = st.selectbox(w("role"), ROLES, format_func=auth.role_name)
        if st.form_submit_button(w("create")):
            try:
                made = accounts.create_account(settings.db, name, password, role, by=session.username,
                                               must_change=True, timeout=settings.lock_timeout)
                st.success(w("created", n=literal(made)))
            except AuthError as exc:
                st.error(literal(exc))

if listing.height:
    who = st.selectbox(w("pick"), listing["username"].to_list())
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    # Preselect the account's own role, keyed per account: a fixed default (查看者) would demote an admin
    # whose row is picked and whose 修改角色 is clicked for another reason.
    current = listing.filter(pl.col("username") == who)["role"][0]
    new_role = c1.selectbox(w("role"), ROLES, index=ROLES.index(current) if current in ROLES else 0,
                            format_func=auth.role_name, key=f"admin_role_{who}")
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
action = st.selectbox(w("action"), [None, *ACTIONS], format_func=lambda a: w("all") if a is None else action_name(a))
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


st.download_button(w("export"), _audit_csv, file_name="siyu_audit_log.csv", mime="text/csv", on_click="ignore")

st.header(w("settings"))
st.caption(w("settings_help"))
if SETTINGS_FLASH in st.session_state:
    st.success(st.session_state.pop(SETTINGS_FLASH))
fixed, saved = runtime_settings.pinned(), runtime_settings.stored(settings.db, settings.lock_timeout)


def origin(name: str) -> str:
    if name in fixed:
        return w("pinned", env=runtime_settings.env_name(name))
    if name in saved:
        return w("stored_by", by=literal(saved[name]["updated_by"]), at=f"{saved[name]['updated_at']:%Y-%m-%d %H:%M}")
    return w("default")


with st.form("admin_settings"):
    typed: dict[str, str] = {}
    for name, spec in runtime_settings.EDITABLE.items():
        value = getattr(settings, name)
        label = f"{w('f_' + name)} · `{name}`"
        if spec.secret:
            typed[name] = st.text_input(label, type="password", key=f"setting_{name}", disabled=name in fixed,
                                        placeholder=w("secret_keep") if value else w("secret_unset"))
            clear = st.checkbox(w("secret_clear"), key=f"setting_{name}_clear", disabled=name in fixed or not value)
            typed[name] = "" if clear else (typed[name] or None)
        else:
            typed[name] = st.text_input(label, value=runtime_settings.shown(name, value), key=f"setting_{name}",
                                        disabled=name in fixed)
        st.caption(origin(name))
    if st.form_submit_button(w("settings_save"), type="primary"):
        changes = {name: text for name, text in typed.items() if text is not None and name not in fixed
                   and (runtime_settings.EDITABLE[name].secret or text.strip() != runtime_settings.shown(name, getattr(settings, name)))}
        try:
            done = runtime_settings.save(settings, changes, by=session.username)
        except AuthError as exc:
            st.error(literal(exc))
        else:
            if done:
                st.session_state[SETTINGS_FLASH] = w("settings_saved", what=literal("; ".join(f"{n}: {a} → {b}" for n, a, b in done)))
                for key in [k for k in st.session_state if str(k).startswith("setting_")]:
                    del st.session_state[key]  # redraw from the stored values; the secret is not kept in the page
                st.rerun()  # the next run reads the new values
            st.info(w("settings_same"))

st.subheader(w("all_settings"))
rows = []
for f in dataclasses.fields(settings):
    value = getattr(settings, f.name)
    if f.name in SECRETS:
        value = w("secret_set") if value else w("secret_unset")
    source = origin(f.name) if f.name in runtime_settings.EDITABLE else (
        w("pinned", env=f"SIYU_{f.name.upper()}") if os.environ.get(f"SIYU_{f.name.upper()}") else w("default"))
    rows.append({"setting": f.name, "env": f"SIYU_{f.name.upper()}", "value": setting_text(value), "source": source})
record_table(pl.DataFrame(rows), {"setting": "col_a_setting", "env": "col_a_env", "value": "col_a_value",
                                  "source": "col_a_source"})
