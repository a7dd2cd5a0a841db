"""Built-in accounts: argon2id password hashes (argon2-cffi), growing waits after repeated failures
(siyu/auth/throttle.py), roles.

Every change is one short write transaction that also writes its audit row, so the log cannot miss an
event that happened. Usernames are case-insensitive (stored lower-cased); passwords are never stored,
logged or returned.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from siyu.auth import AuthError, audit, check_role
from siyu.auth.throttle import THROTTLE, Throttle
from siyu.config import Settings
from siyu.db import execute, query, reading, scalar, writing

HASHER = PasswordHasher()  # argon2id with the library's current defaults; verify() also reads older parameters
MIN_PASSWORD = 8
MAX_NAME = 64


@cache
def _dummy_hash() -> str:
    """Verified against when the username does not exist, so a wrong name costs as long as a wrong password."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    reason: str  # ok | bad (unknown name, wrong password or disabled: one message) | locked (wait first)
    username: str | None = None
    role: str | None = None
    must_change: bool = False
    locked_until: dt.datetime | None = None  # locked: no attempt before this (the same for unknown names)


def normal_name(username: str) -> str:
    name = (username or "").strip().lower()
    if not name or len(name) > MAX_NAME or any(ch.isspace() or not ch.isprintable() for ch in name):
        raise AuthError(f"用户名需为 1–{MAX_NAME} 个字符且不含空格 / a username is 1–{MAX_NAME} characters, no spaces")
    return name


def check_password(password: str) -> str:
    if len(password or "") < MIN_PASSWORD:
        raise AuthError(f"密码至少 {MIN_PASSWORD} 个字符 / a password needs at least {MIN_PASSWORD} characters")
    if len(password) > 1024:
        raise AuthError("密码过长 / password too long")
    return password


def count_accounts(path: Path, timeout: float = 30.0) -> int:
    with reading(path, timeout) as con:
        return int(scalar(con, "auth_account_count") or 0)


def list_accounts(path: Path, timeout: float = 30.0) -> pl.DataFrame:
    """One row per account (never the hash)."""
    with reading(path, timeout) as con:
        return query(con, "auth_accounts")


def get_account(path: Path, username: str, timeout: float = 30.0) -> dict | None:
    """The account's row without its hash, or None (also for names that cannot exist)."""
    try:
        name = normal_name(username)
    except AuthError:
        return None
    with reading(path, timeout) as con:
        frame = query(con, "auth_account_get", {"username": name})
    if frame.height == 0:
        return None
    row = frame.row(0, named=True)
    row.pop("password_hash")
    return row


def create_account(path: Path, username: str, password: str, role: str, *, by: str,
                   must_change: bool = False, timeout: float = 30.0) -> str:
    """Add an account; returns its normalised name. Refuses an existing name."""
    name, role = normal_name(username), check_role(role)
    hashed = HASHER.hash(check_password(password))
    with writing(path, timeout) as con:
        if query(con, "auth_account_get", {"username": name}).height:
            raise AuthError(f"账户 {name} 已存在 / account {name} already exists")
        execute(con, "auth_account_insert", {"username": name, "role": role, "password_hash": hashed,
                                             "must_change": must_change, "created_by": by})
        audit.write(con, by, "account_created", detail=f"{name} ({role})")
    return name


def ensure_first_admin(path: Path, settings: Settings) -> str | None:
    """With no account at all, create `admin`: from SIYU_ADMIN_PASSWORD, else with a one-time password
    that is returned (for the console) and must be changed at the first login. None when nothing was created."""
    if count_accounts(path, settings.lock_timeout):
        return None
    one_time = None if settings.admin_password else secrets.token_urlsafe(12)
    password = settings.admin_password or one_time
    hashed = HASHER.hash(check_password(password))
    with writing(path, settings.lock_timeout) as con:
        if int(scalar(con, "auth_account_count") or 0):  # another process was quicker
            return None
        execute(con, "auth_account_insert", {"username": "admin", "role": "admin", "password_hash": hashed,
                                             "must_change": one_time is not None, "created_by": "first-start"})
        audit.write(con, "first-start", "account_created",
                    detail="admin (admin) " + ("one-time password" if one_time else "SIYU_ADMIN_PASSWORD"))
    return one_time


def login(path: Path, username: str, password: str, settings: Settings, *, now: dt.datetime | None = None,
          via: str = "password", client: str | None = "local", throttle: Throttle = THROTTLE) -> LoginResult:
    """Check a password. Unknown names and disabled accounts read as a wrong password. The throttle
    (siyu/auth/throttle.py) may ask this name or this client address to wait first: then the password is
    not checked, nothing is counted, and the answer is the same whether the name exists or not. After the
    wait the right password opens. Every checked attempt is audited, and so is every wait a failure starts."""
    now = now or dt.datetime.now()
    shown = (username or "").strip()[:MAX_NAME] or "?"
    try:
        name = normal_name(username)
    except AuthError:
        name = None
    key = name or shown.lower()
    wait = throttle.wait_left(key, client, now)
    if wait > dt.timedelta(0):
        return LoginResult(False, "locked", name, locked_until=now + wait)
    with writing(path, settings.lock_timeout) as con:
        frame = query(con, "auth_account_get", {"username": name}) if name else pl.DataFrame()
        row = frame.row(0, named=True) if frame.height else None
        good = _verify(row["password_hash"] if row else _dummy_hash(), password)
        if row is not None and good and not row["disabled"]:
            throttle.succeeded(key)
            rehash = HASHER.hash(password) if HASHER.check_needs_rehash(row["password_hash"]) else None
            execute(con, "auth_login_ok", {"username": name, "now": now, "password_hash": rehash})
            audit.write(con, name, "login", role=row["role"], detail=via, at=now)
            return LoginResult(True, "ok", name, row["role"], bool(row["must_change"]))
        started = throttle.failed(key, client, now, free=settings.max_login_failures,
                                  address_cap=dt.timedelta(minutes=settings.lockout_minutes))
        role = row["role"] if row else None
        why = "unknown user" if row is None else "disabled" if row["disabled"] else "wrong password"
        audit.write(con, name if row else shown, "login_failed", role=role, detail=why, at=now)
        if row is not None:
            execute(con, "auth_login_waits", {"username": name, "until": throttle.account_wait_until(key, now)})
        for wait_started in started:
            audit.write(con, name if row else shown, "locked", role=role, detail=wait_started.describe(), at=now)
        ends = [w.until for w in started]
    if ends:
        return LoginResult(False, "locked", name, locked_until=max(ends))
    return LoginResult(False, "bad")


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password or "")
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def set_password(path: Path, username: str, password: str, *, by: str, must_change: bool = False,
                 timeout: float = 30.0) -> None:
    """A new password (also clears a lockout)."""
    name = normal_name(username)
    hashed = HASHER.hash(check_password(password))
    with writing(path, timeout) as con:
        _require(con, name)
        execute(con, "auth_set_password", {"username": name, "password_hash": hashed, "must_change": must_change,
                                           "now": dt.datetime.now()})
        audit.write(con, by, "password_changed", detail=name)


def change_own_password(path: Path, username: str, old: str, new: str, settings: Settings) -> None:
    """The logged-in user changes their password; the old one must be right."""
    name = normal_name(username)
    with reading(path, settings.lock_timeout) as con:
        frame = query(con, "auth_account_get", {"username": name})
    if frame.height == 0 or not _verify(frame.item(0, "password_hash"), old):
        raise AuthError("原密码不正确 / the current password is wrong")
    if new == old:
        raise AuthError("新密码不能与原密码相同 / the new password must differ from the old one")
    set_password(path, name, new, by=name, timeout=settings.lock_timeout)


def set_role(path: Path, username: str, role: str, *, by: str, timeout: float = 30.0) -> None:
    name, role = normal_name(username), check_role(role)
    with writing(path, timeout) as con:
        row = _require(con, name)
        if row["role"] == "admin" and role != "admin":
            _keep_an_admin(con, name)
        execute(con, "auth_set_role", {"username": name, "role": role})
        audit.write(con, by, "role_changed", detail=f"{name}: {row['role']} -> {role}")


def set_disabled(path: Path, username: str, disabled: bool, *, by: str, timeout: float = 30.0) -> None:
    name = normal_name(username)
    with writing(path, timeout) as con:
        row = _require(con, name)
        if disabled and row["role"] == "admin":
            _keep_an_admin(con, name)
        execute(con, "auth_set_disabled", {"username": name, "disabled": disabled})
        audit.write(con, by, "account_disabled" if disabled else "account_enabled", detail=name)


def unlock(path: Path, username: str, *, by: str, timeout: float = 30.0) -> None:
    name = normal_name(username)
    with writing(path, timeout) as con:
        _require(con, name)
        execute(con, "auth_unlock", {"username": name})
        audit.write(con, by, "unlocked", detail=name)
    THROTTLE.forget_account(name)


def _require(con, name: str) -> dict:
    frame = query(con, "auth_account_get", {"username": name})
    if frame.height == 0:
        raise AuthError(f"没有账户 {name} / no account {name}")
    return frame.row(0, named=True)


def _keep_an_admin(con, name: str) -> None:
    if not int(scalar(con, "auth_admins_left", {"username": name}) or 0):
        raise AuthError("至少要保留一个启用的管理员 / keep at least one enabled admin")
