"""member_download: viewers get no button (and no file), operators get full phones, each click is audited."""

from __future__ import annotations

import io

import pytest
import streamlit as st
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from siyu.auth.audit import read_audit
from siyu.db import writing
from tests.pages.conftest import log_in_as


def page():
    import polars as pl

    from siyu.ui.downloads import member_download, show_members

    frame = pl.DataFrame({"member_id": [1, 2], "phone": ["13800138000", "13912345678"], "name": ["=1+1", "李四"]})
    show_members(frame)
    member_download(frame, file_stem="vip_members", what="segment VIP")


def run_as(db, role):
    return log_in_as(AppTest.from_function(page, default_timeout=30), db, role).run()


def test_viewers_get_no_member_download(fixture_db):
    at = run_as(fixture_db, "viewer")
    assert not at.exception
    assert len(at.get("download_button")) == 0
    assert at.caption[0].value == "会员明细（含手机号）只有运营和管理员可以下载。"
    assert at.dataframe[0].value["phone"].to_list() == ["138****8000", "139****5678"]  # masked on screen


def test_nobody_logged_in_gets_no_member_download(fixture_db):
    at = AppTest.from_function(page, default_timeout=30).run()
    assert len(at.get("download_button")) == 0


@pytest.mark.parametrize("role", ["operator", "admin"])
def test_operators_download_full_phones_and_each_click_is_audited(fixture_db, role, monkeypatch):
    produced = {}
    real = st.download_button

    def spy(label, data, **kwargs):
        produced[kwargs["file_name"]] = data
        return real(label, b"", **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    with writing(fixture_db) as con:  # member 1's own id from an export; member 2 has none (siyu:2)
        con.execute("INSERT INTO member_identities (kind, value, member_id, batch_id) VALUES "
                    "('external_member_id', '=1+2', 1, 1), ('wecom_external_id', 'wmX', 1, 1)")
    at = run_as(fixture_db, role)
    assert not at.exception
    assert sorted(produced) == ["siyu_vip_members.csv", "siyu_vip_members.xlsx"]
    assert not read_audit(fixture_db, action="download").height  # nothing until a click
    body = produced["siyu_vip_members.csv"]().decode("utf-8-sig")  # the click
    # headers in the reader's language (issue #13; "name" is no column siyu knows, so it stays); member_id:
    # the members' own ids (formula text escaped, recoverable), not siyu's 1 and 2
    assert body.splitlines() == ["会员编号,手机号,name", "'=1+2,13800138000,'=1+1", "siyu:2,13912345678,李四"]
    assert at.dataframe[0].value["member_id"].to_list() == ["=1+2", "siyu:2"]  # on screen too
    row = read_audit(fixture_db, action="download").row(0, named=True)
    assert (row["username"], row["role"], row["rows"]) == (f"test-{role}", role, 2)
    assert row["detail"] == "segment VIP: siyu_vip_members.csv"
    book = load_workbook(io.BytesIO(produced["siyu_vip_members.xlsx"]()))  # a second click, the Excel file
    assert [c.value for c in book.active["A"]] == ["会员编号", "'=1+2", "siyu:2"]  # headers in the reader's language (#13)


@pytest.mark.parametrize("change", ["demoted", "disabled"])
def test_a_button_drawn_before_the_account_lost_its_role_gives_nothing(fixture_db, monkeypatch, change):
    from siyu.auth import accounts

    produced = {}
    real = st.download_button

    def spy(label, data, **kwargs):
        produced[kwargs["file_name"]] = data
        return real(label, b"", **kwargs)

    monkeypatch.setattr(st, "download_button", spy)
    assert not run_as(fixture_db, "operator").exception
    assert sorted(produced) == ["siyu_vip_members.csv", "siyu_vip_members.xlsx"]  # drawn for an operator
    if change == "demoted":
        accounts.set_role(fixture_db, "test-operator", "viewer", by="admin")
    else:
        accounts.set_disabled(fixture_db, "test-operator", True, by="admin")
    with pytest.raises(PermissionError):
        produced["siyu_vip_members.csv"]()  # the click, after the change
    assert not read_audit(fixture_db, action="download").height


def test_the_role_at_the_click_follows_the_sso_rules_in_force(fixture_db, monkeypatch):
    from siyu.auth.runtime_settings import save
    from siyu.config import load_settings
    from siyu.ui.auth import Session, role_now

    monkeypatch.delenv("SIYU_SSO_ROLES", raising=False)
    settings = load_settings(db=fixture_db, env={})
    sso = Session("ops@brand.cn", "operator", "sso", 0.0)
    save(settings, {"sso_roles": "ops@brand.cn=operator"}, by="admin", env={})
    assert role_now(settings, sso) == "operator"
    save(settings, {"sso_roles": "*@brand.cn=viewer"}, by="admin", env={})  # on the admin page, meanwhile
    assert role_now(settings, sso) == "viewer"
