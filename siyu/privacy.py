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


_MOBILE_IN_TEXT = r"(^|\D)(1\d{2})\d{4}(\d{4})(\D|$)"  # an 11-digit mainland mobile inside any text


def mask_phone_cells(frame: pl.DataFrame, phone_headers: set[str] | frozenset[str], *, column: str = "column",
                     value: str = "value") -> pl.DataFrame:
    """A long "one row per cell" frame (like an import's rejected cells: row, column, value, message) with
    phones masked: the whole `value` when `column` (compared lower-cased, without spaces) is one of
    `phone_headers`, else every 11-digit mobile number written inside the value."""
    if column not in frame.columns or value not in frame.columns:
        return mask_phones_in_table(frame, phone_headers)
    key = pl.col(column).cast(pl.String).str.to_lowercase().str.replace_all(r"\s", "")
    text = pl.col(value).cast(pl.String)
    # twice: a match takes the character after a number, so the next number right behind it waits a pass
    elsewhere = text.str.replace_all(_MOBILE_IN_TEXT, "${1}${2}****${3}${4}").str.replace_all(
        _MOBILE_IN_TEXT, "${1}${2}****${3}${4}")
    return frame.with_columns(
        pl.when(key.is_in(sorted(phone_headers))).then(mask_phone_expr(value)).otherwise(elsewhere).alias(value))


def mask_phones_in_table(frame: pl.DataFrame, phone_headers: set[str] | frozenset[str]) -> pl.DataFrame:
    """A wide frame as read from a file (a preview) with phones masked: whole columns whose header (lower-cased,
    without spaces) is one of `phone_headers`, and 11-digit mobiles written inside any other text column."""
    out = []
    for name, dtype in frame.schema.items():
        if "".join(str(name).lower().split()) in phone_headers:
            out.append(mask_phone_expr(name).alias(name) if dtype == pl.String else pl.col(name))
        elif dtype == pl.String:
            text = pl.col(name)
            out.append(text.str.replace_all(_MOBILE_IN_TEXT, "${1}${2}****${3}${4}")
                       .str.replace_all(_MOBILE_IN_TEXT, "${1}${2}****${3}${4}").alias(name))
        else:
            out.append(pl.col(name))
    return frame.select(out)


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
