"""Settings admins change from the dashboard: stored in `app_settings`, validated, audited, used from the next run.

Precedence, highest first: a non-empty `SIYU_*` environment variable (the value is *pinned*: the page shows
it locked, `save` refuses it), then a value stored here, then the default in siyu.config.Settings. Only the
settings that make sense to change while siyu runs are editable (EDITABLE); the database path, time zone,
pepper, demo and the first admin's password stay in the environment.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import duckdb

from siyu.auth import AuthError, audit
from siyu.auth.sso import parse_sso_roles
from siyu.config import Settings
from siyu.db import execute, query, reading, writing

WEEK_MINUTES = 7 * 24 * 60


@dataclass(frozen=True)
class Editable:
    name: str
    secret: bool = False  # shown as set / not set; the audit log never holds the value


EDITABLE = {e.name: e for e in (
    Editable("session_ttl_minutes"), Editable("max_login_failures"), Editable("lockout_minutes"),
    Editable("sso_roles"), Editable("webhook_url", secret=True),
)}


def env_name(name: str) -> str:
    return f"SIYU_{name.upper()}"


def pinned(env: dict[str, str] | None = None) -> set[str]:
    """The editable settings an environment variable fixes."""
    env = os.environ if env is None else env
    return {name for name in EDITABLE if env.get(env_name(name), "") != ""}


def validate(name: str, raw: str) -> object:
    """The typed value of `raw` for setting `name`, or AuthError saying what is accepted."""
    if name not in EDITABLE:
        raise AuthError(f"设置 {name!r} 不能在页面上修改 / the setting {name!r} cannot be changed here")
    text = (raw or "").strip()
    if name in {"session_ttl_minutes", "lockout_minutes"}:
        try:
            value = float(text)
        except ValueError:
            value = math.nan
        if not (0 < value <= WEEK_MINUTES):
            raise AuthError(f"{name}：应为 0 到 {WEEK_MINUTES} 之间的分钟数 / minutes between 0 and {WEEK_MINUTES}, got {text!r}")
        return value
    if name == "max_login_failures":
        if not text.isdigit() or not 1 <= int(text) <= 100:
            raise AuthError(f"{name}：应为 1 到 100 的整数 / a whole number from 1 to 100, got {text!r}")
        return int(text)
    if name == "sso_roles":
        parse_sso_roles(text)  # raises with the rule at fault
        return ",".join(p.strip() for p in text.split(",") if p.strip())
    # webhook_url: empty (no post) or an http(s) URL with a host
    if text:
        parts = urlparse(text)
        if parts.scheme not in {"https", "http"} or not parts.hostname or any(c.isspace() for c in text):
            raise AuthError("webhook_url：应为 https:// 开头的企业微信群机器人地址 / expected an https:// group-bot URL")
    return text


def stored(path: Path, timeout: float = 30.0) -> dict[str, dict]:
    """name -> {value, updated_at, updated_by} for every stored setting."""
    with reading(path, timeout) as con:
        frame = query(con, "settings_read")
    return {row["name"]: row for row in frame.iter_rows(named=True)}


# The dashboard asks on every interaction; opening the DuckDB file costs 10-35 ms, so the stored rows are
# kept a few seconds per process (save() in this process clears them at once; nothing else writes them).
_FRESH_FOR = 5.0
_SEEN: dict[str, tuple[float, dict[str, dict]]] = {}
_SEEN_LOCK = threading.Lock()


def _stored_recently(path: Path, timeout: float) -> dict[str, dict]:
    key, now = str(Path(path).resolve()), time.monotonic()
    with _SEEN_LOCK:
        hit = _SEEN.get(key)
    if hit and now - hit[0] < _FRESH_FOR:
        return hit[1]
    rows = stored(path, timeout)
    with _SEEN_LOCK:
        _SEEN[key] = (now, rows)
    return rows


def forget(path: Path | None = None) -> None:
    """Drop the remembered rows (of one database, or all)."""
    with _SEEN_LOCK:
        if path is None:
            _SEEN.clear()
        else:
            _SEEN.pop(str(Path(path).resolve()), None)


def effective(settings: Settings, *, env: dict[str, str] | None = None, timeout: float | None = None,
              fresh: bool = False) -> Settings:
    """`settings` (read from the environment) with the stored values applied where no variable pins them
    (`fresh`: read the database now rather than use rows read less than a few seconds ago).
    A stored value that no longer validates (an older siyu's rule) is ignored rather than breaking logins."""
    fixed = pinned(env)
    wait = settings.lock_timeout if timeout is None else timeout
    try:
        rows = stored(settings.db, wait) if fresh else _stored_recently(settings.db, wait)
    except duckdb.Error:
        return settings
    changes = {}
    for name, row in rows.items():
        if name in EDITABLE and name not in fixed:
            try:
                changes[name] = validate(name, row["value"])
            except AuthError:
                continue
    return dataclasses.replace(settings, **changes) if changes else settings


def shown(name: str, value: object) -> str:
    """How a value appears on the page and in the audit log (secrets as set / not set)."""
    if EDITABLE.get(name, Editable(name)).secret or name in {"admin_password", "pepper"}:
        return "(set)" if value else "(not set)"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def save(settings: Settings, changes: dict[str, str], *, by: str, env: dict[str, str] | None = None,
         timeout: float | None = None) -> list[tuple[str, str, str]]:
    """Validate every change first (nothing is written if one is wrong), then store them in one transaction
    with one audit row each: `name: old -> new`. An empty string for a setting returns it to its default.
    Returns (name, old, new) for what changed."""
    fixed = pinned(env)
    current = effective(settings, env=env, timeout=timeout, fresh=True)
    default = Settings()
    plan = []
    for name, raw in changes.items():
        if name in fixed:
            raise AuthError(f"{name} 由环境变量 {env_name(name)} 固定，请在服务器上修改 / "
                            f"{name} is pinned by {env_name(name)}; change it on the server")
        value = validate(name, raw) if (raw or "").strip() else getattr(default, name)
        old = getattr(current, name)
        if value != old:
            before, after = shown(name, old), shown(name, value)
            if before == after:  # a secret replaced by another
                after = "(set, changed)"
            plan.append((name, (raw or "").strip(), before, after))
    if not plan:
        return []
    now = dt.datetime.now()
    with writing(settings.db, settings.lock_timeout if timeout is None else timeout) as con:
        for name, raw, old, new in plan:
            if raw:
                execute(con, "settings_upsert", {"name": name, "value": raw, "now": now, "by": by})
            else:
                execute(con, "settings_delete", {"name": name})
            audit.write(con, by, "setting_changed", role="admin", detail=f"{name}: {old} -> {new}", at=now)
    forget(settings.db)
    return [(name, old, new) for name, _, old, new in plan]
