"""Login sessions that survive a reload and a new tab: a random token in the browser, its hash in the database.

`issue` creates a session for someone who just proved who they are (password form, SSO) and returns the
token, which only ever travels in an HttpOnly cookie (siyu/ui/session_cookie.py); the database keeps its
SHA-256. `check` is run on every page run and says whether the session still stands, against the clock
and the account as it is now:

- revoked (logout, a password change)            -> `revoked`
- idle longer than the TTL (SIYU_SESSION_TTL_MINUTES) -> `expired` (and it is revoked, so this is said once)
- older than MAX_AGE, however busy                 -> `expired`
- password account deleted or disabled            -> `disabled`
- password set after the session began            -> `password_changed` (an admin reset, or a change elsewhere)

The clock is a parameter everywhere (`now`), so the tests give literal instants. Times are local naive
datetimes, as the `password_set_at` column of `accounts` and the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from siyu.db import execute, query, reading, writing

TOKEN_BYTES = 32                          # 256 random bits: not guessable, not worth brute-forcing
MAX_AGE = dt.timedelta(hours=24)          # a login lasts a working day at most, however busy
TOUCH_EVERY = dt.timedelta(seconds=60)    # last_seen is written at most this often (a write per page run
                                          # would take DuckDB's single write lock from imports)
KEEP_ENDED = dt.timedelta(days=30)        # ended sessions are deleted after this


@dataclass(frozen=True)
class Checked:
    """What `check` found: ok with the session's user, role and clocks, or the reason it ended."""

    ok: bool
    reason: str  # ok | unknown | revoked | expired | disabled | password_changed
    token_hash: str = ""
    username: str = ""
    via: str = ""
    role: str | None = None  # the account's role now (password sessions); None for SSO (rules decide)
    must_change: bool = False
    created_at: dt.datetime | None = None
    last_seen_at: dt.datetime | None = None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue(path: Path, username: str, via: str, *, now: dt.datetime, timeout: float = 30.0) -> str:
    """A new session for `username` (logged in by `via`: password | sso); returns the token (for the cookie)."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with writing(path, timeout) as con:
        execute(con, "auth_session_prune", {"before": now - KEEP_ENDED})
        execute(con, "auth_session_insert", {"token_hash": token_hash(token), "username": username, "via": via,
                                             "now": now})
    return token


def check(path: Path, hashed: str, *, ttl: dt.timedelta, now: dt.datetime, timeout: float = 30.0) -> Checked:
    """Does the session with this token hash still stand at `now`? (Never writes, except to revoke a session
    found idle, so its expiry is reported once.)"""
    if not hashed:
        return Checked(False, "unknown")
    with reading(path, timeout) as con:
        frame = query(con, "auth_session_get", {"token_hash": hashed})
    if frame.height == 0:
        return Checked(False, "unknown")
    row = frame.row(0, named=True)
    found = Checked(True, "ok", hashed, row["username"], row["via"], row["role"], bool(row["must_change"]),
                    row["created_at"], row["last_seen_at"])
    reason = _ended(row, ttl=ttl, now=now)
    if reason is None:
        return found
    if reason == "expired" and row["revoked_at"] is None:
        revoke(path, hashed, why="expired", now=now, timeout=timeout)
    return Checked(False, reason, hashed, row["username"], row["via"])


def _ended(row: dict, *, ttl: dt.timedelta, now: dt.datetime) -> str | None:
    if row["revoked_at"] is not None:
        return "expired" if row["revoked_why"] == "expired" else "revoked"
    if now - row["last_seen_at"] > ttl or now - row["created_at"] > MAX_AGE:
        return "expired"
    if row["via"] == "password":
        if not row["has_account"] or row["disabled"]:
            return "disabled"
        if row["password_set_at"] is not None and row["password_set_at"] > row["created_at"]:
            return "password_changed"
    return None


def touch(path: Path, found: Checked, *, now: dt.datetime, timeout: float = 30.0) -> bool:
    """Move the session's idle clock to `now` if it was last moved TOUCH_EVERY or more ago; True if written."""
    if not found.ok or found.last_seen_at is None or now - found.last_seen_at < TOUCH_EVERY:
        return False
    with writing(path, timeout) as con:
        execute(con, "auth_session_touch", {"token_hash": found.token_hash, "now": now})
    return True


def revoke(path: Path, hashed: str, *, why: str, now: dt.datetime, timeout: float = 30.0) -> None:
    """End one session (logout, expiry); a later check says `revoked` (or `expired`)."""
    with writing(path, timeout) as con:
        execute(con, "auth_session_revoke", {"token_hash": hashed, "why": why, "now": now})


def revoke_user(path: Path, username: str, *, why: str, now: dt.datetime, timeout: float = 30.0) -> None:
    """End every open session of `username` (their password changed: other browsers log in again)."""
    with writing(path, timeout) as con:
        execute(con, "auth_session_revoke_user", {"username": username, "why": why, "now": now})


def open_sessions(path: Path, *, ttl: dt.timedelta, now: dt.datetime, timeout: float = 30.0) -> pl.DataFrame:
    """Sessions not revoked and seen within the TTL: username, via, created_at, last_seen_at (no hashes)."""
    with reading(path, timeout) as con:
        return query(con, "auth_sessions_open", {"since": now - ttl})
