"""The access matrix (issue 16): anonymous / demo / viewer / operator / admin × every page, every download,
every admin action, in AppTest; the command-line row (no roles there: whoever can run it owns the file) is
tests/auth/test_access_cli.py.

Expected, by rule (README “Accounts, roles and privacy”; the demo is a viewer that writes nothing):

| | pages | member files | chart CSV, HTML report | admin actions, audit export, undo, clear demo |
|---|---|---|---|---|
| anonymous | the login form only | – | – | – |
| demo | viewer pages | – | yes | – |
| viewer | Overview, Retention, Members, Referrals, Channels | – | yes | – |
| operator | also Segments, Import | yes | yes | – |
| admin | also 账户与审计 | yes | yes | yes |
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from siyu.auth import allows
from siyu.auth.exports import member_file
from siyu.ui.auth import PAGES, SESSION_KEY
from siyu.ui.i18n import STRINGS
from tests.pages.conftest import ensure_account

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
ROLES = ["anonymous", "demo", "viewer", "operator", "admin"]
PAGE_ROLE = {path: minimum for path, _url, _title, _icon, minimum in PAGES}
TITLE = {path: STRINGS[title]["zh"] for path, _url, title, _icon, _min in PAGES}
LOGIN_TITLE = "登录 siyu"


def effective(role: str) -> str | None:
    return {"anonymous": None, "demo": "viewer"}.get(role, role)


def may_open(role: str, page: str) -> bool:
    return allows(effective(role), PAGE_ROLE[page])


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    from siyu.demo import write_demo

    path = tmp_path_factory.mktemp("matrix") / "demo.duckdb"
    write_demo(path, members=300, seed=1)
    return path


@pytest.fixture
def db_for(fixture_db, demo_template, tmp_path, monkeypatch, anonymous):
    """The database a role's session is tested on: the demo only opens on demo data."""
    def pick(role: str) -> Path:
        if role != "demo":
            return fixture_db
        path = tmp_path / "demo.duckdb"
        if not path.exists():
            path.write_bytes(demo_template.read_bytes())
        monkeypatch.setenv("SIYU_DB", str(path))
        monkeypatch.setenv("SIYU_ADMIN_PASSWORD", "first-admin-pw")
        return path
    return pick


def session_for(db: Path, role: str) -> dict | None:
    if role in ("anonymous", "demo"):
        return None  # the gate decides: the login form, or the demo session
    username = f"matrix-{role}"
    ensure_account(db, username, role)
    return {"username": username, "role": role, "via": "password", "last_seen": time.time(), "must_change": False}


def open_app(db: Path, role: str, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    session = session_for(db, role)
    if session:
        at.session_state[SESSION_KEY] = session
    at.query_params.update(query)
    return at.run()


def run_page_directly(db: Path, role: str, page: str, session: dict | None) -> AppTest:
    """The page script run on its own, as if its URL bypassed the navigation: its own role check decides."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=90)
    if session:
        at.session_state[SESSION_KEY] = session
    return at.run()


@pytest.mark.parametrize("page", list(PAGE_ROLE))
@pytest.mark.parametrize("role", ROLES)
def test_pages(db_for, role, page):
    db = db_for(role)
    at = open_app(db, role)
    assert not at.exception
    if role == "anonymous":
        at.switch_page(page).run()  # registered hidden, so the URL survives the login; nothing runs
        assert at.title[0].value == LOGIN_TITLE and len(at.metric) == 0 and len(at.dataframe) == 0
        return
    session = at.session_state[SESSION_KEY]
    assert session["role"] == effective(role)
    if may_open(role, page):
        at.switch_page(page).run()
        assert not at.exception and at.title[0].value == TITLE[page]
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)
        direct = run_page_directly(db, role, page, session)
        assert [e.value for e in direct.error][:1] == [f"你的角色（{ {'viewer': '查看者', 'operator': '运营'}[effective(role)] }）不能打开这个页面。"]
        assert len(direct.get("form_submit_button")) == 0 and len(direct.get("download_button")) == 0
        assert len(direct.dataframe) == 0 and len(direct.metric) == 0


MEMBER_FILES = {  # page -> the keys of its member-level download buttons (siyu/ui/downloads.py)
    "app_pages/retention.py": {"member_ret_members_csv", "member_ret_members_xlsx"},
    "app_pages/segments.py": {"member_segment_members_csv", "member_segment_members_xlsx"},
    "app_pages/members.py": {"member_super_users_csv", "member_super_users_xlsx"},
}


@pytest.mark.parametrize("page", list(MEMBER_FILES))
@pytest.mark.parametrize("role", ROLES[1:])
def test_member_downloads(db_for, role, page):
    db = db_for(role)
    if not may_open(role, page):
        return  # the page itself is refused (test_pages)
    at = open_app(db, role, start="2023-06-01", end="2024-03-31")
    at.switch_page(page).run()
    assert not at.exception
    buttons = {b.key for b in at.get("download_button")}
    member_buttons = {k for k in buttons if k and k.startswith("member_")}
    if allows(effective(role), "operator"):
        assert MEMBER_FILES[page] <= member_buttons
    else:
        assert member_buttons == set()
        assert "会员明细（含手机号）只有运营和管理员可以下载。" in [c.value for c in at.caption]
    assert any(k and k.startswith("csv_") for k in buttons)  # the aggregate chart CSVs: every role that sees the page


@pytest.mark.parametrize("role", ["demo", "viewer", "operator", "admin"])
def test_the_html_report_is_for_every_logged_in_role(db_for, role):
    at = open_app(db_for(role), role)
    assert "report_html" in {b.key for b in at.get("download_button")}


@pytest.mark.parametrize("role", [None, "viewer", "operator", "admin"])
def test_member_files_are_made_for_operators_and_admins_only(role):
    import polars as pl

    frame = pl.DataFrame({"member_id": ["1"], "phone": ["13800138000"]})
    if allows(role, "operator"):
        assert "13800138000" in member_file(frame, role=role).decode("utf-8-sig")
    else:
        with pytest.raises(PermissionError):
            member_file(frame, role=role)


ADMIN_CONTROLS = {"创建", "保存设置"}  # form submit buttons of the admin page
ADMIN_BUTTONS = {"修改角色", "停用", "解锁"}


@pytest.mark.parametrize("role", ROLES)
def test_admin_actions(db_for, role):
    db = db_for(role)
    at = open_app(db, role)
    session = at.session_state[SESSION_KEY] if SESSION_KEY in at.session_state else None
    direct = run_page_directly(db, role, "app_pages/admin.py", session)
    submits = {b.label for b in direct.get("form_submit_button")}
    buttons = {b.label for b in direct.button}
    downloads = {b.label for b in direct.get("download_button")}
    if role == "admin":
        assert ADMIN_CONTROLS <= submits and ADMIN_BUTTONS <= buttons and "导出审计日志 (CSV)" in downloads
    else:
        assert submits == set() and not (ADMIN_BUTTONS & buttons) and downloads == set()


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_undo_is_for_admins(db_for, role):
    at = open_app(db_for(role), role)
    at.switch_page("app_pages/import_data.py").run()
    assert ("撤销" in {b.label for b in at.button}) == (role == "admin")


@pytest.mark.parametrize("role", ["demo", "viewer", "operator", "admin"])
def test_clearing_the_demo_is_for_admins(demo_template, tmp_path, monkeypatch, anonymous, role):
    path = tmp_path / "demo.duckdb"
    path.write_bytes(demo_template.read_bytes())
    monkeypatch.setenv("SIYU_DB", str(path))
    monkeypatch.setenv("SIYU_AUTODEMO", "0")
    monkeypatch.setenv("SIYU_ADMIN_PASSWORD", "first-admin-pw")
    at = open_app(path, role)
    assert ("demo_clear" in {b.key for b in at.button}) == (role == "admin")
