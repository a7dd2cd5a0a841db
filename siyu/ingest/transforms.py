"""Per-profile transforms: a RawTable's text columns -> canonical rows + row errors; then, for orders,
skipping bad rows and folding rows into orders. The canonical columns are listed in canonical.py."""

from __future__ import annotations

import polars as pl

from siyu.ingest.canonical import ORDER_SCHEMA, Canonical
from siyu.ingest.cells import Cells
from siyu.ingest.profile_costs import channel_costs
from siyu.ingest.profile_members import (
    generic_members,
    generic_referrals,
    wecom_customers,
    wecom_lost,
    youzan_customers,
)
from siyu.ingest.profile_orders import generic_orders, shopify_orders, youzan_orders
from siyu.ingest.profiles import PROFILES
from siyu.ingest.readers import RawTable

TRANSFORMS = {
    "youzan_orders": youzan_orders, "shopify_orders": shopify_orders, "generic_orders": generic_orders,
    "youzan_customers": youzan_customers, "generic_members": generic_members,
    "wecom_customers": wecom_customers, "wecom_lost": wecom_lost, "generic_referrals": generic_referrals,
    "channel_costs": channel_costs,
}
assert set(TRANSFORMS) == set(PROFILES)


def transform(profile: str, table: RawTable, columns: dict[str, int], tz: str) -> Canonical:
    return TRANSFORMS[profile](Cells(table, columns, tz))


def drop_bad_rows(canon: Canonical) -> tuple[pl.DataFrame, int]:
    """Rows without errors (for --on-error skip); an order with one bad row loses all its rows."""
    bad = canon.errors["row"].unique()
    rows = canon.rows
    if canon.fold_key:
        bad_keys = rows.filter(pl.col("row_no").is_in(bad.implode()))[canon.fold_key].unique()
        keep = rows.filter(~pl.col(canon.fold_key).is_in(bad_keys.implode()) & ~pl.col("row_no").is_in(bad.implode()))
    else:
        keep = rows.filter(~pl.col("row_no").is_in(bad.implode()))
    return keep, rows.height - keep.height


def fold_orders(rows: pl.DataFrame, fold_key: str | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(orders, items): one order per key. Shopify rows fold (first non-null value per column);
    elsewhere the last row of a repeated order id wins."""
    item_cols = ["product", "sku", "quantity", "price_cents"]
    if fold_key:
        orders = rows.drop(item_cols).group_by(fold_key, maintain_order=True).agg(
            pl.all().drop_nulls().first())
        items = rows.filter(pl.col("product").is_not_null()).select(
            "order_id", (pl.int_range(pl.len()).over("order_id") + 1).cast(pl.Int32).alias("line_no"), *item_cols)
        return orders, items
    orders = rows.drop(item_cols)
    if orders["order_id"].n_unique() < orders.height:
        orders = orders.unique("order_id", keep="last", maintain_order=True)
    return orders, pl.DataFrame(schema={"order_id": pl.Utf8, "line_no": pl.Int32, **{k: ORDER_SCHEMA[k] for k in item_cols}})
