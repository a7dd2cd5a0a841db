"""Order profiles: 有赞 orders, Shopify orders, generic orders -> canonical order rows + row errors."""

from __future__ import annotations

import polars as pl

from siyu.errors import IngestError
from siyu.ingest import parsers
from siyu.ingest.canonical import ORDER_SCHEMA, Canonical, frame, phone_cells, when
from siyu.ingest.cells import MSG_NEGATIVE, MSG_REQUIRED, Cells

# 订单状态 words (found anywhere in the cell) that mean the order was never paid, or was closed.
YOUZAN_UNPAID = "待付款|等待买家付款"
YOUZAN_CLOSED = "已关闭|交易关闭"


def youzan_orders(c: Cells) -> Canonical:
    status_text = c.required("status")
    unpaid = status_text.str.contains(YOUZAN_UNPAID).fill_null(False)
    closed = status_text.str.contains(YOUZAN_CLOSED).fill_null(False)
    created = c.datetime("created_at")
    raw_paid = c.text("paid_at")
    paid_at = c.datetime("paid_at", check=~unpaid)
    closed_unpaid = closed & raw_paid.is_null()
    needs_payment = ~unpaid & ~closed_unpaid
    amount = c.cents("amount", required=True, check=needs_payment)
    refund = c.cents("refund", check=needs_payment).fill_null(0)
    # An unpaid order's amounts are not checked as payments, but a negative one would still be stored (and break
    # the orders table's CHECK in the middle of the load).
    c.error("amount", ~needs_payment & (amount < 0), MSG_NEGATIVE)
    c.error("refund", ~needs_payment & (refund < 0), MSG_NEGATIVE)
    c.error("paid_at", needs_payment & raw_paid.is_null(), "已付款订单缺少买家付款时间 / paid order without 买家付款时间")
    phones = phone_cells(c, "buyer_phone")
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
    rows = frame(
        c.n, ORDER_SCHEMA, row_no=c.rows, order_id="youzan:" + order_id, phone=phones["phone"],
        phone_masked=phones["phone_masked"], display_name=c.text("buyer_nickname"), created_at=created,
        paid_at=when(unpaid, None, paid_at), paid_cents=when(unpaid & amount.is_null(), 0, paid),
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
    paid_at = when(paid_state, pl.select(pl.coalesce(paid_at, created)).to_series(), None)
    email = parsers.normalise_emails(c.text("email"))
    phones = phone_cells(c, "phone")
    c.error("email", first & email.is_null() & phones["phone"].is_null(),
            "没有可用的 Email 或 Phone，无法识别买家 / no usable Email or Phone to identify the buyer")
    qty = parsers.parse_ints(c.text("lineitem_quantity"))
    rows = frame(
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
    rows = frame(c.n, ORDER_SCHEMA, row_no=c.rows, order_id=order_id, ext_id=member, created_at=paid_at,
                  paid_at=when(status == "unpaid", None, paid_at), paid_cents=amount, refunded_cents=refund,
                  discount_cents=0, status=status, currency="CNY", store=c.text("store"))
    return Canonical("orders", rows, c.errors())
