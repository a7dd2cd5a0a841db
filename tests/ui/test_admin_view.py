"""The Accounts & audit page's frames (siyu/ui/views/admin.py), without Streamlit."""

from __future__ import annotations

import datetime as dt

import polars as pl

from siyu.config import Settings
from siyu.ui.views import admin as view

WORDS = {"pinned": "fixed by {env}", "stored_by": "set by {by} at {at}", "default": "default",
         "secret_set": "(set)", "secret_unset": "(not set)"}


def words(key, **values):
    return WORDS[key].format(**values)


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
    assert by_name["db"] == {"setting": "db", "env": "SIYU_DB", "value": str(tmp_path / "x.duckdb"),
                             "source": "fixed by SIYU_DB"}
    assert by_name["session_ttl_minutes"]["source"] == "default"
