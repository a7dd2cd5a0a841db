"""Per-profile transforms: a RawTable's text columns -> one canonical frame per row, plus row errors.

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

from dataclasses import dataclass

import polars as pl

from siyu.errors import IngestError
from siyu.ingest import parsers
from siyu.ingest.cells import MSG_REQUIRED, Cells
from siyu.ingest.profiles import PROFILES, WECOM_KNOWN_EXTRA, norm_header
from siyu.ingest.readers import RawTable

ORDER_SCHEMA = {
    "row_no": pl.Int64, "order_id": pl.Utf8, "phone": pl.Utf8, "phone_masked": pl.Utf8, "email": pl.Utf8,
    "ext_id": pl.Utf8, "display_name": pl.Utf8, "created_at": pl.Datetime("us"), "paid_at": pl.Datetime("us"),
    "paid_cents": pl.Int64, "refunded_cents": pl.Int64, "discount_cents": pl.Int64, "status": pl.Utf8,
    "currency": pl.Utf8, "store": pl.Utf8, "sales_channel": pl.Utf8, "distributor": pl.Utf8,
    "coupon_code": pl.Utf8, "product": pl.Utf8, "sku": pl.Utf8, "quantity": pl.Int64, "price_cents": pl.Int64,
}
MEMBER_SCHEMA = {
    "row_no": pl.Int64, "phone": pl.Utf8, "phone_masked": pl.Utf8, "email": pl.Utf8, "ext_id": pl.Utf8,
    "wecom_ext_id": pl.Utf8, "wecom_name": pl.Utf8, "display_name": pl.Utf8, "joined_at": pl.Datetime("us"),
    "channel": pl.Utf8, "tier": pl.Utf8, "points": pl.Int64, "growth_value": pl.Int64,
    "tags": pl.List(pl.Utf8), "staff_id": pl.Utf8, "staff_name": pl.Utf8, "department": pl.Utf8,
    "added_at": pl.Datetime("us"), "deleted_at": pl.Datetime("us"), "deleted_by": pl.Utf8,
    "add_way": pl.Utf8, "add_way_code": pl.Int32, "friend_channel": pl.Utf8,
}
REFERRAL_SCHEMA = {"row_no": pl.Int64, "referrer_ext": pl.Utf8, "referee_ext": pl.Utf8,
                   "referred_at": pl.Datetime("us"), "campaign": pl.Utf8}

# WeCom 来源 in words -> add_way code of the WeCom API.
ADD_WAY_CODES = {
    "未知来源": 0, "扫描二维码": 1, "扫描名片二维码": 1, "搜索手机号": 2, "名片分享": 3, "群聊": 4, "手机通讯录": 5,
    "微信联系人": 6, "第三方应用": 8, "搜索邮箱": 9, "视频号": 10, "日程参与人": 11, "会议参与人": 12,
    "添加微信好友对应的企业微信": 13, "智能硬件专属客服": 14, "上门服务客服": 15, "获客链接": 16,
    "内部成员共享": 201, "管理员/负责人分配": 202, "管理员分配": 202, "负责人分配": 202,
}
ORDER_ID_PREFIX = {"youzan_orders": "youzan:", "shopify_orders": "shopify:", "generic_orders": ""}


@dataclass
class Canonical:
    kind: str
    rows: pl.DataFrame
    errors: pl.DataFrame
    fold_key: str | None = None     # orders whose rows fold into one record (Shopify)


def _frame(n: int, schema: dict[str, pl.DataType], **cols: pl.Series | pl.Expr | object) -> pl.DataFrame:
    data = {}
    for name, dtype in schema.items():
        value = cols.get(name)
        if value is None:
            data[name] = pl.repeat(None, n, dtype=dtype, eager=True).alias(name)
        elif isinstance(value, pl.Series):
            data[name] = value.alias(name).cast(dtype)
        else:
            data[name] = pl.repeat(value, n, eager=True).alias(name).cast(dtype)
    return pl.DataFrame(data)


def _phones(c: Cells, field: str) -> pl.DataFrame:
    return parsers.normalise_phones(c.text(field))


def _when(mask: pl.Series, then: pl.Series | str | int | None, other: pl.Series | str | int | None) -> pl.Series:
    lit = lambda v: pl.lit(v) if not isinstance(v, pl.Series) else v  # noqa: E731
    return pl.select(pl.when(mask).then(lit(then)).otherwise(lit(other))).to_series()


def youzan_orders(c: Cells) -> Canonical:
    status_text = c.required("status")
    unpaid = status_text.str.contains("待付款|等待买家付款").fill_null(False)
    closed = status_text.str.contains("已关闭|交易关闭").fill_null(False)
    created = c.datetime("created_at")
    raw_paid = c.text("paid_at")
    paid_at = c.datetime("paid_at", check=~unpaid)
    closed_unpaid = closed & raw_paid.is_null()
    needs_payment = ~unpaid & ~closed_unpaid
    amount = c.cents("amount", required=True, check=needs_payment)
    refund = c.cents("refund", check=needs_payment).fill_null(0)
    c.error("paid_at", needs_payment & raw_paid.is_null(), "已付款订单缺少买家付款时间 / paid order without 买家付款时间")
    phones = _phones(c, "buyer_phone")
    c.error("buyer_phone", ~unpaid & phones["phone"].is_null() & phones["phone_masked"].is_null(),
            "缺少买家手机号，无法识别买家 / buyer phone missing: the buyer cannot be identified")
    paid = amount.fill_null(0)
    status = pl.select(
        pl.when(unpaid).then(pl.lit("unpaid"))
        .when(closed_unpaid).then(pl.lit("cancelled"))
        .when((paid > 0) & (refund >= paid)).then(pl.lit("refunded"))
        .when(refund > 0).then(pl.lit("partially_refunded"))
        .when(closed).then(pl.lit("cancelled"))
        .otherwise(pl.lit("paid"))
    ).to_series()
    order_id = c.required("order_id")
    rows = _frame(
        c.n, ORDER_SCHEMA, row_no=c.rows, order_id="youzan:" + order_id, phone=phones["phone"],
        phone_masked=phones["phone_masked"], display_name=c.text("buyer_nickname"), created_at=created,
        paid_at=_when(unpaid, None, paid_at), paid_cents=_when(unpaid & amount.is_null(), 0, paid),
        refunded_cents=refund, discount_cents=c.cents("discount", negative_ok=True).fill_null(0).abs(),
        status=status, currency="CNY", store=c.text("store"), sales_channel=c.text("sales_channel"),
        distributor=c.text("distributor"),
    )
    return Canonical("orders", rows, c.errors())


SHOPIFY_STATUS = {"paid": "paid", "partially_refunded": "partially_refunded", "refunded": "refunded",
                  "voided": "cancelled", "pending": "unpaid", "authorized": "unpaid", "partially_paid": "unpaid",
                  "unpaid": "unpaid", "expired": "unpaid"}


def shopify_orders(c: Cells) -> Canonical:
    currencies = c.text("currency").drop_nulls().str.to_uppercase().unique().sort().to_list()
    if len(currencies) > 1:
        raise IngestError(
            f"文件里混有多种币种（{', '.join(currencies)}）；请按币种分别导出后再导入。"
            f" / The file mixes currencies ({', '.join(currencies)}); export one currency per file.")
    name = c.text("name")
    c.error("name", name.is_null(), MSG_REQUIRED)
    # Order-level cells are blank on an order's extra line-item rows; the first row carries them.
    first = pl.DataFrame({"name": name}).select(pl.col("name").is_first_distinct()).to_series() & name.is_not_null()
    fin = c.text("financial_status").str.to_lowercase()
    status = fin.replace_strict(SHOPIFY_STATUS, default=None)
    c.error("financial_status", first & fin.is_null(), MSG_REQUIRED)
    c.error("financial_status", first & fin.is_not_null() & status.is_null(),
            "未知的 Financial Status（应为 paid/partially_refunded/refunded/voided/pending/authorized）/ unknown status")
    total = c.cents("total", required=True, check=first)
    refunded = c.cents("refunded", check=first).fill_null(0)
    created = c.datetime("created_at", check=first)
    paid_at = c.datetime("paid_at", check=first)
    paid_state = status.is_in(["paid", "partially_refunded", "refunded"]).fill_null(False)
    paid_at = _when(paid_state, pl.select(pl.coalesce(paid_at, created)).to_series(), None)
    email = parsers.normalise_emails(c.text("email"))
    phones = _phones(c, "phone")
    c.error("email", first & email.is_null() & phones["phone"].is_null(),
            "没有可用的 Email 或 Phone，无法识别买家 / no usable Email or Phone to identify the buyer")
    qty = parsers.parse_ints(c.text("lineitem_quantity"))
    rows = _frame(
        c.n, ORDER_SCHEMA, row_no=c.rows, order_id="shopify:" + name, email=email, phone=phones["phone"],
        display_name=c.text("billing_name"), created_at=created, paid_at=paid_at, paid_cents=total,
        refunded_cents=refunded, discount_cents=c.cents("discount_amount", negative_ok=True).fill_null(0).abs(),
        status=status, currency=c.text("currency").str.to_uppercase(), sales_channel=c.text("source"),
        coupon_code=c.text("discount_code"), product=c.text("lineitem_name"), sku=c.text("lineitem_sku"),
        quantity=qty, price_cents=parsers.parse_cents(c.text("lineitem_price")),
    )
    # Only the first row of an order carries order-level values; blank them elsewhere so folding is exact.
    order_level = ["created_at", "paid_at", "paid_cents", "refunded_cents", "discount_cents", "status", "currency",
                   "email", "phone", "display_name", "sales_channel", "coupon_code"]
    rows = rows.with_columns([pl.when(pl.Series(first)).then(pl.col(k)).otherwise(None).alias(k) for k in order_level])
    return Canonical("orders", rows, c.errors(), fold_key="order_id")


GENERIC_STATUS = {"paid": "paid", "refunded": "refunded", "cancelled": "cancelled", "canceled": "cancelled",
                  "partially_refunded": "partially_refunded", "unpaid": "unpaid",
                  "已支付": "paid", "已退款": "refunded", "已取消": "cancelled"}


def generic_orders(c: Cells) -> Canonical:
    order_id = c.required("order_id")
    member = c.required("member_id")
    raw_status = c.text("status").str.to_lowercase().fill_null("paid")
    status = raw_status.replace_strict(GENERIC_STATUS, default=None)
    c.error("status", status.is_null(), "status 只能是 paid、refunded 或 cancelled / status must be paid, refunded or cancelled")
    paid_at = c.datetime("paid_at", required=True)
    amount = c.cents("amount", required=True)
    refund = c.cents("refund_amount").fill_null(0)
    status = pl.select(
        pl.when((status == "paid") & (amount > 0) & (refund >= amount)).then(pl.lit("refunded"))
        .when((status == "paid") & (refund > 0)).then(pl.lit("partially_refunded"))
        .otherwise(status)
    ).to_series()
    rows = _frame(c.n, ORDER_SCHEMA, row_no=c.rows, order_id=order_id, ext_id=member, created_at=paid_at,
                  paid_at=_when(status == "unpaid", None, paid_at), paid_cents=amount, refunded_cents=refund,
                  discount_cents=0, status=status, currency="CNY", store=c.text("store"))
    return Canonical("orders", rows, c.errors())


def _empty_tier(s: pl.Series) -> pl.Series:
    return _when(s.is_in(["-", "无", "—", "普通客户"]).fill_null(False), None, s)


def youzan_customers(c: Cells) -> Canonical:
    phones = _phones(c, "phone")
    joined = pl.select(pl.coalesce(c.datetime("became_customer_at"), c.datetime("became_member_at"))).to_series()
    c.error("became_customer_at", joined.is_null() & c.text("became_customer_at").is_null(), MSG_REQUIRED)
    name = pl.select(pl.coalesce(c.text("name"), c.text("nickname"))).to_series()
    tier = pl.select(pl.coalesce(_empty_tier(c.text("free_tier")), _empty_tier(c.text("paid_tier")))).to_series()
    rows = _frame(c.n, MEMBER_SCHEMA, row_no=c.rows, phone=phones["phone"], phone_masked=phones["phone_masked"],
                  display_name=name, joined_at=joined, channel=c.text("channel"), tier=tier,
                  points=c.integer("points"), growth_value=c.integer("growth_value"),
                  tags=parsers.split_tags(c.text("tags")))
    return Canonical("members", rows, c.errors())


def generic_members(c: Cells) -> Canonical:
    ext = c.required("member_id")
    joined = c.datetime("joined_at", required=True)
    phones = _phones(c, "phone")
    staff = c.text("staff")
    rows = _frame(c.n, MEMBER_SCHEMA, row_no=c.rows, ext_id=ext, phone=phones["phone"],
                  phone_masked=phones["phone_masked"], display_name=c.text("name"), joined_at=joined,
                  channel=c.text("channel"), tier=c.text("tier"), points=c.integer("points"),
                  tags=parsers.split_tags(c.text("tags")), staff_id=staff, staff_name=staff, added_at=joined,
                  deleted_at=c.datetime("deleted_at"), friend_channel=c.text("channel"))
    return Canonical("members", rows, c.errors())


def _wecom_common(c: Cells) -> dict[str, pl.Series]:
    name = c.required("name")
    staff_name = c.required("staff_name")
    staff_id = pl.select(pl.coalesce(c.text("staff_account"), staff_name)).to_series()
    added = c.datetime("added_at", required=True)
    phones = _phones(c, "phone")
    return dict(phone=phones["phone"], phone_masked=phones["phone_masked"], wecom_name=name, display_name=name,
                joined_at=added, staff_id=staff_id, staff_name=staff_name, department=c.text("department"),
                added_at=added)


def wecom_customers(c: Cells) -> Canonical:
    base = _wecom_common(c)
    add_way = c.text("add_way")
    code = add_way.replace_strict(ADD_WAY_CODES, default=None, return_dtype=pl.Int32)
    code = _when(code.is_null(), add_way.cast(pl.Int32, strict=False), code)
    # Tag-group columns: whatever the export carries beyond the known ones.
    used = set(c.columns.values())
    tag_cols = [i for i, h in enumerate(c.table.header)
                if i not in used and h and norm_header(h) not in {norm_header(x) for x in WECOM_KNOWN_EXTRA}]
    if tag_cols:
        tags = pl.concat([parsers.split_tags(parsers.clean_text(c.table.frame[f"c{i}"])).fill_null([]).to_frame("t")
                          .with_row_index("i") for i in tag_cols]).group_by("i").agg(pl.col("t").list.explode(keep_nulls=False, empty_as_null=False)).sort("i")["t"]
        tags = tags.list.unique(maintain_order=True)
    else:
        tags = None
    channel = c.text("channel")
    rows = _frame(c.n, MEMBER_SCHEMA, row_no=c.rows, wecom_ext_id=c.text("external_id"),
                  channel=pl.select(pl.coalesce(channel, add_way)).to_series(), add_way=add_way, add_way_code=code,
                  friend_channel=channel, tags=tags, **base)
    return Canonical("members", rows, c.errors())


def wecom_lost(c: Cells) -> Canonical:
    base = _wecom_common(c)
    deleted = c.datetime("deleted_at", required=True)
    how = c.text("deleted_by")
    by = pl.select(
        pl.when(how.str.contains("客户删除|被客户删除|del_follow_user|拉黑")).then(pl.lit("customer"))
        .when(how.str.contains("删除客户|员工删除|成员删除|del_external_contact")).then(pl.lit("staff"))
    ).to_series()
    rows = _frame(c.n, MEMBER_SCHEMA, row_no=c.rows, deleted_at=deleted, deleted_by=by, **base)
    return Canonical("friends_lost", rows, c.errors())


def generic_referrals(c: Cells) -> Canonical:
    referrer = c.required("referrer_id")
    referee = c.required("referee_id")
    c.error("referee_id", referrer == referee, "推荐人和被推荐人是同一人 / referrer and referee are the same member")
    rows = _frame(c.n, REFERRAL_SCHEMA, row_no=c.rows, referrer_ext=referrer, referee_ext=referee,
                  referred_at=c.datetime("referred_at", required=True), campaign=c.text("campaign"))
    return Canonical("referrals", rows, c.errors())


TRANSFORMS = {
    "youzan_orders": youzan_orders, "shopify_orders": shopify_orders, "generic_orders": generic_orders,
    "youzan_customers": youzan_customers, "generic_members": generic_members,
    "wecom_customers": wecom_customers, "wecom_lost": wecom_lost, "generic_referrals": generic_referrals,
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
