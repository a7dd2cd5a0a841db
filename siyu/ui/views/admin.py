"""What the Accounts & audit page shows, without Streamlit: roles in words, the picked account's state, which
typed settings are changes, and the table of every setting in force with where its value comes from.

Words come in as a function (`say(key, **values)`, the page's adm_ catalog words), so the view needs no
session to know the reader's language and tests pass their own."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping

import polars as pl

from siyu.auth import ROLES, runtime_settings
from siyu.config import Settings

SECRETS = {"admin_password", "pepper", "webhook_url"}
SETTING_COLUMNS = {"name": "col_a_name", "meaning": "col_a_meaning", "value": "col_a_value", "source": "col_a_source",
                   "setting": "col_a_setting", "env": "col_a_env"}
"""A setting by its name and meaning first; its key and variable after them (operators set SIYU_* variables)."""
SETTING_WIDTHS = {"name": 140, "meaning": 380, "value": 110, "source": 190, "setting": 150, "env": 210}
"""Name, meaning, value and source fit the page; the key and variable follow (the name stays pinned)."""
Words = Callable[..., str]


def named_roles(frame: pl.DataFrame, role_name: Callable[[str], str]) -> pl.DataFrame:
    """The role column in words (管理员 / Admin) for the screen; the CSV keeps the codes."""
    if "role" not in frame.columns:
        return frame
    words = {code: role_name(code) for code in ROLES}
    return frame.with_columns(pl.col("role").replace_strict(words, default=pl.col("role"), return_dtype=pl.String))


def account_state(listing: pl.DataFrame, username: str) -> tuple[int, bool]:
    """(index of the account's role in ROLES, 0 when unknown; whether it is disabled). The role picker
    starts on the account's own role: a fixed default (查看者) would demote an admin whose 修改角色 is
    clicked for another reason."""
    row = listing.filter(pl.col("username") == username).row(0, named=True)
    return (ROLES.index(row["role"]) if row["role"] in ROLES else 0), bool(row["disabled"])


def origin(name: str, fixed: Mapping | set, saved: Mapping, say: Words, escape: Callable[[str], str] = str) -> str:
    """Where an editable setting's value comes from: an environment variable, an admin (their name through
    `escape`: the page shows it as Markdown), or the default."""
    if name in fixed:
        return say("pinned", env=runtime_settings.env_name(name))
    if name in saved:
        return say("stored_by", by=escape(saved[name]["updated_by"]), at=f"{saved[name]['updated_at']:%Y-%m-%d %H:%M}")
    return say("default")


def changes(typed: Mapping[str, str | None], fixed: Mapping | set, settings: Settings) -> dict[str, str]:
    """The typed settings that change something: not pinned, and a secret typed (or cleared) or a value
    that differs from the one shown."""
    return {name: text for name, text in typed.items() if text is not None and name not in fixed
            and (runtime_settings.EDITABLE[name].secret
                 or text.strip() != runtime_settings.shown(name, getattr(settings, name)))}


def settings_rows(settings: Settings, fixed: Mapping | set, saved: Mapping, environ: Mapping[str, str], say: Words,
                  shown: Callable[[object], str], escape: Callable[[str], str] = str) -> pl.DataFrame:
    """One row per Settings field: name and meaning (the words adm_s_<field>, adm_s_<field>_help), value
    (secrets only as set / not set, else `shown(value)`), source, setting (the field) and env (its variable)."""
    rows = []
    for f in dataclasses.fields(settings):
        value = getattr(settings, f.name)
        env = f"SIYU_{f.name.upper()}"
        text = (say("secret_set") if value else say("secret_unset")) if f.name in SECRETS else shown(value)
        source = origin(f.name, fixed, saved, say, escape) if f.name in runtime_settings.EDITABLE else (
            say("pinned", env=env) if environ.get(env) else say("default"))
        rows.append({"name": say(f"s_{f.name}"), "meaning": say(f"s_{f.name}_help"), "value": text, "source": source,
                     "setting": f.name, "env": env})
    return pl.DataFrame(rows, schema={c: pl.String for c in SETTING_COLUMNS})
