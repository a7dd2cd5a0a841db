"""Single sign-on (st.login, OIDC): which role an e-mail address gets, from Settings.sso_roles.

`boss@brand.cn=admin,*@brand.cn=viewer`: comma-separated `pattern=role`; a pattern is an exact address
or `*@domain`; matching ignores case; the first match wins; an address matching nothing gets no role.
"""

from __future__ import annotations

from siyu.auth import AuthError, check_role


def parse_sso_roles(text: str) -> list[tuple[str, str]]:
    rules = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        pattern, sep, role = part.rpartition("=")
        if not sep or not pattern.strip() or "@" not in pattern:
            raise AuthError(f"SIYU_SSO_ROLES：{part!r} 应为 邮箱=角色 或 *@域名=角色 / expected email=role")
        rules.append((pattern.strip().lower(), check_role(role.strip())))
    return rules


def role_for_email(email: str | None, sso_roles: str) -> str | None:
    if not email or "@" not in email:
        return None
    email = email.strip().lower()
    for pattern, role in parse_sso_roles(sso_roles):
        if pattern == email or (pattern.startswith("*@") and email.endswith(pattern[1:])):
            return role
    return None
