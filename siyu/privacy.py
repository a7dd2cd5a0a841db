"""Phone masking for display and downloads: 13800138000 -> 138****8000."""

from __future__ import annotations

import polars as pl


def mask_phone(phone: str | None) -> str | None:
    """Keep the first 3 and last 4 digits of an 11-digit phone; anything else keeps only its last 2 characters."""
    if phone is None or phone == "":
        return phone
    if "*" in phone:
        return phone
    if len(phone) == 11 and phone.isdigit():
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def mask_phone_expr(col: str = "phone") -> pl.Expr:
    """The same rule as mask_phone, as a Polars expression."""
    c = pl.col(col)
    return (
        pl.when(c.is_null() | (c == "") | c.str.contains(r"\*", literal=False)).then(c)
        .when(c.str.contains(r"^\d{11}$")).then(c.str.slice(0, 3) + "****" + c.str.slice(7, 4))
        .otherwise(pl.lit("*").repeat_by(pl.max_horizontal(c.str.len_chars() - 2, 0)).list.join("") + c.str.slice(-2))
    )
