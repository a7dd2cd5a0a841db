"""SSO role mapping, member-level files (roles, masking, formula neutralisation), HMAC join keys."""

from __future__ import annotations

import io

import openpyxl
import polars as pl
import pytest

from siyu.auth import AuthError
from siyu.auth.exports import member_file
from siyu.auth.sso import role_for_email
from siyu.privacy import mask_phones, phone_key

RULES = "boss@brand.cn=admin, *@brand.cn=viewer, ops@agency.com=operator"


@pytest.mark.parametrize(("email", "role"), [
    ("boss@brand.cn", "admin"), ("BOSS@Brand.cn", "admin"), ("anna@brand.cn", "viewer"),
    ("ops@agency.com", "operator"), ("x@agency.com", None), ("anna@evilbrand.cn", None),
    ("anna@brand.cn.evil.com", None), ("", None), (None, None), ("no-at-sign", None),
])
def test_sso_roles(email, role):
    assert role_for_email(email, RULES) == role


def test_sso_roles_refuse_bad_rules():
    with pytest.raises(AuthError):
        role_for_email("a@b.c", "a@b.c=root")
    with pytest.raises(AuthError):
        role_for_email("a@b.c", "nonsense")


MEMBERS = pl.DataFrame({
    "member_id": [1, 2, 3],
    "display_name": ["=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "@SUM(A1)"],
    "phone": ["13800138000", "13912345678", None],
    "gmv": [12.5, 0.0, 3.0],
})


def test_viewers_get_no_member_file():
    for role in ("viewer", None, "guest"):
        with pytest.raises(PermissionError):
            member_file(MEMBERS, role=role)


def test_csv_has_full_phones_for_operators_and_neutralised_formulas():
    text = member_file(MEMBERS, role="operator").decode("utf-8-sig")
    assert text.splitlines() == [
        "member_id,display_name,phone,gmv",
        '1,"\'=HYPERLINK(""http://evil"",""x"")",13800138000,12.5',
        "2,'+1+2,13912345678,0.0",
        "3,'@SUM(A1),,3.0",
    ]
    masked = member_file(MEMBERS, role="admin", masked=True).decode("utf-8-sig")
    assert "138****8000" in masked and "13800138000" not in masked


def test_xlsx_keeps_phones_as_text_and_formulas_as_text():
    book = openpyxl.load_workbook(io.BytesIO(member_file(MEMBERS, role="operator", fmt="xlsx")))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0] == ("member_id", "display_name", "phone", "gmv")
    assert rows[1] == (1, "'=HYPERLINK(\"http://evil\",\"x\")", "13800138000", 12.5)
    assert rows[2][1] == "'+1+2" and rows[3][1] == "'@SUM(A1)" and rows[3][2] is None
    for row in book.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f"  # no formula cell at all


def test_mask_phones_and_hmac_keys():
    assert mask_phones(MEMBERS)["phone"].to_list() == ["138****8000", "139****5678", None]
    key = phone_key("13800138000", "pepper-1")
    assert key.startswith("h:") and len(key) == 34 and "13800138000" not in key
    assert key == phone_key("13800138000", "pepper-1") != phone_key("13800138000", "pepper-2")
    assert phone_key(None, "p") is None
    with pytest.raises(ValueError):
        phone_key("13800138000", "")
