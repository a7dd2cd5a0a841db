"""Per-profile transforms: a RawTable's text columns -> canonical rows + row errors; then, for orders,
skipping bad rows and folding rows into orders. The canonical columns are listed in canonical.py."""

from __future__ import annotations

import polars as pl

from siyu.ingest.canonical import ORDER_SCHEMA, Canonical
from siyu.ingest.cells import Cells
from siyu.ingest.profile_costs import channel_costs
from siyu.ingest.profile_groups import generic_group_members, wecom_group_daily, wecom_group_members, wecom_groups
from siyu.ingest.profile_members import (
    generic_members,
    generic_referrals,
    wecom_customers,
    wecom_lost,
    youzan_customers,
)
from siyu.ingest.profile_orders import generic_orders, shopify_orders, youzan_orders
from siyu.ingest.profile_points import paid_members, points
from siyu.ingest.profile_sends import campaign_sends
from siyu.ingest.profiles import PROFILES
from siyu.ingest.readers import RawTable

TRANSFORMS = {
    "youzan_orders": youzan_orders, "shopify_orders": shopify_orders, "generic_orders": generic_orders,
    "youzan_customers": youzan_customers, "generic_members": generic_members,
    "wecom_customers": wecom_customers, "wecom_lost": wecom_lost, "generic_referrals": generic_referrals,
    "channel_costs": channel_costs, "wecom_groups": wecom_groups, "wecom_group_members": wecom_group_members,
    "wecom_group_daily": wecom_group_daily, "generic_group_members": generic_group_members,
    "campaign_sends": campaign_sends,
    "youzan_points": points, "points_ledger": points, "paid_members": paid_members,
}
assert set(TRANSFORMS) == set(PROFILES)
ITEM_COLS = ("product", "sku", "quantity", "price_cents")


def transform(profile: str, table: RawTable, columns: dict[str, int], tz: str, earliest_year: int = 2000) -> Canonical:
    cells = Cells(table, columns, tz, earliest_year)
    canon = TRANSFORMS[profile](cells)
    if canon.kind == "orders" and not canon.fold_key:
        errors = cells.errors()
        raw = pl.DataFrame({"row_no": cells.rows, "value": cells.text("order_id")}) if cells.has("order_id") else None
        canon.errors = conflicting_orders(canon.rows, errors, raw, cells.header("order_id"))
    return canon


MSG_CONFLICT = ("同一订单号在文件里出现了 {n} 次而内容不同（第 {rows} 行），无法确定哪一行是对的；请只保留正确的那一行后重试"
                " / the order id appears {n} times with different values (rows {rows}): which one is right cannot be"
                " known; keep only the right row and import again")


def conflicting_orders(rows: pl.DataFrame, errors: pl.DataFrame, raw: pl.DataFrame | None, header: str) -> pl.DataFrame:
    """The row errors so far plus one per row of an order id that repeats with different values; `raw` is
    (row_no, value: the order id cell's text), `header` that column's header.

    Identical repeats (an export that lists an order once per item, a file concatenated twice) are
    harmless and folded later; different values are two versions of one order in one file, and the
    last row winning silently would store whichever the export happened to list last."""
    if rows["order_id"].n_unique() == rows.height:
        return errors
    values = [c for c in rows.columns if c not in ("row_no", *ITEM_COLS)]
    repeated = rows.filter(pl.col("order_id").is_duplicated())
    differing = repeated.select(values).unique().filter(pl.col("order_id").is_duplicated())["order_id"].unique()
    if differing.is_empty():
        return errors
    bad = (repeated.filter(pl.col("order_id").is_in(differing.implode()))
           .with_columns(pl.col("row_no").cast(pl.Utf8).str.join(", ").over("order_id").alias("rows"),
                         pl.len().over("order_id").alias("n")))
    raw = raw if raw is not None else rows.select("row_no", pl.lit(None, dtype=pl.Utf8).alias("value"))
    found = bad.join(raw, on="row_no", how="left").select(
        pl.col("row_no").alias("row"), pl.lit(header).alias("column"), "value",
        pl.format(MSG_CONFLICT.replace("{n}", "{}").replace("{rows}", "{}"), "n", "rows", "n", "rows").alias("message"))
    return pl.concat([errors, found.cast(errors.schema)]).sort("row", maintain_order=True)


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
    item_cols = list(ITEM_COLS)
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
