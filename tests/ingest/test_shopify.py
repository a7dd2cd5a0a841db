"""Shopify: Name is the order, rows of one order fold, email (else phone) is the member, one currency."""

from __future__ import annotations

H = ["Name", "Email", "Financial Status", "Paid at", "Currency", "Subtotal", "Total", "Discount Code",
     "Discount Amount", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Refunded Amount", "Phone"]
ROWS = [
    H,
    ["#1001", "Li.Na@Example.com", "paid", "2024-03-05 14:05:00 +0800", "CNY", "300.00", "280.00", "SPRING", "20.00",
     "2024-03-05 14:00:00 +0800", "1", "山茶花面霜", "200.00", "0.00", ""],
    ["#1001", "", "", "", "", "", "", "", "", "", "2", "山茶花精华", "50.00", "", ""],
    ["#1002", "li.na@example.com", "partially_refunded", "2024-03-06T02:00:00Z", "CNY", "100.00", "100.00", "", "0",
     "2024-03-06T02:00:00Z", "1", "唇膏", "100.00", "30.00", ""],
    ["#1003", "", "refunded", "2024-03-07 10:00:00 +0800", "CNY", "50", "50", "", "", "2024-03-07 10:00:00 +0800", "1",
     "面膜", "50", "50", "+86 139 0013 9000"],
    ["#1004", "wang@example.com", "voided", "", "CNY", "10", "10", "", "", "2024-03-08 10:00:00 +0800", "1", "小样", "10", "", ""],
    ["#1005", "wang@example.com", "pending", "", "CNY", "20", "20", "", "", "2024-03-08 11:00:00 +0800", "1", "小样", "20", "", ""],
    ["#1006", "wang@example.com", "authorized", "", "CNY", "0", "0", "", "", "2024-03-08 12:00:00 +0800", "1", "试用装", "0", "", ""],
]


def test_shopify_orders_fold_and_statuses(imp, csvb, sql) -> None:
    r = imp(csvb(ROWS, "utf-8-sig"), "orders_export.csv")
    assert r.ok, (r.refused, r.errors)
    assert (r.profile, r.rows_read, r.records, r.inserted, r.members_created) == ("shopify_orders", 7, 6, 6, 3)
    assert sql("SELECT order_id, paid_cents, refunded_cents, discount_cents, status, coupon_code, paid_at::VARCHAR "
               "FROM orders ORDER BY 1") == [
        ("shopify:#1001", 28000, 0, 2000, "paid", "SPRING", "2024-03-05 14:05:00"),
        ("shopify:#1002", 10000, 3000, 0, "partially_refunded", None, "2024-03-06 10:00:00"),
        ("shopify:#1003", 5000, 5000, 0, "refunded", None, "2024-03-07 10:00:00"),
        ("shopify:#1004", 1000, 0, 0, "cancelled", None, None),
        ("shopify:#1005", 2000, 0, 0, "unpaid", None, None),
        ("shopify:#1006", 0, 0, 0, "unpaid", None, None)]
    assert sql("SELECT order_id, line_no, product, quantity, price_cents FROM order_items ORDER BY 1, 2") == [
        ("shopify:#1001", 1, "山茶花面霜", 1, 20000), ("shopify:#1001", 2, "山茶花精华", 2, 5000),
        ("shopify:#1002", 1, "唇膏", 1, 10000), ("shopify:#1003", 1, "面膜", 1, 5000),
        ("shopify:#1004", 1, "小样", 1, 1000), ("shopify:#1005", 1, "小样", 1, 2000),
        ("shopify:#1006", 1, "试用装", 1, 0)]
    # paid and partially_refunded are valid, net of the refund; refunded/voided/pending/authorized are not.
    assert sql("SELECT order_id, net_cents FROM valid_orders ORDER BY 1") == [("shopify:#1001", 28000), ("shopify:#1002", 7000)]
    # Both spellings of the email are one member; the order without email is keyed by its phone.
    assert sql("SELECT kind, value FROM member_identities ORDER BY 1, 2") == [
        ("email", "li.na@example.com"), ("email", "wang@example.com"), ("phone", "13900139000")]
    again = imp(csvb(ROWS), "orders_export.csv")
    assert (again.inserted, again.updated, again.duplicates) == (0, 0, 6)


def test_refund_later_is_an_update(imp, csvb, sql) -> None:
    imp(csvb(ROWS))
    later = [H, ["#1001", "li.na@example.com", "partially_refunded", "2024-03-05 14:05:00 +0800", "CNY", "300.00", "280.00",
                 "SPRING", "20.00", "2024-03-05 14:00:00 +0800", "1", "山茶花面霜", "200.00", "80.00", ""]]
    r = imp(csvb(later))
    assert (r.inserted, r.updated, r.duplicates, r.linked) == (0, 1, 0, 0)
    assert sql("SELECT refunded_cents, status FROM orders WHERE order_id = 'shopify:#1001'") == [(8000, "partially_refunded")]
    # Items of an order that already exists are not written twice.
    assert sql("SELECT count(*) FROM order_items WHERE order_id = 'shopify:#1001'") == [(2,)]


def test_mixed_currencies_are_refused(imp, csvb, counts) -> None:
    rows = [H, ROWS[1], ["#2000", "a@b.c", "paid", "2024-03-05 14:05:00 +0800", "USD", "1", "1", "", "", "", "1", "x", "1", "", ""]]
    r = imp(csvb(rows))
    assert not r.ok and "CNY, USD" in r.refused and r.batch_id is None
    assert counts()["orders"] == 0


def test_buyer_without_email_or_phone_is_a_row_error(imp, csvb) -> None:
    rows = [H, ["#3000", "", "paid", "2024-03-05 14:05:00 +0800", "CNY", "1", "1", "", "", "", "1", "x", "1", "", ""]]
    r = imp(csvb(rows))
    assert not r.ok and [(e["row"], e["column"]) for e in r.errors] == [(1, "Email")]
