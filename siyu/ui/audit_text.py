"""The audit log's actions in words (zh, en), for the admin page; the stored codes, the CLI and the audit
CSV keep the codes (siyu.auth.audit.ACTIONS)."""

from __future__ import annotations

import polars as pl

from siyu.auth.audit import ACTIONS
from siyu.ui.i18n import current_lang

ACTION_NAMES: dict[str, tuple[str, str]] = {
    "login": ("登录", "Logged in"), "login_failed": ("登录失败", "Login failed"),
    "login_locked": ("登录被暂停（失败过多）", "Login paused (too many failures)"),
    "locked": ("账户被锁定", "Account locked"), "logout": ("退出登录", "Logged out"),
    "expired": ("登录过期", "Session expired"), "sso_login": ("单点登录", "Single sign-on"),
    "sso_refused": ("单点登录被拒绝", "Single sign-on refused"), "import": ("导入", "Import"),
    "undo": ("撤销导入", "Import undone"), "demo_cleared": ("清除演示数据", "Demo data cleared"),
    "download": ("下载", "Download"), "report": ("报告", "Report"), "account_created": ("创建账户", "Account created"),
    "password_changed": ("修改密码", "Password changed"), "role_changed": ("修改角色", "Role changed"),
    "account_disabled": ("停用账户", "Account disabled"), "account_enabled": ("启用账户", "Account enabled"),
    "unlocked": ("解锁账户", "Account unlocked"), "audit_export": ("导出审计日志", "Audit log exported"),
    "setting_changed": ("修改设置", "Setting changed"),
}
assert set(ACTION_NAMES) == set(ACTIONS), "every audit action needs its words"


def action_name(action: str | None) -> str:
    """The action in the reader's language; an unknown code (a newer version's row) as it is stored."""
    names = ACTION_NAMES.get(action or "")
    if names is None:
        return action or "—"
    return names[0] if current_lang() == "zh" else names[1]


def named_actions(log: pl.DataFrame) -> pl.DataFrame:
    """The log with its action column in words (for the screen only)."""
    if "action" not in log.columns:
        return log
    words = {code: action_name(code) for code in ACTION_NAMES}
    return log.with_columns(pl.col("action").replace_strict(words, default=pl.col("action"), return_dtype=pl.String))
