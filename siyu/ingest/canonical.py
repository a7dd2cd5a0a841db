"""Canonical row frames every profile transform produces, and the helpers that build them.

Canonical row columns (absent ones are null):
- orders: order_id, phone, phone_masked, email, ext_id, display_name, created_at, paid_at,
  paid_cents, refunded_cents, discount_cents, status, currency, store, sales_channel, distributor,
  coupon_code, and for Shopify line items product, sku, quantity, price_cents.
- members / friends_lost: phone, phone_masked, email, ext_id, wecom_ext_id, wecom_name, display_name,
  joined_at, channel, tier, points, growth_value, tags, staff_id, staff_name, department, added_at,
  deleted_at, deleted_by, add_way, add_way_code, friend_channel.
- referrals: referrer_ext, referee_ext, referred_at, campaign.
Every frame carries row_no (counted from 1 after the header).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import polars as pl

from siyu.ingest import parsers
from siyu.ingest.cells import Cells

if TYPE_CHECKING:
    from polars._typing import IntoExpr, PolarsDataType

# A column's dtype as the schemas spell it: a class (pl.Utf8) or an instance (pl.Datetime("us")); without
# the annotation mypy joins the two to `object`.
Schema: TypeAlias = "dict[str, PolarsDataType]"

ORDER_SCHEMA: Schema = {
    "row_no": pl.Int64, "order_id": pl.Utf8, "phone": pl.Utf8, "phone_masked": pl.Utf8, "email": pl.Utf8,
    "ext_id": pl.Utf8, "display_name": pl.Utf8, "created_at": pl.Datetime("us"), "paid_at": pl.Datetime("us"),
    "paid_cents": pl.Int64, "refunded_cents": pl.Int64, "discount_cents": pl.Int64, "status": pl.Utf8,
    "currency": pl.Utf8, "store": pl.Utf8, "sales_channel": pl.Utf8, "distributor": pl.Utf8,
    "coupon_code": pl.Utf8, "product": pl.Utf8, "sku": pl.Utf8, "quantity": pl.Int64, "price_cents": pl.Int64,
}
MEMBER_SCHEMA: Schema = {
    "row_no": pl.Int64, "phone": pl.Utf8, "phone_masked": pl.Utf8, "phone2": pl.Utf8, "email": pl.Utf8,
    "ext_id": pl.Utf8, "wecom_ext_id": pl.Utf8, "wecom_name": pl.Utf8, "display_name": pl.Utf8, "joined_at": pl.Datetime("us"),
    "channel": pl.Utf8, "tier": pl.Utf8, "points": pl.Int64, "growth_value": pl.Int64,
    "tags": pl.List(pl.Utf8), "staff_id": pl.Utf8, "staff_name": pl.Utf8, "department": pl.Utf8,
    "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us"), "deleted_by": pl.Utf8,
    "add_way": pl.Utf8, "add_way_code": pl.Int32, "friend_channel": pl.Utf8,
}
REFERRAL_SCHEMA: Schema = {"row_no": pl.Int64, "referrer_ext": pl.Utf8, "referee_ext": pl.Utf8,
                   "referred_at": pl.Datetime("us"), "campaign": pl.Utf8}
TAG_GROUP_SEP = "\x1f"
"""Between a tag's group (标签组, a WeCom tag column's header) and the tag in a `tags` list entry; an
entry without it has no group (a 标签 column of a shop export)."""


@dataclass
class Canonical:
    kind: str
    rows: pl.DataFrame
    errors: pl.DataFrame
    fold_key: str | None = None     # orders whose rows fold into one record (Shopify)


def frame(n: int, schema: Mapping[str, PolarsDataType], **cols: IntoExpr) -> pl.DataFrame:
    data: dict[str, pl.Series] = {}
    for name, dtype in schema.items():
        value = cols.get(name)
        if value is None:
            data[name] = pl.repeat(None, n, dtype=dtype, eager=True).alias(name)
        elif isinstance(value, pl.Series):
            data[name] = value.alias(name).cast(dtype)
        else:
            data[name] = pl.repeat(value, n, eager=True).alias(name).cast(dtype)
    return pl.DataFrame(data)


def phone_cells(c: Cells, field: str) -> pl.DataFrame:
    return parsers.normalise_phones(c.text(field))


def _lit(value: pl.Series | str | int | None) -> pl.Series | pl.Expr:
    # then()/otherwise() would read a bare str as a column name
    return value if isinstance(value, pl.Series) else pl.lit(value)


def when(mask: pl.Series, then: pl.Series | str | int | None, other: pl.Series | str | int | None) -> pl.Series:
    return pl.select(pl.when(mask).then(_lit(then)).otherwise(_lit(other))).to_series()
