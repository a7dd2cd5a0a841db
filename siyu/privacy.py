"""Phone masking for display and downloads: 13800138000 -> 138****8000."""

from __future__ import annotations

import hashlib
import hmac

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


def mask_phones(frame: pl.DataFrame, columns: tuple[str, ...] | list[str] = ("phone",)) -> pl.DataFrame:
    """`frame` with every listed phone column masked (columns it does not have are skipped)."""
    present = [c for c in columns if c in frame.columns]
    return frame.with_columns(mask_phone_expr(c).alias(c) for c in present) if present else frame


def phone_key(phone: str | None, pepper: str) -> str | None:
    """An HMAC-SHA256 join key for a normalised phone (`h:` + 32 hex characters), for teams that must not
    keep raw numbers: the same phone and pepper always give the same key, so records still link, but the
    number cannot be read back (and, unlike a plain hash, not brute-forced without the pepper)."""
    if phone is None or phone == "":
        return phone
    if not pepper:
        raise ValueError("phone_key needs a non-empty pepper (SIYU_PEPPER)")
    digest = hmac.new(pepper.encode("utf-8"), phone.encode("utf-8"), hashlib.sha256).hexdigest()
    return "h:" + digest[:32]
