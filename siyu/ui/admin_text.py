"""The Accounts & audit page's own words (zh, en), moved here unchanged from app_pages/admin.py so the page only
draws. Read through `w(key, **values)`."""

from __future__ import annotations

from siyu.ui.i18n import current_lang

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


def w(key: str, **values: object) -> str:
    text = W[key][0 if current_lang() == "zh" else 1]
    return text.format(**values) if values else text
