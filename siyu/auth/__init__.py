"""Accounts, roles, the audit log and member-level exports: the library behind the login gate.

No Streamlit here (the gate itself is siyu/ui/auth.py), so all of it is tested without a browser.

Roles are ordered: viewer < operator < admin; a role can do everything the roles below it can.
- viewer: dashboards only; phones masked; no member-level downloads.
- operator: also imports, segments, member-level downloads with full phone numbers.
- admin: also accounts, settings, undoing imports, clearing the demo, reading the audit log.
"""

from __future__ import annotations

from siyu.errors import SiyuError

ROLES = ("viewer", "operator", "admin")


class AuthError(SiyuError):
    """An account operation was refused (unknown role, weak password, the last admin, ...)."""


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AuthError(f"未知角色 {role!r}：只能是 {', '.join(ROLES)} / unknown role {role!r}")
    return role


def allows(role: str | None, minimum: str) -> bool:
    """True when `role` may do what `minimum` may (None, or an unknown role, may do nothing)."""
    if role not in ROLES:
        return False
    return ROLES.index(role) >= ROLES.index(check_role(minimum))


__all__ = ["ROLES", "AuthError", "allows", "check_role"]
