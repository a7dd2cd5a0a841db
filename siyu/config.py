"""Settings, read once from the environment into one frozen dataclass.

Every field is documented in README.md (a test checks that)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from siyu.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_ROOT / "data" / "siyu.duckdb"


@dataclass(frozen=True)
class Settings:
    """siyu's settings. Environment variable names are the field names upper-cased with a SIYU_ prefix."""

    db: Path = DEFAULT_DB
    """SIYU_DB: path of the DuckDB file."""
    lock_timeout: float = 30.0
    """SIYU_LOCK_TIMEOUT: seconds to wait for another process's lock on the database before giving up."""
    lang: str = "zh"
    """SIYU_LANG: default UI language, zh (简体中文) or en."""
    demo_members: int = 20_000
    """SIYU_DEMO_MEMBERS: size of the demo brand the dashboard builds when it starts on an empty database."""
    demo_seed: int = 7
    """SIYU_DEMO_SEED: random seed of that demo brand."""
    autodemo: bool = True
    """SIYU_AUTODEMO: build the demo brand when the dashboard starts on an empty database (1/0)."""
    timezone: str = "Asia/Shanghai"
    """SIYU_TIMEZONE: the brand's time zone; imported timestamps with an offset are converted to it."""
    earliest_year: int = 2000
    """SIYU_EARLIEST_YEAR: imported dates before 1 January of this year are row errors (a mistyped year, a
    1900-01-01 placeholder); dates after tomorrow always are."""
    max_upload_mb: float = 200.0
    """SIYU_MAX_UPLOAD_MB: largest file the Import page accepts, in MB (the CLI reads local files of any size)."""
    session_ttl_minutes: float = 120.0
    """SIYU_SESSION_TTL_MINUTES: a dashboard login ends after this many minutes without any interaction."""
    max_login_failures: int = 5
    """SIYU_MAX_LOGIN_FAILURES: wrong passwords on one name before its attempts wait (siyu/auth/throttle.py)."""
    lockout_minutes: float = 15.0
    """SIYU_LOCKOUT_MINUTES: the longest wait the login throttle imposes on one client address."""
    admin_password: str = field(default="", repr=False)
    """SIYU_ADMIN_PASSWORD: password of the first admin account, created when the database has no account
    (empty: a one-time password is printed to the console instead)."""
    demo_login: bool = True
    """SIYU_DEMO_LOGIN: open the demo without a password, only when bound to localhost and only on demo data (1/0)."""
    trusted_proxies: str = ""
    """SIYU_TRUSTED_PROXIES: addresses of your reverse proxies (comma-separated), whose X-Forwarded-For names the
    client for the login throttle; naming any also switches the password-free demo off."""
    sso_roles: str = ""
    """SIYU_SSO_ROLES: single sign-on e-mail -> role, e.g. `boss@brand.cn=admin,*@brand.cn=viewer`."""
    pepper: str = field(default="", repr=False)
    """SIYU_PEPPER: secret for HMAC join keys (siyu.privacy.phone_key) instead of raw phone numbers."""
    webhook_url: str = field(default="", repr=False)
    """SIYU_WEBHOOK_URL: WeCom group-bot webhook that `python -m siyu report` posts its summary to."""
    base_url: str = ""
    """SIYU_BASE_URL: the dashboard's address as the team opens it (https://siyu.brand.cn), for links in alerts."""


def _parse(kind: type, name: str, raw: str) -> object:
    try:
        if kind is bool:
            if raw.strip().lower() in {"1", "true", "yes", "on"}:
                return True
            if raw.strip().lower() in {"0", "false", "no", "off"}:
                return False
            raise ValueError(raw)
        if kind is Path:
            return Path(raw).expanduser()
        return kind(raw)
    except ValueError as exc:
        raise ConfigError(f"环境变量 {name}={raw!r} 无法解析为 {kind.__name__}；请改为有效值。") from exc


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from the environment (or `env`), with explicit overrides (e.g. `--db`) winning."""
    env = dict(os.environ if env is None else env)
    values: dict[str, object] = {}
    for f in fields(Settings):
        name = f"SIYU_{f.name.upper()}"
        if name in env and env[name] != "":
            kind = type(f.default)
            values[f.name] = _parse(kind, name, env[name])
    values.update({k: v for k, v in overrides.items() if v is not None})
    if "db" in values:
        values["db"] = Path(values["db"])  # type: ignore[arg-type]
    settings = Settings(**values)  # type: ignore[arg-type]
    try:
        import zoneinfo

        zoneinfo.ZoneInfo(settings.timezone)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        raise ConfigError(f"SIYU_TIMEZONE={settings.timezone!r}：不是有效的时区（例如 Asia/Shanghai）。") from None
    if settings.lang not in {"zh", "en"}:
        raise ConfigError(f"SIYU_LANG={settings.lang!r}：只支持 zh 或 en。")
    return settings
