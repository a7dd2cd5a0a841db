"""Phone masking: the rule and its Polars twin agree."""

from __future__ import annotations

import polars as pl
import pytest

from siyu.privacy import mask_phone, mask_phone_expr

CASES = [("13800138000", "138****8000"), ("138****8000", "138****8000"), (None, None), ("", ""),
         ("+1 5551234", "********34"), ("12", "12")]


@pytest.mark.parametrize("raw, masked", CASES)
def test_mask_phone(raw: str | None, masked: str | None) -> None:
    assert mask_phone(raw) == masked


def test_expression_matches_function() -> None:
    frame = pl.DataFrame({"phone": [c[0] for c in CASES]})
    assert frame.select(mask_phone_expr())["phone"].to_list() == [c[1] for c in CASES]


def test_rejected_cells_mask_phone_columns_whole_and_mobiles_inside_other_text() -> None:
    from siyu.ingest.profiles import phone_headers
    from siyu.privacy import mask_phone_cells

    cells = pl.DataFrame({
        "row": [1, 2, 3, 4, 5, 6],
        "column": ["手机号", " Phone ", "备注", "金额", "联系方式", "支付时间"],
        "value": ["1380013800", "+86 138 0013 8000", "联系13800138000或13912345678", "12345678901234", "1380013800x",
                  "13912345678"],
        "message": ["m"] * 6,
    })
    heads = phone_headers([{"phone": "联系方式", "name": "姓名"}])  # a saved mapping names its phone column
    assert mask_phone_cells(cells, heads)["value"].to_list() == [
        "********00", "***************00", "联系138****8000或139****5678", "12345678901234", "*********0x",
        "139****5678"]
    assert "联系方式" in heads and "姓名" not in heads and {"手机号", "买家手机号", "phone"} <= heads


def test_a_preview_table_masks_phone_columns_and_mobiles_anywhere() -> None:
    from siyu.privacy import mask_phones_in_table

    sample = pl.DataFrame({"手机号": ["13800138000", None], "备注": ["call 13912345678", "x"], "积分": [1, 2]})
    assert mask_phones_in_table(sample, frozenset({"手机号"})).rows() == [
        ("138****8000", "call 139****5678", 1), (None, "x", 2)]
