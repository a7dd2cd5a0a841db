"""Settings admins change at runtime: migration 004, validation, precedence (env > stored > default), audit."""

from __future__ import annotations

import duckdb
import pytest

from siyu.auth import AuthError
from siyu.auth.audit import read_audit
from siyu.auth.runtime_settings import EDITABLE, effective, pinned, save, stored, validate
from siyu.config import Settings, load_settings
from siyu.db import reading
from siyu.db.connection import forget_schema_cache
from siyu.db.schema import migrate, schema_version


@pytest.fixture
def settings(tmp_path):
    return load_settings(env={}, db=tmp_path / "s.duckdb")


def test_migration_4_adds_the_settings_table_to_a_version_3_file(tmp_path):
    db = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(db))
    assert migrate.apply(con, target=3) == [1, 2, 3]
    con.execute("INSERT INTO accounts (username, role, password_hash, created_by) VALUES ('a', 'admin', 'h', 't')")
    con.close()
    forget_schema_cache()
    with reading(db) as con:
        assert schema_version(con) >= 4
        assert con.execute("SELECT count(*) FROM app_settings").fetchone()[0] == 0
        assert con.execute("SELECT username FROM accounts").fetchall() == [("a",)]


@pytest.mark.parametrize(("name", "raw", "value"), [
    ("session_ttl_minutes", " 30 ", 30.0), ("session_ttl_minutes", "0.5", 0.5), ("lockout_minutes", "10080", 10080.0),
    ("max_login_failures", "3", 3), ("sso_roles", " boss@brand.cn=admin , *@brand.cn=viewer ,", "boss@brand.cn=admin,*@brand.cn=viewer"),
    ("webhook_url", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"),
    ("webhook_url", "", ""),
])
def test_valid_values(name, raw, value):
    assert validate(name, raw) == value


@pytest.mark.parametrize(("name", "raw"), [
    ("session_ttl_minutes", "0"), ("session_ttl_minutes", "-5"), ("session_ttl_minutes", "nan"),
    ("session_ttl_minutes", "inf"), ("session_ttl_minutes", "10081"), ("session_ttl_minutes", "两小时"),
    ("max_login_failures", "0"), ("max_login_failures", "2.5"), ("max_login_failures", "101"),
    ("lockout_minutes", ""), ("sso_roles", "boss@brand.cn=root"), ("sso_roles", "nonsense"),
    ("webhook_url", "javascript:alert(1)"), ("webhook_url", "ftp://x/y"), ("webhook_url", "https:///nohost"),
    ("db", "/tmp/other.duckdb"), ("pepper", "x"), ("admin_password", "x"),
])
def test_invalid_values_are_refused(name, raw):
    with pytest.raises(AuthError):
        validate(name, raw)


def test_stored_values_apply_and_an_environment_variable_wins(settings):
    assert effective(settings, env={}) == settings  # nothing stored: the defaults
    done = save(settings, {"max_login_failures": "3", "sso_roles": "*@brand.cn=viewer"}, by="anna", env={})
    assert done == [("max_login_failures", "5", "3"), ("sso_roles", "", "*@brand.cn=viewer")]
    now = effective(settings, env={})
    assert (now.max_login_failures, now.sso_roles, now.lockout_minutes) == (3, "*@brand.cn=viewer", 15.0)
    env = {"SIYU_MAX_LOGIN_FAILURES": "7"}
    pinned_now = effective(load_settings(env=env, db=settings.db), env=env)
    assert pinned_now.max_login_failures == 7 and pinned_now.sso_roles == "*@brand.cn=viewer"
    assert pinned(env) == {"max_login_failures"} and pinned({"SIYU_MAX_LOGIN_FAILURES": ""}) == set()
    with pytest.raises(AuthError, match="SIYU_MAX_LOGIN_FAILURES"):
        save(settings, {"max_login_failures": "4"}, by="anna", env=env)
    assert stored(settings.db)["max_login_failures"]["value"] == "3"  # untouched


def test_every_change_is_audited_from_to_and_secrets_never_appear(settings):
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=SECRET-KEY"
    save(settings, {"session_ttl_minutes": "30", "webhook_url": url}, by="anna", env={})
    save(settings, {"webhook_url": url.replace("SECRET", "OTHER")}, by="bob", env={})
    save(settings, {"webhook_url": "", "session_ttl_minutes": ""}, by="anna", env={})  # back to the defaults
    log = read_audit(settings.db, action="setting_changed")
    assert log.select("username", "detail").rows()[::-1] == [
        ("anna", "session_ttl_minutes: 120 -> 30"), ("anna", "webhook_url: (not set) -> (set)"),
        ("bob", "webhook_url: (set) -> (set, changed)"),
        ("anna", "webhook_url: (set) -> (not set)"), ("anna", "session_ttl_minutes: 30 -> 120"),
    ]
    assert not any("KEY" in d for d in log["detail"])
    assert stored(settings.db) == {}
    assert effective(settings, env={}) == settings


def test_one_bad_value_writes_nothing(settings):
    with pytest.raises(AuthError, match="max_login_failures"):
        save(settings, {"session_ttl_minutes": "30", "max_login_failures": "zero"}, by="anna", env={})
    assert stored(settings.db) == {} and read_audit(settings.db).height == 0
    assert save(settings, {"session_ttl_minutes": "120"}, by="anna", env={}) == []  # same as before: no row


def test_a_stored_value_that_no_longer_validates_is_ignored(settings):
    from siyu.db import writing

    with writing(settings.db) as con:
        con.execute("INSERT INTO app_settings VALUES ('max_login_failures', 'many', now(), 'old'),"
                    " ('db', '/etc/passwd', now(), 'old')")
    assert effective(settings, env={}) == settings


def test_editable_settings_are_settings():
    assert set(EDITABLE) <= set(Settings.__dataclass_fields__)
