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
