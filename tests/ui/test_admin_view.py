"""The Accounts & audit page's frames (siyu/ui/views/admin.py), without Streamlit."""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.config import Settings
from siyu.locales import text
from siyu.ui.views import admin as view

WORDS = {"pinned": "fixed by {env}", "stored_by": "set by {by} at {at}", "default": "default",
         "secret_set": "(set)", "secret_unset": "(not set)"}


def words(key, **values):
    """The test's own words for sources; a setting's name and meaning (s_*) from the English catalog."""
    return WORDS[key].format(**values) if key in WORDS else text(f"adm_{key}", "en", **values)


def test_roles_in_words_and_the_picked_account():
    listing = pl.DataFrame({"username": ["anna", "bob", "old"], "role": ["admin", "viewer", "retired"],
                            "disabled": [False, True, False]})
    names = {"admin": "管理员", "operator": "运营", "viewer": "查看者"}
    shown = view.named_roles(listing, lambda code: names[code])
    assert shown["role"].to_list() == ["管理员", "查看者", "retired"]  # an unknown code stays as it is
    assert view.named_roles(pl.DataFrame({"x": [1]}), str).columns == ["x"]
    admin, viewer = view.account_state(listing, "anna"), view.account_state(listing, "bob")
    assert admin == (view.ROLES.index("admin"), False) and viewer == (view.ROLES.index("viewer"), True)
    assert view.account_state(listing, "old") == (0, False)


def test_where_a_setting_comes_from():
    saved = {"session_ttl_minutes": {"updated_by": "anna_b", "updated_at": dt.datetime(2024, 3, 5, 14, 5)}}
    assert view.origin("session_ttl_minutes", set(), saved, words) == "set by anna_b at 2024-03-05 14:05"
    assert view.origin("session_ttl_minutes", set(), saved, words, lambda s: s.replace("_", r"\_")) == \
        r"set by anna\_b at 2024-03-05 14:05"
    assert view.origin("session_ttl_minutes", {"session_ttl_minutes"}, saved, words) == \
        "fixed by SIYU_SESSION_TTL_MINUTES"
    assert view.origin("lockout_minutes", set(), saved, words) == "default"


def test_only_real_changes_are_saved(tmp_path):
    settings = Settings(db=tmp_path / "x.duckdb")
    typed = {"max_login_failures": str(settings.max_login_failures), "lockout_minutes": "30",
             "webhook_url": None, "sso_roles": " "}
    assert view.changes(typed, set(), settings) == {"lockout_minutes": "30"}
    assert view.changes({**typed, "webhook_url": ""}, set(), settings) == {"lockout_minutes": "30", "webhook_url": ""}
    assert view.changes(typed, {"lockout_minutes"}, settings) == {}


def test_every_setting_with_secrets_hidden(tmp_path):
    settings = Settings(db=tmp_path / "x.duckdb", webhook_url="https://qyapi.weixin.qq.com/hook?key=SECRET")
    rows = view.settings_rows(settings, set(), {}, {"SIYU_DB": "/srv/x"}, words, str)
    by_name = {r["setting"]: r for r in rows.to_dicts()}
    assert rows.columns == list(view.SETTING_COLUMNS)
    assert by_name["webhook_url"]["value"] == "(set)" and "SECRET" not in str(rows.to_dicts())
    assert by_name["db"] == {"name": "Database file", "meaning": "Path of the DuckDB database file.",
                             "value": str(tmp_path / "x.duckdb"), "source": "fixed by SIYU_DB", "setting": "db",
                             "env": "SIYU_DB"}
    assert by_name["session_ttl_minutes"]["source"] == "default"


def test_every_setting_has_a_name_and_a_meaning_in_both_languages(tmp_path):
    """The table once listed raw keys (db, lock_timeout): each row now leads with words, the key after them."""
    import dataclasses

    from siyu.locales.dynamic import SETTINGS_FIELDS

    assert SETTINGS_FIELDS == tuple(f.name for f in dataclasses.fields(Settings))   # declared keys follow Settings
    rows = view.settings_rows(Settings(db=tmp_path / "x.duckdb"), set(), {}, {}, words, str)
    assert list(view.SETTING_COLUMNS)[:2] == ["name", "meaning"] and rows["setting"].to_list() == list(SETTINGS_FIELDS)
    lock = rows.filter(pl.col("setting") == "lock_timeout").row(0, named=True)
    assert (lock["name"], lock["env"]) == ("Database lock wait", "SIYU_LOCK_TIMEOUT")
    assert (text("adm_s_lock_timeout", "zh"), text("adm_s_lock_timeout_help", "zh")) == (
        "数据库锁等待", "另一个进程占用数据库时，最多等待的秒数。")
    for lang in ("zh", "en"):
        names = [text(f"adm_s_{name}", lang) for name in SETTINGS_FIELDS]
        assert len(set(names)) == len(names) and all(text(f"adm_s_{n}_help", lang) for n in SETTINGS_FIELDS)
