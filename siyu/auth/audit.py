"""The audit log: who did what, when, to how many rows (logins, imports, undos, member-level downloads).

`record` writes inside a caller's transaction (`write`) or opens its own (`record_event`); `read_audit`
is what the admin page shows and exports.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import polars as pl

from siyu.db import execute, query, reading, writing

ACTIONS = ("login", "login_failed", "login_locked", "locked", "logout", "expired", "sso_login", "sso_refused",
           "import", "undo", "demo_cleared", "download", "report", "account_created", "password_changed",
           "role_changed", "account_disabled", "account_enabled", "unlocked", "audit_export", "setting_changed")


def _clip(text: str | None, size: int = 500) -> str | None:
    return None if text is None else str(text)[:size]


def write(con: duckdb.DuckDBPyConnection, username: str, action: str, *, role: str | None = None,
          detail: str | None = None, rows: int | None = None, at: dt.datetime | None = None) -> None:
    """One audit row inside the caller's open write transaction."""
    execute(con, "audit_write", {
        "at": at or dt.datetime.now(), "username": _clip(username, 128) or "?", "role": role,
        "action": action, "detail": _clip(detail), "rows": rows,
    })


def record_event(path: Path, username: str, action: str, *, role: str | None = None, detail: str | None = None,
                 rows: int | None = None, timeout: float = 30.0) -> None:
    """One audit row in its own short transaction."""
    with writing(path, timeout) as con:
        write(con, username, action, role=role, detail=detail, rows=rows)


def read_audit(path: Path, *, limit: int = 1000, action: str | None = None, timeout: float = 30.0) -> pl.DataFrame:
    """Newest first: audit_id, at, username, role, action, detail, rows."""
    with reading(path, timeout) as con:
        return query(con, "audit_read", {"limit": int(limit), "action": action})
