"""The words of the login gate, the account sidebar, downloads and the admin page (added to i18n.STRINGS)."""

from __future__ import annotations

AUTH_STRINGS: dict[str, dict[str, str]] = {
    "login_title": {"zh": "登录 siyu", "en": "Log in to siyu"},
    "login_intro": {"zh": "这个看板里有客户数据，请先登录。", "en": "This dashboard holds customer data; please log in."},
    "login_user": {"zh": "用户名", "en": "Username"},
    "login_password": {"zh": "密码", "en": "Password"},
    "login_submit": {"zh": "登录", "en": "Log in"},
    "login_bad": {"zh": "用户名或密码不正确。", "en": "Wrong username or password."},
    "login_locked": {"zh": "失败次数过多，请 {seconds} 秒后再试。",
                     "en": "Too many failed attempts: try again in {seconds} seconds."},
    "login_expired": {"zh": "登录已过期，请重新登录。", "en": "Your session expired; please log in again."},
    "login_first_admin": {
        "zh": "第一次启动时会创建管理员账户 `admin`：密码来自环境变量 SIYU_ADMIN_PASSWORD，否则一次性密码只在启动控制台打印一次。"
              "忘记时运行 `python -m siyu user passwd admin`。",
        "en": "The first start creates the admin account `admin`: its password comes from SIYU_ADMIN_PASSWORD, "
              "else a one-time password is printed once on the server console. "
              "Lost it? Run `python -m siyu user passwd admin`."},
    "login_sso": {"zh": "使用单点登录 (SSO)", "en": "Log in with single sign-on"},
    "sso_refused": {"zh": "{email} 没有访问权限：单点登录的角色规则中没有匹配（请管理员在「账户与审计」页或 SIYU_SSO_ROLES 中添加）。",
                    "en": "{email} has no access: no single sign-on role rule matches (an admin can add one on the Accounts & audit page or in SIYU_SSO_ROLES)."},
    "sso_again": {"zh": "单点登录已超过空闲时限，请再点一次“使用单点登录”。",
                  "en": "Your single sign-on is older than the idle limit: click “Log in with single sign-on” again."},
    "logout": {"zh": "退出登录", "en": "Log out"},
    "signed_in_as": {"zh": "已登录：**{user}**（{role}）", "en": "Logged in as **{user}** ({role})"},
    "demo_open": {
        "zh": "演示模式：未登录即可查看（只读，和查看者一样：不能导入、下载会员明细、修改账户或设置）。"
              "只有这台电脑（127.0.0.1）直接访问时才开放，数据库里只有演示数据；导入真实数据后需要登录。",
        "en": "Demo mode: open without a login, read-only like a viewer (no imports, member files, accounts or "
              "settings). Only a direct connection from this computer (127.0.0.1) gets it and the database holds "
              "demo data only; once real data is imported a login is required."},
    "change_password": {"zh": "修改密码", "en": "Change password"},
    "must_change": {"zh": "这是一次性密码，请先设置新密码。", "en": "This was a one-time password: set a new one first."},
    "old_password": {"zh": "当前密码", "en": "Current password"},
    "new_password": {"zh": "新密码（至少 8 个字符）", "en": "New password (8 characters or more)"},
    "new_password2": {"zh": "再输入一次新密码", "en": "New password again"},
    "password_mismatch": {"zh": "两次输入的新密码不一致。", "en": "The two new passwords differ."},
    "password_changed": {"zh": "密码已修改。", "en": "Password changed."},
    "save": {"zh": "保存", "en": "Save"},
    "forbidden": {"zh": "你的角色（{role}）不能打开这个页面。", "en": "Your role ({role}) cannot open this page."},
    "download_needs_operator": {"zh": "会员明细（含手机号）只有运营和管理员可以下载。",
                                "en": "Member-level data (with phone numbers) can be downloaded by operators and admins only."},
    "download_member_csv": {"zh": "下载会员明细 (CSV)", "en": "Download members (CSV)"},
    "download_member_xlsx": {"zh": "下载会员明细 (Excel)", "en": "Download members (Excel)"},
    "report_export": {"zh": "导出报告 (HTML)", "en": "Export report (HTML)"},
    "report_help": {"zh": "当前筛选范围的 KPI 与图表，一个可离线打开的 HTML 文件。",
                    "en": "This range's KPIs and charts as one HTML file that opens offline."},
    "page_admin": {"zh": "账户与审计", "en": "Accounts & audit"},
}
